// The level findings L10..L12 and L15 (docs/verification.md): their regression
// scenarios pass on the clean engine (Regressions.*); these tests pin WHY
// each passes, so a later change cannot make one pass for another reason.
#include <gtest/gtest.h>

#include "faults/ops_runner.h"
#include "model/md/array.h"
#include "model/md/md_array.h"
#include "support/regression_scenario.h"

namespace mdsim::faults {
namespace {

using mdsim::testing::RegressionRun;
using mdsim::testing::run_regression;

TEST(LevelFindings, Raid5WriteErrorRecordsOnlyTheFailingStripes) {
  // L10: the parity write over the row fails on sectors 2..4 only; md
  // records the one 4 KiB stripe, not the row.
  const RegressionRun run = run_regression("raid5-ours-write-error-costs-only-its-stripes");
  const RunOutcome& out = run.outcome;
  md::Array& a = *run.runner->array();
  EXPECT_FALSE(out.failed) << run.failure_text();
  EXPECT_TRUE(out.write_hole.empty());
  EXPECT_EQ(a.members()[2].bad_blocks, 1u);
  EXPECT_FALSE(a.core().members_[2].badblocks.overlaps(Sector(8), SectorCount(120)));
  EXPECT_TRUE(a.core().members_[2].badblocks.overlaps(Sector(2), SectorCount(3)));
}

TEST(LevelFindings, Raid10ReaddRefusedWhileWritesForTheMemberAreQueued) {
  // L11: the re-add comes while a write chosen for member 1 waits in the plug.
  const RegressionRun run = run_regression("raid10-bitmap-readd-refused-while-writes-queued");
  const RunOutcome& out = run.outcome;
  md::Array& a = *run.runner->array();
  EXPECT_FALSE(out.failed) << run.failure_text();
  EXPECT_TRUE(a.members()[1].faulty);
  EXPECT_EQ(a.core().members_[1].queued_writes, 0u);  // the queued write went out (and failed)
}

TEST(LevelFindings, Raid5CrashDuringWriteToBadStripeIsTheWriteHole) {
  // L12: accepted as md's write hole, recorded, not a silent pass.
  const RegressionRun run = run_regression("raid5-bitmap-crash-during-write-to-bad-stripe-is-write-hole");
  const RunOutcome& out = run.outcome;
  EXPECT_FALSE(out.failed) << run.failure_text();
  EXPECT_NE(out.write_hole.find("bad block"), std::string::npos) << out.write_hole;
}

TEST(LevelFindings, Raid5ResyncReadErrorIsCorrectedNotFatal) {
  // L15: the post-crash resync reads a stripe with a bad sector on member 0;
  // md rewrites the computed block and keeps the member, so the resync goes
  // on and rebuilds the row whose parity the crash left stale.
  const RegressionRun run = run_regression("raid5-none-resync-read-error-rewrites-block");
  const RunOutcome& out = run.outcome;
  md::Array& a = *run.runner->array();
  EXPECT_FALSE(out.failed) << run.failure_text();
  EXPECT_TRUE(out.write_hole.empty()) << out.write_hole;
  const auto members = a.members();
  for (const auto& m : members) EXPECT_TRUE(m.in_sync && !m.faulty);
  EXPECT_GE(members[0].corrected_read_errors, 1u);
  EXPECT_EQ(a.resync_offset(), Sector::max());
}

}  // namespace
}  // namespace mdsim::faults
