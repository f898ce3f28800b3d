// Ours (epochmap) against the classic bitmap after a crash at any idle time
// after a random burst (issue 4 target; docs/intent-ours.md "Idle sweep").
// The setup is the notebook's small array (python/mdsim_plots.py
// crash_resync): raid1 on 2 nvme members of 64 MiB, 64 KiB intent chunks,
// 20 s settle, 500 random 4 KiB writes in batches of 32, `idle` of quiet,
// then a power loss that persists everything; resync sectors after assembly.
// No two writes of a batch hit the same block: overlapping writes in flight
// may land in different orders on the mirrors (docs/verification.md F9).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/run/runner.h"
#include "model/scenario/loader.h"
#include "sim/prng.h"

namespace mdsim::md {
namespace {

nlohmann::json burst_scenario(const std::string& backend, int64_t idle_ns) {
  nlohmann::json ops = nlohmann::json::array();
  ops.push_back({{"op", "advance"}, {"ns", 20'000'000'000ll}});
  sim::Prng rng(sim::mix64(41));
  constexpr uint64_t kBlocks = (64ull << 20) / 4096;
  std::vector<uint64_t> batch;  // no two writes to one block in flight (their order is unspecified)
  for (int i = 0; i < 500; ++i) {
    uint64_t b = rng.below(kBlocks);
    while (std::find(batch.begin(), batch.end(), b) != batch.end()) b = rng.below(kBlocks);
    batch.push_back(b);
    ops.push_back({{"op", "write"}, {"sector", b * 8}, {"sectors", 8}, {"batch", i % 32 != 0}});
    if (i % 32 == 31 || i == 499) {
      ops.push_back({{"op", "wait"}});
      batch.clear();
    }
  }
  if (idle_ns > 0) ops.push_back({{"op", "advance"}, {"ns", idle_ns}});
  ops.push_back({{"op", "power_loss"}, {"persist", "all"}});
  return {{"name", "idle-" + backend},
          {"seed", 7},
          {"array", {{"level", 1}, {"disks", 2}, {"size", "64MiB"}, {"intent", {{"type", backend}, {"chunk", "64KiB"}}}}},
          {"disk", {{"profile", "nvme"}}},
          {"ops", ops},
          {"checks", {"coverage", "convergence", "durability", "intent_before_data"}}};
}

run::Result run_burst(const std::string& backend, int64_t idle_ns) {
  const auto s = scenario::parse_scenario(burst_scenario(backend, idle_ns), "idle-test");
  return run::run_scenario(s, run::RunOptions{}).result;
}

TEST(EpochmapIdle, ResyncsNoMoreThanClassicBitmapAtEveryIdleTime) {
  const double idle_s[] = {0, 0.1, 0.3, 0.5, 1, 2, 3, 5, 10, 60};
  uint64_t bitmap_at_zero = 0;
  for (double s : idle_s) {
    const int64_t ns = static_cast<int64_t>(s * 1e9);
    const run::Result ours = run_burst("ours", ns);
    const run::Result bitmap = run_burst("bitmap", ns);
    EXPECT_TRUE(ours.passed()) << "idle " << s << " s: " << ours.first_failed_check();
    EXPECT_TRUE(bitmap.passed()) << "idle " << s << " s: " << bitmap.first_failed_check();
    EXPECT_LE(ours.resync_sectors, bitmap.resync_sectors) << "idle " << s << " s";
    if (ns == 0) {
      bitmap_at_zero = bitmap.resync_sectors;
      EXPECT_GT(ours.resync_sectors, 0u) << "the burst's chunks must be resynced right after it";
    }
  }
  // The burst really left dirt for the classic bitmap (the comparison bites).
  EXPECT_GT(bitmap_at_zero, 0u);
}

}  // namespace
}  // namespace mdsim::md
