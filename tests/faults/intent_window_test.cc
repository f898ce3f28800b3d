// llbitmap's one-copy window (F31, faults/intent_window.h): the two saved
// crashes pass BECAUSE the harness recognised the window, and crashes of the
// same list outside it are still judged in full.
#include <gtest/gtest.h>

#include "faults/ops_runner.h"
#include "support/regression_scenario.h"

namespace mdsim::faults {
namespace {

using testing::load_regression;

// The saved crash passes, and only through the window, at the named chunk.
void expect_window_at(const std::string& scenario, const std::string& chunk) {
  const OpsScenario s = load_regression(scenario);
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(s.ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_NE(out.intent_window.find(chunk), std::string::npos) << out.intent_window;
  EXPECT_EQ(out.crashes, 1u);
}

TEST(OneCopyWindow, Raid1CleanOnLoadedMemberDataCachedOnOther) {
  // F26: member 0's copy says Clean, member 1's Dirty, member 1 lost the write.
  expect_window_at("f26-llbitmap-one-copy-window-raid1", "chunk 243");
}

TEST(OneCopyWindow, Raid5ParityCachedOnMemberWhoseCopyIsDirty) {
  expect_window_at("raid5-llbitmap-one-copy-window-very-slow-member", "chunk 52");
}

TEST(OneCopyWindow, OtherCrashChoicesOfTheSameListAreJudgedInFull) {
  // Other choices keep or drop other writes: every one passes, and those
  // outside the window run to the end (resync, convergence, liveness).
  OpsScenario s = load_regression("f26-llbitmap-one-copy-window-raid1");
  int in_window = 0, judged_in_full = 0;
  for (uint64_t choice = 0; choice < 48; ++choice) {
    s.ops.back().choice = choice;
    OpsRunner r(s.setup);
    const RunOutcome out = r.run(s.ops);
    EXPECT_FALSE(out.failed) << choice << "\n" << (out.failure ? out.failure->text() : "");
    (out.intent_window.empty() ? judged_in_full : in_window)++;
  }
  EXPECT_GT(in_window, 0);
  EXPECT_GT(judged_in_full, 0);
}

TEST(OneCopyWindow, NotAppliedToOtherBackends) {
  // The classic bitmap clears a bit only on the second daemon pass after the
  // write ended; the same list on it never reaches the window and must pass
  // plainly.
  OpsScenario s = load_regression("f26-llbitmap-one-copy-window-raid1");
  s.setup.intent.type = md::IntentType::bitmap;
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(s.ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_TRUE(out.intent_window.empty()) << out.intent_window;
}

}  // namespace
}  // namespace mdsim::faults
