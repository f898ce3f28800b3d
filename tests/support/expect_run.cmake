# Shared by the ctest scripts that run a built binary and judge its exit code
# and output (tests/gate/expect_fail.cmake, tests/scenario/replay_counterexample.cmake).
#
# mdsim_expect_run(WHAT <label> EXIT <code> STREAM stdout|stderr MATCH <regex>
#                  [WORKING_DIRECTORY <dir>] [TIMEOUT <s>] COMMAND <program> <args>...)
# Runs COMMAND and fails the script unless it exits with EXIT and the chosen
# stream matches MATCH; the failure message carries both streams.
function(mdsim_expect_run)
  cmake_parse_arguments(R "" "WHAT;EXIT;STREAM;MATCH;WORKING_DIRECTORY;TIMEOUT" "COMMAND" ${ARGN})
  set(opts "")  # extra execute_process options
  if(R_WORKING_DIRECTORY)
    set(opts WORKING_DIRECTORY "${R_WORKING_DIRECTORY}")
  endif()
  if(R_TIMEOUT)
    list(APPEND opts TIMEOUT ${R_TIMEOUT})
  endif()
  execute_process(COMMAND ${R_COMMAND} ${opts} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(streams "stdout:\n${out}\nstderr:\n${err}")
  if(NOT rc EQUAL R_EXIT)
    message(FATAL_ERROR "${R_WHAT}: exit code ${rc}, expected ${R_EXIT}\n${streams}")
  endif()
  if(R_STREAM STREQUAL "stdout")
    set(text "${out}")
  else()
    set(text "${err}")
  endif()
  if(NOT text MATCHES "${R_MATCH}")
    message(FATAL_ERROR "${R_WHAT}: ${R_STREAM} does not match \"${R_MATCH}\"\n${streams}")
  endif()
endfunction()
