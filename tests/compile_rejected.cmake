# Compiles a page's "does not compile" example and checks that the compiler says what the page says.
# Usage: cmake -DCOMPILER=... -DFAMILY=g++|clang "-DFLAGS=..." -DSOURCE=x.cpp -DEXPECTED=x.err -P compile_rejected.cmake
#
# x.err has one line per compiler family, "g++: <message>" or "clang: <message>"; the message is
# the diagnostic as printed after the file position, or the word "compiles" where that family
# accepts the code (the page then says which compilers reject it).
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "missing ${EXPECTED}: list what each compiler says about ${SOURCE}")
endif()
file(STRINGS "${EXPECTED}" lines)
set(expected "")
foreach(line IN LISTS lines)
  string(FIND "${line}" "${FAMILY}: " at)
  if(at EQUAL 0)
    string(LENGTH "${FAMILY}: " skip)
    string(SUBSTRING "${line}" ${skip} -1 expected)
  endif()
endforeach()
if(expected STREQUAL "")
  message(FATAL_ERROR "${EXPECTED} has no line for ${FAMILY}")
endif()

separate_arguments(flags UNIX_COMMAND "${FLAGS}")
execute_process(COMMAND ${COMPILER} ${flags} -fsyntax-only "${SOURCE}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
set(diagnostics "${out}${err}")
# g++ quotes with typographic quotes in a UTF-8 locale; the .err files use plain ones.
string(REPLACE "‘" "'" diagnostics "${diagnostics}")
string(REPLACE "’" "'" diagnostics "${diagnostics}")

if(expected STREQUAL "compiles")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${SOURCE} should compile with ${FAMILY}, but:\n${diagnostics}")
  endif()
  return()
endif()
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled with ${FAMILY}, but its page shows it rejected with: ${expected}")
endif()
string(FIND "${diagnostics}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FAMILY} rejected ${SOURCE}, but not with the message its page shows.\n"
                      "--- expected\n${expected}\n--- compiler said\n${diagnostics}")
endif()
