# Replays one saved harness counterexample through the built binary:
#   cmake -DMDSIM=<path> -DFILE=<counterexample.json> -P replay_counterexample.cmake
# `mdsim replay FILE` must exit 1 (the property failed again) and say
# "reproduced" on stderr, naming the saved property.
file(READ "${FILE}" doc)
string(JSON property GET "${doc}" expect failed_checks 0)
include(${CMAKE_CURRENT_LIST_DIR}/../support/expect_run.cmake)
mdsim_expect_run(WHAT "mdsim replay ${FILE} (the ${property} failure must reproduce)"
                 EXIT 1 STREAM stderr MATCH "reproduced: property ${property} failed" TIMEOUT 300
                 COMMAND "${MDSIM}" replay "${FILE}")
