// The scenario runner: one pre-crash simulation (create, faults, workload or
// ops, until the power loss or the end) and, after a power loss, a fresh
// simulation that assembles the array from the post-crash media only, resyncs
// and is checked. design.md §3-4; docs/scenario-format.md "How a run goes".
#include "model/run/runner.h"

#include <algorithm>

#include "faults/crash_state.h"
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
  if (s.array.level != 1)
    return "raid" + std::to_string(s.array.level) + " (only the raid1 personality is in this build)";
  const auto t = s.array.intent.type;
  if (t != scenario::IntentType::none && t != scenario::IntentType::bitmap)
    return std::string("intent backend \"") + scenario::intent_type_name(t) +
           "\" (this build has the none and bitmap backends)";
  for (const auto& o : s.ops)
    if (o.type == scenario::OpType::write && (o.fua || o.preflush))
      return "write ops with fua/preflush (the engine's user IO has no such flags yet)";
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
  throw NotImplemented("crash-point exploration (the verification harness) is not in this build yet");
}

}  // namespace mdsim::run
