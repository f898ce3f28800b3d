#include "faults/ops_runner.h"

#include <gtest/gtest.h>

#include "faults/explore.h"

namespace mdsim::faults {
namespace {

OpsSetup small_setup(md::IntentType t) {
  OpsSetup s;
  s.size_bytes = 16ull << 20;
  s.intent.type = t;
  s.intent.chunk_bytes = 64 << 10;
  return s;
}

std::vector<Op> crash_ops() {
  return {{.kind = OpKind::write, .sector = 0, .sectors = 8},
          {.kind = OpKind::write, .sector = 4096, .sectors = 16, .batch = true},
          {.kind = OpKind::wait},
          {.kind = OpKind::flush},
          {.kind = OpKind::write, .sector = 8192, .sectors = 8},
          {.kind = OpKind::advance, .ns = 20'000},
          {.kind = OpKind::power_loss, .choice = 3},
          {.kind = OpKind::write, .sector = 8, .sectors = 8},
          {.kind = OpKind::wait}};
}

TEST(OpsRunner, CorrectBitmapEngineHoldsEveryProperty) {
  OpsRunner r(small_setup(md::IntentType::bitmap));
  const auto ops = crash_ops();
  const RunOutcome out = r.run(ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_EQ(out.crashes, 1u);
  EXPECT_GT(out.writes_checked_online, 0u);
}

TEST(OpsRunner, SameOpsSameOutcome) {
  const auto ops = crash_ops();
  OpsRunner a(small_setup(md::IntentType::bitmap)), b(small_setup(md::IntentType::bitmap));
  const RunOutcome x = a.run(ops), y = b.run(ops);
  EXPECT_EQ(x.events, y.events);
  EXPECT_EQ(x.efficiency.resync_sectors, y.efficiency.resync_sectors);
}

TEST(Explore, SmallRunEveryBoundaryPasses) {
  ExploreConfig cfg;
  cfg.random_samples = 2;
  cfg.deep_every = 16;
  cfg.double_crash_every = 2;
  const std::vector<Op> ops{{.kind = OpKind::write, .sector = 0, .sectors = 8},
                            {.kind = OpKind::write, .sector = 256, .sectors = 8, .batch = true},
                            {.kind = OpKind::flush},
                            {.kind = OpKind::wait}};
  const ExploreSummary s = explore_ops(small_setup(md::IntentType::bitmap), ops, cfg);
  EXPECT_FALSE(s.first_failure.has_value()) << s.first_failure->text();
  EXPECT_GT(s.crash_points, 0u);
  EXPECT_EQ(s.crash_points, s.events_total);
  EXPECT_GE(s.states, s.crash_points);
}

}  // namespace
}  // namespace mdsim::faults
