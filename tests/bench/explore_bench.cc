// Crash states checked per CPU-second: 64 MiB raid1 (and raid10 / raid5 of
// the same capacity), a 200-op workload, power loss at sampled event
// boundaries, bounded subset / prefix / random choices.
// Figures go to reports/bench-verify.md.
#include <benchmark/benchmark.h>

#include "faults/explore.h"

namespace mdsim::faults {
namespace {

std::vector<Op> workload_200(uint64_t sectors) {
  sim::Prng rng(42);
  std::vector<Op> ops;
  while (ops.size() < 200) {
    const uint64_t s = rng.below(sectors / 8) * 8;
    ops.push_back(Op{.kind = OpKind::write, .sector = s, .sectors = 8,
                     .batch = !ops.empty() && rng.chance(sim::Ratio{3, 4})});
    if (ops.size() % 20 == 0) ops.push_back(Op{.kind = OpKind::flush});
    if (ops.size() % 7 == 0) ops.push_back(Op{.kind = OpKind::advance, .ns = 20'000});
  }
  ops.push_back(Op{.kind = OpKind::wait});
  return ops;
}

// The same 64 MiB of array capacity on every level: raid1 2 x 64 MiB, raid10
// near-2 4 x 32 MiB, raid5 3 x 32 MiB; 64 KiB raid chunks (the level suites').
OpsSetup level_setup(int level, md::IntentType t) {
  OpsSetup setup;
  setup.level = level;
  setup.disks = level == 1 ? 2 : level == 5 ? 3 : 4;
  setup.size_bytes = level == 1 ? 64ull << 20 : 32ull << 20;
  if (level != 1) setup.raid_chunk_sectors = 128;
  setup.intent.type = t;
  return setup;
}

void explore(benchmark::State& state, int level, md::IntentType t) {
  OpsSetup setup = level_setup(level, t);
  setup.intent.chunk_bytes = t == md::IntentType::none ? 0 : 64 << 10;
  const auto ops = workload_200((64ull << 20) / 512);
  ExploreConfig cfg;
  cfg.crash_points = static_cast<uint64_t>(state.range(0));
  cfg.subset_kept_max = 1;
  cfg.random_samples = 16;
  cfg.choices_per_point_max = 256;
  uint64_t states = 0, assemblies = 0, points = 0, events = 0;
  for (auto _ : state) {
    const ExploreSummary s = explore_ops(setup, ops, cfg);
    if (s.first_failure) state.SkipWithError(s.first_failure->text().c_str());
    states += s.states;
    assemblies += s.assemblies;
    points += s.crash_points;
    events = s.events_total;
  }
  state.counters["states_per_cpu_s"] = benchmark::Counter(static_cast<double>(states), benchmark::Counter::kIsRate);
  state.counters["states_per_point"] = static_cast<double>(states) / static_cast<double>(std::max<uint64_t>(points, 1));
  state.counters["assemblies_per_point"] =
      static_cast<double>(assemblies) / static_cast<double>(std::max<uint64_t>(points, 1));
  state.counters["events"] = static_cast<double>(events);
}

#define MDSIM_EXPLORE_BENCH(name, level, type)                                      \
  BENCHMARK_CAPTURE(explore, name, level, md::IntentType::type)                    \
      ->Arg(100)                                                                     \
      ->MeasureProcessCPUTime()                                                      \
      ->Unit(benchmark::kMillisecond)
MDSIM_EXPLORE_BENCH(bitmap, 1, bitmap);
MDSIM_EXPLORE_BENCH(llbitmap, 1, llbitmap);
MDSIM_EXPLORE_BENCH(journal, 1, journal);
MDSIM_EXPLORE_BENCH(raid10_bitmap, 10, bitmap);
MDSIM_EXPLORE_BENCH(raid10_llbitmap, 10, llbitmap);
MDSIM_EXPLORE_BENCH(raid5_bitmap, 5, bitmap);
MDSIM_EXPLORE_BENCH(raid5_llbitmap, 5, llbitmap);

}  // namespace
}  // namespace mdsim::faults

