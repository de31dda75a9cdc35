# Runs an example program and fails unless its stdout equals the expected file byte for byte.
# Usage: cmake -DPROGRAM=... [-DEMULATOR="node;run_wasi.mjs"] -DEXPECTED=... -P compare_output.cmake
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "missing expected output ${EXPECTED}")
endif()
set(command ${EMULATOR} ${PROGRAM})
execute_process(COMMAND ${command} OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}\n${errors}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}\n--- actual\n${actual}")
endif()
