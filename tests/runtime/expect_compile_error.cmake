# Checks one file of tests/runtime/compile_fail/: a mistake a learner makes with async_with must be
# rejected with the runtime's own message as the first and only error, not a page of template
# errors. The file names its message in a line "// expect: <message>" ("compiles" for a control).
# Usage: cmake -DCOMPILER=... "-DFLAGS=..." -DSOURCE=x.cpp -P expect_compile_error.cmake
file(STRINGS "${SOURCE}" expect_lines REGEX "^// expect: ")
if(NOT expect_lines)
  message(FATAL_ERROR "${SOURCE}: add a line `// expect: <the error message>`")
endif()
list(GET expect_lines 0 expected)
string(REGEX REPLACE "^// expect: *" "" expected "${expected}")

separate_arguments(flags UNIX_COMMAND "${FLAGS}")
execute_process(COMMAND ${COMPILER} ${flags} -fsyntax-only "${SOURCE}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
set(diagnostics "${out}${err}")

if(expected STREQUAL "compiles")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${SOURCE} should compile, but:\n${diagnostics}")
  endif()
  return()
endif()
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it should be rejected with: ${expected}")
endif()

# One diagnostic per line that says "error:" (notes and the instantiation context do not count).
# Semicolons would split CMake's list of matches in the middle of a message.
string(REPLACE ";" "," diagnostics "${diagnostics}")
string(REGEX MATCHALL "[^\n]*error:[^\n]*" errors "${diagnostics}")
# em++ adds a line of its own saying that clang failed.
list(FILTER errors EXCLUDE REGEX "^(em\\+\\+|emcc): error:")
list(LENGTH errors count)
list(GET errors 0 first)
string(FIND "${first}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the first error is not the runtime's message.\n--- expected in the first error\n${expected}\n"
                      "--- compiler said\n${diagnostics}")
endif()
if(NOT count EQUAL 1)
  message(FATAL_ERROR "${count} errors where one is enough: a learner should see only the message.\n${diagnostics}")
endif()
