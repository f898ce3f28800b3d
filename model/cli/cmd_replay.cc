// mdsim replay FILE.json [--out DIR] [--json]
//
// A counterexample is a scenario document (usually the explicit `ops` form)
// with an "expect" section saying what failed: {"verdict": "fail",
// "failed_checks": [...], "trace_hash": "..."}. Replay runs it with its own
// seed and says whether the saved outcome reproduced.
//
// The verification harness saves its counterexamples (the mutant campaign,
// reports/mutant-counterexamples/*.json) in its own ops dialect: named
// `mutants`, per-op persisted-subset `choice`, `batch`ed writes, `slow_disk`,
// `wait`. Those are replayed by the harness itself
// (faults::replay_counterexample), which interprets that dialect exactly as it
// ran when the failure was found.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "faults/mutant_campaign.h"
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
    "and, when the file records one, the same trace hash. Counterexamples saved by\n"
    "the verification harness (`mdsim mutants`: \"mutants\", per-op \"choice\",\n"
    "\"batch\", \"slow_disk\") are replayed by the harness itself.\n"
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

// A document in the harness's counterexample dialect (see the top comment).
static bool is_harness_counterexample(const nlohmann::json& doc) {
  if (!doc.is_object()) return false;
  if (doc.contains("mutants")) return true;
  const auto ops = doc.find("ops");
  if (ops == doc.end() || !ops->is_array()) return false;
  for (const nlohmann::json& o : *ops) {
    if (!o.is_object()) continue;
    if (o.contains("choice") || o.contains("batch")) return true;
    const auto op = o.find("op");
    if (op != o.end() && op->is_string() && (*op == "slow_disk" || *op == "wait")) return true;
  }
  return false;
}

// Replays a harness counterexample; exit 1 when the saved property fails again.
static int replay_harness(const std::string& path, bool json, Io& io) {
  faults::ReplayOutcome r;
  try {
    r = faults::replay_counterexample(path);
  } catch (const std::invalid_argument& e) {
    throw scenario::ScenarioError(path, "", std::string("not a harness counterexample: ") + e.what());
  }
  if (json) {
    nlohmann::json j = {{"file", path},
                        {"reproduced", r.reproduced},
                        {"expected_property", r.expected_property},
                        {"failed_property", r.failed_property},
                        {"report", r.report},
                        {"verdict", r.failed_property.empty() ? "pass" : "fail"}};
    io.out << j.dump(2) << "\n";
  } else {
    io.out << (r.report.empty() ? std::string("every check held\n") : r.report);
  }
  if (r.reproduced) {
    io.err << "mdsim replay: reproduced: property " << r.failed_property << " failed (harness counterexample "
           << path << "); replay: mdsim replay " << path << "\n";
    return kExitPropertyFailed;
  }
  io.err << "mdsim replay: did NOT reproduce: expected property "
         << (r.expected_property.empty() ? std::string("(any)") : r.expected_property) << " to fail, "
         << (r.failed_property.empty() ? std::string("every check held") : "got " + r.failed_property) << "\n";
  return r.failed_property.empty() ? kExitOk : kExitPropertyFailed;
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
  if (is_harness_counterexample(scenario::read_json_file(path))) {
    if (out_dir) throw UsageError("mdsim replay: --out is not available for harness counterexamples");
    return replay_harness(path, a.flag("--json"), io);
  }
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
