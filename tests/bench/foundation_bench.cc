// Foundation benchmarks: the bare event core, disk requests, crash images.
// Figures are recorded in reports/bench-foundation.md.
#include <benchmark/benchmark.h>

#include "faults/crash_state.h"
#include "model/disk/disk.h"
#include "sim/simulator.h"

namespace mdsim {
namespace {

// Bare queue: each event schedules the next one at a pseudo-random future
// instant, with `pending` events in the queue at any time.
void BM_EventCoreBare(benchmark::State& state) {
  const auto pending = static_cast<int>(state.range(0));
  uint64_t events = 0;
  for (auto _ : state) {
    sim::Simulator sim(1);
    uint64_t x = 12345;
    uint64_t budget = 1'000'000;
    std::function<void()> tick;
    tick = [&] {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      if (budget == 0) return;
      --budget;
      sim.schedule(sim::Duration::ns(static_cast<int64_t>(x >> 54)), [&] { tick(); });
    };
    for (int i = 0; i < pending; ++i) sim.schedule(sim::Duration::ns(i), [&] { tick(); });
    sim.run();
    events += sim.events_executed();
  }
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EventCoreBare)->Arg(1)->Arg(64)->Arg(4096)->Unit(benchmark::kMillisecond);

// Disk requests: random 4 KiB writes at queue depth 32, a flush every 64
// requests, a read every 4; profile range(0), member of 2^range(1) sectors.
void BM_DiskRequests(benchmark::State& state) {
  const auto profile = static_cast<disk::Profile>(state.range(0));
  const auto capacity_shift = static_cast<uint32_t>(state.range(1));
  uint64_t requests = 0;
  for (auto _ : state) {
    sim::Simulator sim(7);
    disk::DiskConfig cfg;
    cfg.capacity = disk::SectorCount(1ull << capacity_shift);
    cfg.profile = profile;
    disk::Disk d(sim, "d0", cfg);
    sim::Prng rng = sim.stream("bench");
    uint64_t issued = 0;
    const uint64_t total = 100'000;
    std::function<void()> issue;
    issue = [&] {
      if (issued == total) return;
      const uint64_t n = issued++;
      disk::IoRequest r;
      r.sector = disk::Sector(rng.below(1ull << (capacity_shift - 3)) * 8);
      r.count = disk::SectorCount(8);
      if (n % 64 == 63) {
        r.op = disk::IoOp::flush;
      } else if (n % 4 == 3) {
        r.op = disk::IoOp::read;
        r.io_class = disk::IoClass::read;
      } else {
        r.payload.stamps.assign(8, n);
      }
      d.submit(std::move(r), [&](disk::IoResult) { issue(); });
    };
    for (int i = 0; i < 32; ++i) issue();
    sim.run();
    requests += issued;
  }
  state.counters["requests_per_s"] =
      benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DiskRequests)
    ->Args({static_cast<int>(disk::Profile::ramdisk), 31})
    ->Args({static_cast<int>(disk::Profile::nvme), 31})
    ->Args({static_cast<int>(disk::Profile::hdd), 31})
    ->Args({static_cast<int>(disk::Profile::nvme), 21})
    ->Unit(benchmark::kMillisecond);

// Post-crash images: media with `range(0)` touched pages, 64 cached and 8
// in-flight writes; each iteration builds the images of one random choice.
void BM_CrashImages(benchmark::State& state) {
  sim::Simulator sim(3);
  disk::DiskConfig cfg;
  cfg.capacity = disk::SectorCount(1ull << 31);
  cfg.destage_delay_ns = 0;
  disk::Disk d(sim, "d0", cfg);
  sim::Prng rng(5);
  auto write = [&](uint64_t stamp) {
    disk::IoRequest r;
    r.sector = disk::Sector(rng.below(1ull << 28) * 8);
    r.count = disk::SectorCount(8);
    r.payload.stamps.assign(8, stamp);
    d.submit(std::move(r), [](disk::IoResult) {});
  };
  for (int64_t i = 0; i < state.range(0); ++i) write(static_cast<uint64_t>(i) + 1);
  sim.run();  // a flush covers only writes completed before it was submitted
  disk::IoRequest fl;
  fl.op = disk::IoOp::flush;
  d.submit(std::move(fl), [](disk::IoResult) {});
  sim.run();
  for (int i = 0; i < 64; ++i) write(1'000'000 + static_cast<uint64_t>(i));
  sim.run();
  for (int i = 0; i < 8; ++i) write(2'000'000 + static_cast<uint64_t>(i));
  const faults::CrashState cs = faults::capture({&d});
  auto e = faults::CrashChoiceEnumerator::random(cs, 9, UINT64_MAX);
  faults::CrashStateChoice choice;
  uint64_t images = 0;
  for (auto _ : state) {
    e.next(choice);
    std::vector<disk::DiskImage> imgs = faults::apply_crash(cs, choice);
    benchmark::DoNotOptimize(imgs);
    ++images;
  }
  state.counters["images_per_s"] =
      benchmark::Counter(static_cast<double>(images), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CrashImages)->Arg(1'000)->Arg(100'000);

}  // namespace
}  // namespace mdsim

BENCHMARK_MAIN();
