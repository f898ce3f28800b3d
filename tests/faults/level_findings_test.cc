// The level findings L10..L12 (docs/verification.md): their regression
// scenarios pass on the clean engine (Regressions.*); these tests pin WHY
// each passes, so a later change cannot make one pass for another reason.
#include <gtest/gtest.h>

#include "faults/ops_runner.h"
#include "model/md/array.h"
#include "model/md/md_array.h"
#include "tests/support/regression_file.h"

namespace mdsim::faults {
namespace {

OpsScenario load(const std::string& name) { return testing::load_regression(name); }

TEST(LevelFindings, Raid5WriteErrorRecordsOnlyTheFailingStripes) {
  // L10: the parity write over the row fails on sectors 2..4 only; md
  // records the one 4 KiB stripe, not the row.
  const OpsScenario s = load("raid5-ours-write-error-costs-only-its-stripes");
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(s.ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_TRUE(out.write_hole.empty());
  EXPECT_EQ(r.array()->members()[2].bad_blocks, 1u);
  EXPECT_FALSE(r.array()->core().members_[2].badblocks.overlaps(Sector(8), SectorCount(120)));
  EXPECT_TRUE(r.array()->core().members_[2].badblocks.overlaps(Sector(2), SectorCount(3)));
}

TEST(LevelFindings, Raid10ReaddRefusedWhileWritesForTheMemberAreQueued) {
  // L11: the re-add comes while a write chosen for member 1 waits in the plug.
  const OpsScenario s = load("raid10-bitmap-readd-refused-while-writes-queued");
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(s.ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_TRUE(r.array()->members()[1].faulty);
  EXPECT_EQ(r.array()->core().members_[1].queued_writes, 0u);  // the queued write went out (and failed)
}

TEST(LevelFindings, Raid5CrashDuringWriteToBadStripeIsTheWriteHole) {
  // L12: accepted as md's write hole, recorded, not a silent pass.
  const OpsScenario s = load("raid5-bitmap-crash-during-write-to-bad-stripe-is-write-hole");
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(s.ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_NE(out.write_hole.find("bad block"), std::string::npos) << out.write_hole;
}

}  // namespace
}  // namespace mdsim::faults
