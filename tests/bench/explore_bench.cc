// Crash states checked per CPU-second: 64 MiB raid1, a 200-op workload, power
// loss at sampled event boundaries, bounded subset / prefix / random choices.
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

void explore(benchmark::State& state, md::IntentType t) {
  OpsSetup setup;
  setup.size_bytes = 64ull << 20;
  setup.intent.type = t;
  setup.intent.chunk_bytes = t == md::IntentType::none ? 0 : 64 << 10;
  const auto ops = workload_200(setup.size_bytes / 512);
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

BENCHMARK_CAPTURE(explore, bitmap, md::IntentType::bitmap)->Arg(100)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(explore, llbitmap, md::IntentType::llbitmap)->Arg(100)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(explore, journal, md::IntentType::journal)->Arg(100)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mdsim::faults

