// Workload generator costs: whole runs against a fixed-latency target, block
// choice per distribution, histogram recording.
#include <benchmark/benchmark.h>

#include "model/workload/distribution.h"
#include "model/workload/fixed_latency_target.h"
#include "model/workload/generator.h"
#include "sim/latency_histogram.h"

namespace mdsim::workload {
namespace {

void BM_GeneratorRandwrite(benchmark::State& state) {
  const auto depth = static_cast<uint32_t>(state.range(0));
  const auto batch = static_cast<uint32_t>(state.range(1));
  constexpr uint64_t kIos = 100'000;
  for (auto _ : state) {
    sim::Simulator sim(1);
    FixedLatencyTarget target(sim, {.capacity = disk::SectorCount(uint64_t{1} << 31)});
    JobSpec j;
    j.rw = RwMode::randwrite;
    j.iodepth = depth;
    j.iodepth_batch_submit = batch;
    j.number_ios = kIos;
    WorkloadGenerator gen(sim, target, {j});
    gen.start();
    sim.run();
    benchmark::DoNotOptimize(gen.metrics().user_writes);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kIos));
}
BENCHMARK(BM_GeneratorRandwrite)->Args({1, 1})->Args({32, 1})->Args({32, 16})
    ->Unit(benchmark::kMillisecond);

void BM_BlockPicker(benchmark::State& state) {
  const RandomDistribution dists[] = {{DistributionKind::uniform, 0},
                                      {DistributionKind::zipf, 1'200'000},
                                      {DistributionKind::pareto, 200'000},
                                      {DistributionKind::normal, 5'000'000}};
  sim::Prng prng(3);
  BlockPicker picker(dists[state.range(0)], uint64_t{1} << 28, prng);  // 1 TiB of 4 KiB
  for (auto _ : state) benchmark::DoNotOptimize(picker.next(prng));
  state.SetLabel(distribution_name(dists[state.range(0)].kind));
}
BENCHMARK(BM_BlockPicker)->DenseRange(0, 3);

void BM_HistogramRecord(benchmark::State& state) {
  sim::LatencyHistogram h;
  uint64_t v = 12345;
  for (auto _ : state) {
    v = v * 6364136223846793005ull + 1442695040888963407ull;
    h.record_ns(v >> 40);
  }
  benchmark::DoNotOptimize(h.count());
}
BENCHMARK(BM_HistogramRecord);

}  // namespace
}  // namespace mdsim::workload
