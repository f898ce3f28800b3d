// Stateful property suites for every intent backend on raid1: generated ops
// lists (writes of many sizes, overlapping and hot spots, discards, flushes,
// time advances across safemode / barrier_idle / daemon periods, power losses
// at generated points, member failure, removal, re-add, slow members, resync
// starts and interruptions) must hold every property. A failure is shrunk by
// RapidCheck, saved as a scenario JSON in the ops form, and the output names
// the file and the replay command.
//
// CI budget: fixed seeds and case counts in code (RC_PARAMS is not used).
// Long campaigns: MDSIM_PROP_CASES=5000 MDSIM_PROP_SEED=<n> build/tests/mdsim_property_tests
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "faults/explore.h"
#include "faults/mutant_campaign.h"
#include "faults/ops_runner.h"
#include "support/harness_suite.h"

namespace mdsim::faults {
namespace {

constexpr uint64_t kArraySectors = 32768;  // 16 MiB per member

rc::Gen<uint64_t> gen_sector() {
  // Half the IO lands in four hot chunks (overlaps, shared bits).
  return rc::gen::weightedOneOf<uint64_t>(
      {{1, rc::gen::inRange<uint64_t>(0, 4 * 128)}, {1, rc::gen::inRange<uint64_t>(0, kArraySectors)}});
}

rc::Gen<Op> gen_io(OpKind k) {
  return rc::gen::apply(
      [k](uint64_t s, uint64_t n, bool batch) {
        return Op{.kind = k, .sector = s, .sectors = n, .batch = k == OpKind::write && batch};
      },
      gen_sector(), rc::gen::element<uint64_t>(1, 8, 16, 64), rc::gen::arbitrary<bool>());
}

rc::Gen<Op> gen_op(bool faults, bool discards = true, bool media = false) {
  auto simple = [](OpKind k) { return rc::gen::just(Op{.kind = k}); };
  auto advance = rc::gen::map(
      rc::gen::element<int64_t>(10'000, 1'000'000, 250'000'000, 1'500'000'000, 6'000'000'000),
      [](int64_t ns) { return Op{.kind = OpKind::advance, .ns = ns}; });
  auto crash = rc::gen::map(rc::gen::inRange<uint64_t>(0, 1u << 20),
                            [](uint64_t c) { return Op{.kind = OpKind::power_loss, .choice = c}; });
  auto member = [](OpKind k) {
    return rc::gen::map(rc::gen::inRange(0, 2), [k](int d) { return Op{.kind = k, .disk = d}; });
  };
  auto slow = rc::gen::apply([](int d, uint32_t f) { return Op{.kind = OpKind::slow_disk, .disk = d, .factor = f}; },
                             rc::gen::inRange(0, 2), rc::gen::element<uint32_t>(1, 4, 64, 10'000));
  // Media errors: an unreadable range (a write repairs it) or a range whose
  // writes fail, on one member (findings F2a/F2b fixed).
  auto media_op = [](OpKind k) {
    return rc::gen::apply([k](int d, uint64_t s, uint64_t n) { return Op{.kind = k, .sector = s, .sectors = n, .disk = d}; },
                          rc::gen::inRange(0, 2), gen_sector(), rc::gen::inRange<uint64_t>(1, 9));
  };
  const int f = faults ? 3 : 0;
  const int me = faults && media ? 2 : 0;
  return rc::gen::weightedOneOf<Op>({{40, gen_io(OpKind::write)},
                                     {discards ? 5 : 0, gen_io(OpKind::discard)},
                                     {8, simple(OpKind::flush)},
                                     {7, simple(OpKind::wait)},
                                     {15, advance},
                                     {5, simple(OpKind::daemon_tick)},
                                     {3, simple(OpKind::start_resync)},
                                     {9, crash},
                                     {f, member(OpKind::fail_disk)},
                                     {f, member(OpKind::readd_disk)},
                                     {f, member(OpKind::remove_disk)},
                                     {f, slow},
                                     {me, media_op(OpKind::bad_block)},
                                     {me, media_op(OpKind::write_error)}});
}

using testing::env_int;

OpsSetup setup_for(md::IntentType t) {
  OpsSetup s;
  s.name = std::string("prop-") + md::intent_type_name(t);
  s.size_bytes = kArraySectors * 512;
  s.intent.type = t;
  s.intent.chunk_bytes = t == md::IntentType::none ? 0 : 64 << 10;
  return s;
}

// Runs the stateful property; on failure saves the shrunk list and fails the test.
void check_backend(const OpsSetup& setup, bool faults, uint64_t seed, int cases, bool discards = true,
                   bool media = false) {
  if (!backend_available(setup.intent.type)) GTEST_SKIP() << "backend not in this build";
  std::vector<Op> last_failing;
  std::string last_report;
  rc::detail::TestParams params;
  params.seed = static_cast<uint64_t>(env_int("MDSIM_PROP_SEED", static_cast<int>(seed)));
  params.maxSuccess = env_int("MDSIM_PROP_CASES", cases);
  params.maxSize = 40;
  const auto result = rc::detail::checkTestable(
      [&] {
        const auto ops = *rc::gen::container<std::vector<Op>>(gen_op(faults, discards, media));
        OpsRunner r(setup);
        const RunOutcome out = r.run(ops);
        if (out.failed) {
          last_failing = ops;
          last_report = out.failure->text();
        }
        RC_ASSERT(!out.failed);
      },
      rc::detail::TestMetadata{}, params);
  rc::detail::FailureResult failure;
  if (!result.match(failure)) {
    rc::detail::GaveUpResult gave_up;
    rc::detail::Error error;
    ASSERT_FALSE(result.match(gave_up)) << gave_up.description;
    ASSERT_FALSE(result.match(error)) << error.description;
    return;
  }
  const std::string path = std::filesystem::absolute(setup.name + "-counterexample.json").string();
  save_counterexample(path, OpsScenario{setup, last_failing},
                      last_report.substr(9, last_report.find(' ', 9) - 9));
  ADD_FAILURE() << "shrunk counterexample (" << last_failing.size() << " ops) saved to " << path
                << "\nreplay: build/tests/mutants/mdsim_mutants replay " << path
                << "   (or: build/mdsim replay " << path << ")\n"
                << last_report;
}

TEST(HarnessProperty, NoneBackendHoldsEveryProperty) {
  check_backend(setup_for(md::IntentType::none), true, 11, 40);
}
TEST(HarnessProperty, BitmapBackendHoldsEveryProperty) {
  check_backend(setup_for(md::IntentType::bitmap), true, 12, 60);
}
TEST(HarnessProperty, LlbitmapBackendHoldsEveryProperty) {
  // Discards included: their content is unspecified (docs/verification.md,
  // "Discards"; finding F3).
  check_backend(setup_for(md::IntentType::llbitmap), true, 13, 60);
}
TEST(HarnessProperty, JournalBackendHoldsEveryProperty) {
  check_backend(setup_for(md::IntentType::journal), true, 14, 60);
}
TEST(HarnessProperty, OursBackendHoldsEveryProperty) {
  check_backend(setup_for(md::IntentType::ours), true, 15, 60);
}

// The same properties with bad blocks and write errors in the mix (raid1
// narrow_write_error, bad-block write splitting, fix_sync_read_error).
TEST(HarnessProperty, NoneBackendWithMediaErrors) {
  check_backend(setup_for(md::IntentType::none), true, 21, 40, true, true);
}
TEST(HarnessProperty, BitmapBackendWithMediaErrors) {
  check_backend(setup_for(md::IntentType::bitmap), true, 22, 60, true, true);
}
TEST(HarnessProperty, LlbitmapBackendWithMediaErrors) {
  check_backend(setup_for(md::IntentType::llbitmap), true, 23, 60, true, true);
}

// Crash at every event boundary of short generated runs, with bounded subset,
// prefix and random choices, deep (resynced) states and double crashes.
void explore_backend(md::IntentType t, uint64_t seed) {
  if (!backend_available(t)) GTEST_SKIP() << "backend not in this build";
  const OpsSetup setup = setup_for(t);
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = env_int("MDSIM_PROP_EXPLORE_CASES", 8);
  params.maxSize = 8;
  const auto result = rc::detail::checkTestable(
      [&] {
        const auto ops = *rc::gen::container<std::vector<Op>>(gen_op(false));
        std::vector<Op> no_crash;
        for (const Op& op : ops)
          if (op.kind != OpKind::power_loss) no_crash.push_back(op);
        const ExploreSummary s = explore_ops(setup, no_crash, testing::suite_explore_config(40, 16, 25));
        RC_ASSERT(!s.first_failure.has_value());
      },
      rc::detail::TestMetadata{}, params);
  rc::detail::FailureResult failure;
  EXPECT_FALSE(result.match(failure)) << failure.description;
}

TEST(HarnessExplore, NoneEveryCrashPoint) { explore_backend(md::IntentType::none, 21); }
TEST(HarnessExplore, BitmapEveryCrashPoint) { explore_backend(md::IntentType::bitmap, 22); }
TEST(HarnessExplore, LlbitmapEveryCrashPoint) { explore_backend(md::IntentType::llbitmap, 23); }
TEST(HarnessExplore, JournalEveryCrashPoint) { explore_backend(md::IntentType::journal, 24); }
TEST(HarnessExplore, OursEveryCrashPoint) { explore_backend(md::IntentType::ours, 25); }

// The harness has teeth: with a mutant on, the same suite finds a failure,
// shrinks it small, and the saved file replays.
TEST(HarnessTeeth, MutantIsFoundShrunkSavedAndReplayed) {
  CampaignConfig cfg;
  cfg.max_cases = 500;
  cfg.time_budget_s = 1e9;  // bounded by cases: no clock dependence
  cfg.clock_s = [] { return 0.0; };
  cfg.out_dir = std::filesystem::temp_directory_path().string();
  const MutantResult r = run_mutant(md::Mutant::skip_second_mirror, cfg);
  ASSERT_TRUE(r.killed);
  EXPECT_LE(r.counterexample_len, 3u);
  ASSERT_FALSE(r.counterexample_path.empty());
  const ReplayOutcome rep = replay_counterexample(r.counterexample_path);
  EXPECT_TRUE(rep.reproduced) << rep.failed_property;
  EXPECT_EQ(rep.expected_property, r.property);
}

}  // namespace
}  // namespace mdsim::faults
