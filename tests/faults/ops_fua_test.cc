// FUA / PREFLUSH writes in the harness's ops form: the JSON keys round-trip
// (and are absent on plain writes, so saved lists stay as they were), and a
// crash at every event boundary, with sampled cache choices, keeps every
// acknowledged FUA write and every write acknowledged before a PREFLUSH
// write's acknowledgement (the durability check walks them).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "faults/explore.h"
#include "faults/ops_gen.h"
#include "faults/ops_runner.h"

namespace mdsim::faults {
namespace {

TEST(OpsFua, FlagsRoundTripAndPlainWritesStayUnchanged) {
  const Op fua{.kind = OpKind::write, .sector = 8, .sectors = 8, .fua = true};
  const Op pre{.kind = OpKind::write, .sector = 16, .sectors = 8, .preflush = true};
  const Op plain{.kind = OpKind::write, .sector = 24, .sectors = 8};
  EXPECT_EQ(op_from_json(op_to_json(fua), "/0"), fua);
  EXPECT_EQ(op_from_json(op_to_json(pre), "/1"), pre);
  EXPECT_EQ(op_to_json(plain).dump(), R"({"op":"write","sector":24,"sectors":8})");
  EXPECT_TRUE(op_to_json(fua).at("fua").get<bool>());
}

OpsSetup setup(md::IntentType t, int level) {
  OpsSetup s;
  s.size_bytes = 16ull << 20;
  s.level = level;
  s.disks = level == 1 ? 2 : (level == 10 ? 4 : 3);
  s.raid_chunk_sectors = level == 1 ? 0 : 128;
  s.intent.type = t;
  s.intent.chunk_bytes = 64 << 10;
  return s;
}

class OpsFuaExplore : public ::testing::TestWithParam<std::pair<md::IntentType, int>> {};

TEST_P(OpsFuaExplore, EveryCrashPointKeepsWhatFuaAndPreflushPromised) {
  const auto [type, level] = GetParam();
  ExploreConfig cfg;
  cfg.random_samples = 3;
  cfg.deep_every = 8;
  const std::vector<Op> ops{{.kind = OpKind::write, .sector = 0, .sectors = 8},
                            {.kind = OpKind::wait},
                            {.kind = OpKind::write, .sector = 1024, .sectors = 8, .fua = true},
                            {.kind = OpKind::write, .sector = 2048, .sectors = 8, .batch = true},
                            {.kind = OpKind::wait},
                            {.kind = OpKind::write, .sector = 4096, .sectors = 8, .preflush = true},
                            {.kind = OpKind::wait},
                            {.kind = OpKind::write, .sector = 8, .sectors = 8, .fua = true},
                            {.kind = OpKind::wait}};
  const ExploreSummary s = explore_ops(setup(type, level), ops, cfg);
  EXPECT_FALSE(s.first_failure.has_value()) << s.first_failure->text();
  EXPECT_GT(s.crash_points, 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpsFuaExplore,
                         ::testing::Values(std::pair{md::IntentType::bitmap, 1},
                                           std::pair{md::IntentType::journal, 1},
                                           std::pair{md::IntentType::llbitmap, 10},
                                           std::pair{md::IntentType::ours, 5}));

// Generated lists with FUA / PREFLUSH writes (GenConfig::user_flags) on the
// clean engine: every property holds (long runs: mdsim_clean_hunt BACKEND N
// SEED 1 1). The flags must really be generated.
TEST_P(OpsFuaExplore, GeneratedListsWithFlagsHoldEveryProperty) {
  const auto [type, level] = GetParam();
  GenConfig gen;
  gen.array_sectors = 32768;
  gen.level = level;
  gen.disks = level == 1 ? 2 : (level == 10 ? 4 : 3);
  gen.raid_chunk_sectors = level == 1 ? 1024 : 128;
  gen.user_flags = true;
  sim::Prng rng(sim::mix64(static_cast<uint64_t>(type) * 31 + static_cast<uint64_t>(level)));
  uint64_t fua = 0, preflush = 0;
  for (int c = 0; c < 120; ++c) {
    const std::vector<Op> ops = generate_ops(rng, gen);
    for (const Op& op : ops) fua += op.fua, preflush += op.preflush;
    OpsRunner r(setup(type, level));
    const RunOutcome out = r.run(ops);
    ASSERT_FALSE(out.failed) << "case " << c << "\n" << out.failure->text();
  }
  EXPECT_GT(fua, 0u);
  EXPECT_GT(preflush, 0u);
}

}  // namespace
}  // namespace mdsim::faults
