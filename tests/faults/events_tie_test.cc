// F25 (docs/verification.md): an events rollback and a member failing inside
// the same superblock round leave two members with equal events and role
// tables that disagree. md and mdadm may then assemble the stale member; the
// model does what they do and the harness exempts exactly that state.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "faults/ops_runner.h"
#include "model/md/array.h"

namespace mdsim::faults {
namespace {

OpsScenario load(const std::string& name) {
  const auto path = std::filesystem::path(MDSIM_SOURCE_DIR) / "scenarios" / "regressions" / (name + ".json");
  std::ifstream f(path);
  return scenario_from_json(nlohmann::json::parse(f));
}

TEST(EventsTie, MdadmIgnoresTheMemberReportingTheFreshestFailed) {
  const OpsScenario s = load("f25-events-tie-after-rollback-journal");
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(s.ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_EQ(out.crashes, 2u);
  EXPECT_NE(out.events_tie.find("member 1 ties member 0"), std::string::npos) << out.events_tie;
  EXPECT_NE(out.events_tie.find("reports the freshest member as failed"), std::string::npos) << out.events_tie;
  // mdadm's choice: member 0 (first with the highest events) alone.
  const auto members = r.array()->members();
  EXPECT_EQ(members[0].raid_disk, 0);
  EXPECT_EQ(members[1].raid_disk, -1);
  EXPECT_EQ(members[0].sb_events, members[1].sb_events);
}

TEST(EventsTie, FirstCrashOfTheSameListIsNotExempted) {
  // The list up to its first power loss: equal events there come with equal
  // role tables (no failure yet), so nothing is exempted.
  const OpsScenario s = load("f25-events-tie-after-rollback-journal");
  std::vector<Op> ops(s.ops.begin(), s.ops.begin() + 6);
  ASSERT_EQ(ops.back().kind, OpKind::power_loss);
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_TRUE(out.events_tie.empty()) << out.events_tie;
  EXPECT_TRUE(r.array()->assembly_conflict().empty());
}

}  // namespace
}  // namespace mdsim::faults
