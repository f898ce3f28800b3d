// The scenario runner: one pre-crash simulation (create, faults, workload or
// ops, until the power loss or the end) and, after a power loss, a fresh
// simulation that assembles the array from the post-crash media only, resyncs
// and is checked. design.md §3-4; docs/scenario-format.md "How a run goes".
#include "model/run/runner.h"

#include <algorithm>

#include "faults/crash_state.h"
#include "faults/explore.h"
#include "faults/ops.h"
#include "faults/fault_plan.h"
#include "model/run/build.h"
#include "model/run/checks.h"
#include "model/run/crash.h"
#include "model/run/phase.h"
#include "model/workload/generator.h"
#include "sim/assert.h"

namespace mdsim::run {

using scenario::Scenario;

std::string unsupported_part(const Scenario& s) {
  if (s.array.level != 1 && raid_layout_code(s.array.level, s.array.layout) == 0)
    return "raid" + std::to_string(s.array.level) + " layout \"" + s.array.layout +
           "\" (the engine models raid10 n2, n3, o2, f2 and raid5 left-symmetric)";
  bool fault_crash = false;
  for (const auto& f : s.faults) fault_crash = fault_crash || f.type == scenario::FaultType::power_loss;
  if (fault_crash && !s.ops.empty()) return "a power_loss fault together with ops (use a power_loss op)";
  return {};
}

RunOutput run_scenario(const Scenario& s, const RunOptions& opt) {
  SIM_ASSERT(s.array.disks >= 2);
  const std::string missing = unsupported_part(s);
  if (!missing.empty()) throw NotImplemented(missing);
  Phases p(s, opt);
  return p.run();
}

RunOutput explore_scenario(const Scenario& s, const ExploreOptions& opt) {
  SIM_ASSERT(s.array.disks >= 2);
  SIM_ASSERT(!opt.crash_points || *opt.crash_points > 0);
  const std::string missing = unsupported_part(s);
  if (!missing.empty()) throw NotImplemented(missing);
  // The fio-like workload is time driven (completions release the next IOs),
  // so it has no faithful ops expansion yet: refuse rather than explore
  // something else than what the scenario says.
  if (s.workload)
    throw NotImplemented("explore of a \"workload\" scenario (it is not expanded into the ops form yet; "
                         "give an explicit \"ops\" list, or use mdsim run with a power_loss fault)");
  if (!s.faults.empty() || s.ops.empty())
    throw NotImplemented("explore of a \"faults\" scenario (the harness explores the explicit \"ops\" form)");
  faults::OpsScenario os;
  try {
    os = faults::scenario_from_json(s.document);
  } catch (const std::invalid_argument& e) {
    throw NotImplemented(std::string("explore of this ops list: ") + e.what());
  }
  faults::ExploreConfig cfg;
  cfg.crash_points = opt.crash_points;
  cfg.seed = s.seed;
  cfg.progress = opt.progress;
  const faults::ExploreSummary sum = faults::explore_ops(os.setup, os.ops, cfg);
  RunOutput out;
  Result& r = out.result;
  r.scenario = s.name;
  r.seed = s.seed;
  r.events = sum.events_total;
  r.crash_points_checked = sum.crash_points;
  r.crash_states_checked = sum.states;
  r.crash_state_failures = sum.failures;
  r.inconsistent_chunks = sum.efficiency.inconsistent_chunks;
  r.resync_sectors = sum.efficiency.resync_sectors;
  // trace_hash stays 0: an exploration is many runs (docs/scenario-format.md).
  for (const std::string& name : s.checks)
    r.checks[name] = {true, std::to_string(sum.states) + " crash states at " + std::to_string(sum.crash_points) +
                                " points, none failed"};
  if (sum.first_failure) {
    const faults::FailureReport& f = *sum.first_failure;
    r.checks[f.property] = {false, f.detail + " (at event " + std::to_string(sum.failing_event) + ")"};
    out.first_failure = ExploreFailure{f.property, f.detail, sum.failing_event, f.failing_op};
  }
  return out;
}

std::string explore_replay_command(const std::string& path, uint64_t seed, std::optional<uint64_t> crash_points) {
  std::string cmd = "mdsim explore " + path + " --seed " + std::to_string(seed);
  // Sampled points depend on N: the same N picks the same points again.
  if (crash_points) cmd += " --crash-points " + std::to_string(*crash_points);
  return cmd;
}

}  // namespace mdsim::run
