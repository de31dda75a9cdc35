# Runs the runtime tests with ACM_TRACE set and holds the file they write to the documented format.
# Usage: cmake -DPROGRAM=... [-DEMULATOR="node;run_wasi.mjs"] -DNODE=... -DTRACE=out.jsonl
#              -DSOURCE_DIR=... -P check_trace_file.cmake
file(REMOVE "${TRACE}")  # the trace file is opened for appending
set(ENV{ACM_TRACE} "${TRACE}")
# The simulated file/http/process tests are left out: their events are documented and tested by
# their own headers and tests. So is the 100 000-sleep run, which alone would reach the trace's
# line limit.
execute_process(COMMAND ${EMULATOR} ${PROGRAM} --source-file-exclude=*sim_*_test.cpp
                        "--test-case-exclude=the guards do not trip on a long but finite run" --no-intro=true
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed with ACM_TRACE set (${status}):\n${out}${err}")
endif()
execute_process(COMMAND ${NODE} ${SOURCE_DIR}/tests/runtime/check_trace.mjs "${TRACE}"
                        ${SOURCE_DIR}/ARCHITECTURE.md ${SOURCE_DIR}/include/acm/trace.hpp
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the trace does not match its documentation (see above)")
endif()
