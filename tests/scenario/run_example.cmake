# Replays one example scenario with the built mdsim (ctest label `scenario`):
#   cmake -DMDSIM=<path> -DEXAMPLE=<file.json> -DWORK=<dir> -P run_example.cmake
# - runs `mdsim run EXAMPLE --json` twice: the verdict must equal expect.verdict,
#   the failed checks must include expect.failed_checks, and both runs must give
#   the same trace hash (determinism);
# - runs it once more with --out and checks result.json, trace.jsonl and
#   timeline.json were written and agree on the trace hash;
# - an expected failure is also replayed (`mdsim replay`) and must reproduce;
# - an example marked "expect": {"pending": "..."} whose run says
#   "not implemented" is skipped (output MDSIM_SKIP, matched by the test's
#   SKIP_REGULAR_EXPRESSION) with the reason; unmarked, that is a failure.
file(READ "${EXAMPLE}" doc)
string(JSON expect_verdict ERROR_VARIABLE no_verdict GET "${doc}" expect verdict)
string(JSON pending ERROR_VARIABLE no_pending GET "${doc}" expect pending)
if(no_verdict)
  message(FATAL_ERROR "${EXAMPLE}: examples must give expect.verdict")
endif()

function(run_once out_var code_var err_var)
  execute_process(COMMAND "${MDSIM}" run "${EXAMPLE}" --json --quiet ${ARGN}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code TIMEOUT 600)
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${code_var} "${code}" PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
endfunction()

run_once(out1 code1 err1)
if(code1 EQUAL 3 AND err1 MATCHES "not implemented")
  if(NOT no_pending)
    message("MDSIM_SKIP: ${EXAMPLE} is pending (${pending}): ${err1}")
    return()
  endif()
  message(FATAL_ERROR "${EXAMPLE}: not runnable and not marked pending: ${err1}")
endif()
if(NOT no_pending)
  message("note: ${EXAMPLE} runs now; its expect.pending marker can be removed")
endif()

if(expect_verdict STREQUAL "pass")
  set(expect_code 0)
else()
  set(expect_code 1)
endif()
if(NOT code1 EQUAL expect_code)
  message(FATAL_ERROR "${EXAMPLE}: exit code ${code1}, expected ${expect_code} (verdict ${expect_verdict}):\n${err1}")
endif()
string(JSON verdict GET "${out1}" verdict)
string(JSON hash1 GET "${out1}" trace_hash)
if(NOT verdict STREQUAL expect_verdict)
  message(FATAL_ERROR "${EXAMPLE}: verdict ${verdict}, expected ${expect_verdict}")
endif()
string(JSON nfailed ERROR_VARIABLE no_failed LENGTH "${doc}" expect failed_checks)
if(NOT no_failed AND nfailed GREATER 0)
  math(EXPR last "${nfailed} - 1")
  foreach(i RANGE ${last})
    string(JSON check GET "${doc}" expect failed_checks ${i})
    string(JSON held GET "${out1}" checks ${check} held)
    if(held)
      message(FATAL_ERROR "${EXAMPLE}: check ${check} held, expected it to fail")
    endif()
  endforeach()
endif()

run_once(out2 code2 err2)
string(JSON hash2 GET "${out2}" trace_hash)
if(NOT hash1 STREQUAL hash2)
  message(FATAL_ERROR "${EXAMPLE}: not deterministic: trace hash ${hash1} then ${hash2}")
endif()

file(REMOVE_RECURSE "${WORK}")
run_once(out3 code3 err3 --out "${WORK}")
foreach(f result.json trace.jsonl timeline.json)
  if(NOT EXISTS "${WORK}/${f}")
    message(FATAL_ERROR "${EXAMPLE}: --out did not write ${f}")
  endif()
endforeach()
file(READ "${WORK}/result.json" saved)
string(JSON hash3 GET "${saved}" trace_hash)
if(NOT hash3 STREQUAL hash1)
  message(FATAL_ERROR "${EXAMPLE}: recording the trace changed the trace hash (${hash1} vs ${hash3})")
endif()

if(expect_verdict STREQUAL "fail")
  execute_process(COMMAND "${MDSIM}" replay "${EXAMPLE}" OUTPUT_QUIET ERROR_VARIABLE rerr RESULT_VARIABLE rcode)
  if(NOT rcode EQUAL 1 OR NOT rerr MATCHES "reproduced \\(")
    message(FATAL_ERROR "${EXAMPLE}: replay did not reproduce (exit ${rcode}): ${rerr}")
  endif()
endif()
message("${EXAMPLE}: ${verdict}, trace ${hash1} (twice)")
