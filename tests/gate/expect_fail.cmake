# Doctor reports/baseline.json (the first scenario with metadata writes: meta_writes_per_user_write
# set to 1e-6, so any real value is a rise far above 2 %) and require the
# gate to fail with exit code 1 and to name the metric in its table.
file(READ ${SRC}/reports/baseline.json text)
string(JSON n LENGTH "${text}" scenarios)
math(EXPR last "${n} - 1")
set(pick "")
foreach(i RANGE ${last})
  string(JSON v GET "${text}" scenarios ${i} meta_writes_per_user_write)
  if(pick STREQUAL "" AND NOT v MATCHES "^0(\\.0*)?$")
    set(pick ${i})
  endif()
endforeach()
if(pick STREQUAL "")
  message(FATAL_ERROR "no baseline scenario has metadata writes to doctor")
endif()
string(JSON name GET "${text}" scenarios ${pick} file)
string(JSON doctored SET "${text}" scenarios ${pick} meta_writes_per_user_write "0.000001")
file(WRITE ${WORK}/doctored-baseline.json "${doctored}")
include(${CMAKE_CURRENT_LIST_DIR}/../support/expect_run.cmake)
mdsim_expect_run(WHAT "gate with a doctored baseline (${name} meta_writes_per_user_write failing)"
                 EXIT 1 STREAM stdout MATCH "${name} +meta_writes_per_user_write.*FAIL"
                 WORKING_DIRECTORY ${SRC}
                 COMMAND ${MDSIM} gate --quiet --baseline ${WORK}/doctored-baseline.json)
