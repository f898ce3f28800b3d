# Replays one saved harness counterexample through the built binary:
#   cmake -DMDSIM=<path> -DFILE=<counterexample.json> -P replay_counterexample.cmake
# `mdsim replay FILE` must exit 1 (the property failed again) and say
# "reproduced" on stderr, naming the saved property.
execute_process(COMMAND "${MDSIM}" replay "${FILE}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code
                TIMEOUT 300)
file(READ "${FILE}" doc)
string(JSON property GET "${doc}" expect failed_checks 0)
if(NOT code EQUAL 1)
  message(FATAL_ERROR "mdsim replay ${FILE}: exit code ${code}, expected 1\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT err MATCHES "reproduced: property ${property} failed")
  message(FATAL_ERROR "mdsim replay ${FILE}: stderr does not say the ${property} failure reproduced:\n${err}")
endif()
