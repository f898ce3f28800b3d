// mdsim replay FILE.json [--out DIR] [--json]
//
// A counterexample is a scenario document (usually the explicit `ops` form)
// with an "expect" section saying what failed: {"verdict": "fail",
// "failed_checks": [...], "trace_hash": "..."}. Replay runs it with its own
// seed and says whether the saved outcome reproduced.
#include "model/cli/args.h"
#include "model/cli/cli.h"
#include "model/cli/commands.h"
#include "model/run/output.h"
#include "model/run/runner.h"
#include "model/scenario/loader.h"
#include "sim/trace.h"

namespace mdsim::cli {

static const char* kReplayHelp =
    "usage: mdsim replay FILE.json [--out DIR] [--json]\n"
    "\n"
    "Re-run a saved counterexample (a scenario with an \"expect\" section, as\n"
    "written by `mdsim explore`) and confirm it reproduces: same failed checks\n"
    "and, when the file records one, the same trace hash.\n"
    "  --out DIR   write result.json, trace.jsonl and timeline.json\n"
    "  --json      print the result object on stdout\n"
    "exit codes: 1 the failure reproduced (a property failed), 0 all checks held\n"
    "(it did not reproduce; stderr says so), 2 bad input, 3 internal error\n";

// Whether the saved expectation matches the result; fills `why` if not.
static bool reproduced(const scenario::Expect& e, const run::Result& r, std::string& why) {
  if (!e.verdict.empty() && e.verdict != r.verdict()) {
    why = "verdict " + r.verdict() + ", saved " + e.verdict;
    return false;
  }
  for (const std::string& c : e.failed_checks) {
    auto it = r.checks.find(c);
    if (it == r.checks.end() || it->second.held) {
      why = "check " + c + " held this time";
      return false;
    }
  }
  if (!e.trace_hash.empty() && e.trace_hash != sim::hash_hex(r.trace_hash)) {
    why = "trace hash " + sim::hash_hex(r.trace_hash) + ", saved " + e.trace_hash;
    return false;
  }
  return true;
}

int cmd_replay(const std::vector<std::string>& args, Io& io) {
  const ParsedArgs a = parse_args("replay", args, {"--json"}, {"--out"});
  if (a.help) {
    io.out << kReplayHelp;
    return kExitOk;
  }
  const std::string path = single_file("replay", a, "a counterexample file (FILE.json)");
  const auto out_dir = a.option("--out");
  if (out_dir) check_out_dir("replay", *out_dir);
  const scenario::Scenario s = scenario::load_scenario(path);
  if (s.expect.verdict.empty())
    throw scenario::ScenarioError(path, "/expect", "missing; expected a counterexample with \"expect\": {\"verdict\": ...}");
  run::RunOptions opt;
  opt.record_trace = out_dir.has_value();
  run::RunOutput o = run::run_scenario(s, opt);
  if (out_dir) run::write_run_outputs(*out_dir, o.result, o.trace);
  std::string why;
  if (reproduced(s.expect, o.result, why)) {
    io.err << "mdsim replay: reproduced (" << o.result.verdict() << ", trace " << sim::hash_hex(o.result.trace_hash)
           << ")\n";
  } else {
    io.err << "mdsim replay: did NOT reproduce: " << why << "\n";
  }
  return report_result(s, o.result, "mdsim replay " + path, a.flag("--json"), io);
}

}  // namespace mdsim::cli
