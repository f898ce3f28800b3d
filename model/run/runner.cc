#include "model/run/runner.h"

#include "sim/assert.h"

namespace mdsim::run {

// The pieces a run needs, as they land on main (see the "Status" section of
// docs/scenario-format.md). Each missing piece is named, so the message says
// exactly what must land before the scenario can run.
std::string unsupported_part(const scenario::Scenario& s) {
  // The modeled disk (model/disk/disk.cc), the md array core
  // (model/md/array.h) and the workload generator have not been merged into
  // this build yet; nothing of a scenario can be simulated without them.
  return "running raid" + std::to_string(s.array.level) + " with intent \"" +
         scenario::intent_type_name(s.array.intent.type) +
         "\" needs the md engine (model/md/array.h), the modeled disk and the workload generator, "
         "which are not in this build yet";
}

RunOutput run_scenario(const scenario::Scenario& s, const RunOptions& opt) {
  SIM_ASSERT(s.array.disks >= 2);
  (void)opt;
  const std::string missing = unsupported_part(s);
  if (!missing.empty()) throw NotImplemented(missing);
  return {};
}

RunOutput explore_scenario(const scenario::Scenario& s, const ExploreOptions& opt) {
  SIM_ASSERT(s.array.disks >= 2);
  SIM_ASSERT(!opt.crash_points || *opt.crash_points > 0);
  const std::string missing = unsupported_part(s);
  if (!missing.empty()) throw NotImplemented(missing);
  throw NotImplemented("crash-point exploration (the verification harness) is not in this build yet");
}

}  // namespace mdsim::run
