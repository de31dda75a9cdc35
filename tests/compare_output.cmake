# Runs an example program and fails unless its stdout equals the expected file byte for byte.
# Usage: cmake -DPROGRAM=... [-DEMULATOR="node;run_wasi.mjs"] -DEXPECTED=x.out -P compare_output.cmake
#
# If x.trace.jsonl exists next to x.out (a page shows that trace), the program runs with
# ACM_TRACE set and its trace must equal that file too.
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "missing expected output ${EXPECTED}")
endif()
string(REGEX REPLACE "\\.out$" ".trace.jsonl" expected_trace "${EXPECTED}")
set(command ${EMULATOR} ${PROGRAM})
if(EXISTS "${expected_trace}")
  get_filename_component(name "${expected_trace}" NAME)
  set(actual_trace "${CMAKE_CURRENT_BINARY_DIR}/actual.${name}")
  file(REMOVE "${actual_trace}")  # the runtime appends
  set(command ${CMAKE_COMMAND} -E env "ACM_TRACE=${actual_trace}" ${command})
endif()
execute_process(COMMAND ${command} OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}\n${errors}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}\n--- actual\n${actual}")
endif()
if(EXISTS "${expected_trace}")
  file(READ "${expected_trace}" trace_expected)
  file(READ "${actual_trace}" trace_actual)
  if(NOT trace_actual STREQUAL trace_expected)
    message(FATAL_ERROR "trace differs from ${expected_trace} (the reference page shows it)\n"
                        "--- expected\n${trace_expected}\n--- actual\n${trace_actual}")
  endif()
endif()
