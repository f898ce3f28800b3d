// Simulated user IOs per CPU-second: raid1, 2 nvme members, 4 KiB random
// writes, iodepth 32 (one IO per submission call, fio's default
// iodepth_batch_submit=1), with the `none` and `bitmap` backends.
// The online intent check is off here (it is always on in tests).
// BM_Raid1RandWrite4k uses 1 GiB members (the headline figure);
// BM_Raid1RandWrite4kSmall the same job on 64 MiB members, so the effect of
// the working set (the disk model's page trees against the CPU caches) shows;
// BM_Raid1RandWrite4kSteady the 1 GiB job measured after a long warm-up.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "model/disk/disk.h"
#include "model/md/array.h"
#include "sim/simulator.h"

namespace mdsim {
namespace {

struct Job {
  sim::Simulator sim{42};
  std::vector<std::unique_ptr<disk::Disk>> disks;
  std::unique_ptr<md::Array> array;
  sim::Prng rng{0};
  uint64_t blocks = 0;
  uint64_t completed = 0;
  uint64_t issued = 0;
  uint64_t target = 0;

  Job(md::IntentType t, disk::SectorCount member) {
    disk::DiskConfig dc;
    dc.profile = disk::Profile::nvme;
    dc.capacity = member;
    for (int i = 0; i < 2; ++i) {
      dc.seed = 100 + i;
      disks.push_back(std::make_unique<disk::Disk>(sim, "nvme" + std::to_string(i), dc));
    }
    md::ArrayConfig c;
    c.raid_disks = 2;
    c.assume_clean = true;
    c.intent.type = t;
    c.check_intent_before_data = false;
    std::vector<disk::Disk*> ptrs;
    for (auto& d : disks) ptrs.push_back(d.get());
    array = md::Array::create(sim, ptrs, c);
    rng = sim.stream("bench.randwrite");
    blocks = array->capacity().value() / 8;
  }

  void submit_one() {
    ++issued;
    md::UserIo io{md::UserOp::write, disk::Sector(rng.below(blocks) * 8), disk::SectorCount(8)};
    array->submit(io, [this](const md::UserIo&, const md::UserResult&) {
      ++completed;
      if (issued < target) submit_one();
    });
  }

  void run(uint64_t ios, int iodepth) {
    target = issued + ios;
    const uint64_t goal = completed + ios;
    for (int i = 0; i < iodepth && issued < target; ++i) submit_one();
    while (completed < goal) sim.step();
  }
};

constexpr uint64_t kBatch = 10000;

// The timed work, a function of its own so that a profiler can collect it
// alone (valgrind --tool=callgrind --collect-atstart=no
// --toggle-collect='*measured_batch*').
[[gnu::noinline]] void measured_batch(Job& job) { job.run(kBatch, 32); }

void run_randwrite(benchmark::State& state, disk::SectorCount member, uint64_t warmup_ios = 1000) {
  const auto type = static_cast<md::IntentType>(state.range(0));
  Job job(type, member);
  job.run(warmup_ios, 32);  // at least the first-write superblock round
  for (auto _ : state) measured_batch(job);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
  const auto& c = job.array->counters();
  state.counters["meta_writes_per_user_write"] =
      static_cast<double>(c.member_writes[static_cast<int>(disk::IoClass::intent)].requests) /
      static_cast<double>(c.user_writes);
  state.counters["sim_iops"] = static_cast<double>(c.user_writes) /
                               (static_cast<double>(job.sim.now().ns()) / 1e9);
  state.SetLabel(md::intent_type_name(type));
}

void BM_Raid1RandWrite4k(benchmark::State& state) {
  run_randwrite(state, disk::SectorCount(1ull << 21));  // 1 GiB members
}

// After 200,000 warm-up writes the volatile caches hold their steady ~50 ms of
// writes, destaging runs, and random writes have touched every page of the
// members: the steady state, without the cheaper filling phase.
void BM_Raid1RandWrite4kSteady(benchmark::State& state) {
  run_randwrite(state, disk::SectorCount(1ull << 21), 200000);
}

void BM_Raid1RandWrite4kSmall(benchmark::State& state) {
  run_randwrite(state, disk::SectorCount(1ull << 17));  // 64 MiB members
}

BENCHMARK(BM_Raid1RandWrite4k)
    ->Arg(static_cast<int>(md::IntentType::none))
    ->Arg(static_cast<int>(md::IntentType::bitmap))
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_Raid1RandWrite4kSteady)
    ->Arg(static_cast<int>(md::IntentType::none))
    ->Arg(static_cast<int>(md::IntentType::bitmap))
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_Raid1RandWrite4kSmall)
    ->Arg(static_cast<int>(md::IntentType::none))
    ->Arg(static_cast<int>(md::IntentType::bitmap))
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mdsim

// BENCHMARK_MAIN() lives in foundation_bench.cc (one main per mdsim_bench binary).
