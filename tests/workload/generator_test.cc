// The workload generator against a fixed-latency target: queue depth, batching
// (fio's queue-full commit), offsets, determinism, fsync, think time, limits.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "model/workload/fixed_latency_target.h"
#include "model/workload/generator.h"

namespace mdsim::workload {
namespace {

constexpr uint64_t kCapacitySectors = 2'097'152;  // 1 GiB

// Records how many IOs are outstanding after every submission call.
class ProbeTarget : public FixedLatencyTarget {
 public:
  using FixedLatencyTarget::FixedLatencyTarget;
  void submit_batch(std::span<const UserIo> ios, UserIoCallback cb) override {
    FixedLatencyTarget::submit_batch(ios, std::move(cb));
    after_submit.push_back(outstanding());
  }
  std::vector<uint64_t> after_submit;
};

struct GenRun {
  sim::Simulator sim;
  ProbeTarget target;
  WorkloadGenerator gen;
  explicit GenRun(std::vector<JobSpec> jobs, uint64_t seed = 1,
               uint64_t capacity_sectors = kCapacitySectors)
      : sim(seed),
        target(sim, FixedLatencyOptions{.capacity = disk::SectorCount(capacity_sectors)}),
        gen(sim, target, std::move(jobs), GeneratorOptions{.record_ios = true}) {
    gen.start();
    sim.run();
  }
};

JobSpec job(const char* rw, uint32_t depth, uint32_t batch, uint64_t ios) {
  JobSpec j;
  EXPECT_EQ(apply_job_key(j, "rw", rw, SizeUnits::fio).status, KeyStatus::applied);
  j.iodepth = depth;
  j.iodepth_batch_submit = batch;
  j.number_ios = ios;
  return j;
}

TEST(Generator, KeepsExactlyIodepthInFlight) {
  GenRun r({job("randwrite", 8, 1, 1000)});
  ASSERT_TRUE(r.gen.done());
  EXPECT_EQ(r.target.ios_submitted(), 1000u);
  EXPECT_EQ(r.target.outstanding_max(), 8u);
  EXPECT_EQ(r.gen.clone_in_flight_max(0), 8u);
  // All IOs complete together, so each refill instant ends with 8 in flight
  // (batch 1: one call per IO, so after_submit lines up with issued()).
  std::map<int64_t, uint64_t> last_per_instant;
  size_t k = 0;
  for (const IssuedIo& io : r.gen.issued()) {
    last_per_instant[io.submit_ns] = r.target.after_submit[k++];
  }
  for (const auto& [t, n] : last_per_instant) EXPECT_EQ(n, 8u) << "at " << t;
  EXPECT_EQ(r.gen.clone_in_flight(0), 0u);
}

TEST(Generator, FullBatchesWhenCompletionsArriveTogether) {
  GenRun r({job("randwrite", 32, 16, 640)});
  for (size_t n : r.target.call_sizes()) EXPECT_EQ(n, 16u);
  EXPECT_EQ(r.target.call_sizes().size(), 40u);
  EXPECT_EQ(r.gen.metrics().submit_calls, 40u);
}

TEST(Generator, QueueFullCommitsAPartialBatchAsFioDoes) {
  // depth 4, batch 3: queue 3 -> submit; queue 1 -> queue full -> submit 1, wait.
  GenRun r({job("randwrite", 4, 3, 12)});
  EXPECT_EQ(r.target.call_sizes(), (std::vector<size_t>{3, 1, 3, 1, 3, 1}));
}

TEST(Generator, CompleteMinEqualToBatchWaitsForWholeBatches) {
  JobSpec j = job("randwrite", 4, 3, 12);
  j.iodepth_batch_complete_min = 3;
  GenRun r({j});
  for (size_t n : r.target.call_sizes()) EXPECT_LE(n, 3u);
  EXPECT_LE(r.target.outstanding_max(), 4u);
  EXPECT_EQ(r.target.ios_submitted(), 12u);
}

TEST(Generator, RandomOffsetsAlignedInsideTheRegion) {
  JobSpec j = job("randwrite", 4, 1, 3000);
  apply_job_key(j, "bsrange", "4k-16k", SizeUnits::fio);
  apply_job_key(j, "offset", "1m", SizeUnits::fio);
  apply_job_key(j, "size", "8m", SizeUnits::fio);
  j.io_size_bytes = uint64_t{1} << 30;  // by default fio stops after `size` bytes
  GenRun r({j});
  ASSERT_EQ(r.gen.issued().size(), 3000u);
  std::map<uint64_t, int> lengths;
  for (const IssuedIo& io : r.gen.issued()) {
    const uint64_t s = io.io.sector.value();
    EXPECT_GE(s, 2048u);
    EXPECT_LE(s + io.io.count.value(), 2048u + 16384u);
    EXPECT_EQ((s - 2048) % 8, 0u);
    ++lengths[io.io.count.value()];
  }
  EXPECT_EQ(lengths.size(), 4u);  // 4k, 8k, 12k, 16k all appear
  EXPECT_EQ(lengths.begin()->first, 8u);
}

TEST(Generator, SequentialWritesWrapAtTheRegionEnd) {
  JobSpec j = job("write", 1, 1, 20);
  apply_job_key(j, "size", "64k", SizeUnits::fio);
  j.io_size_bytes = 1 << 20;  // more than the region: loops like fio
  GenRun r({j});
  ASSERT_EQ(r.gen.issued().size(), 20u);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(r.gen.issued()[i].io.sector.value(), (i % 16) * 8);
}

TEST(Generator, IoSizeDefaultsToTheRegionSize) {
  JobSpec j = job("write", 2, 1, 0);
  apply_job_key(j, "size", "1m", SizeUnits::fio);
  GenRun r({j});
  EXPECT_EQ(r.gen.metrics().user_write_bytes, 1u << 20);
  EXPECT_EQ(r.gen.metrics().user_writes, 256u);
}

std::vector<UserIo> ios_of(const GenRun& r) {
  std::vector<UserIo> out;
  for (const IssuedIo& io : r.gen.issued()) out.push_back(io.io);
  return out;
}

TEST(Generator, SameSeedSameSequenceOtherSeedOtherSequence) {
  JobSpec j = job("randrw", 8, 2, 500);
  j.numjobs = 2;
  GenRun a({j}, 42), b({j}, 42), c({j}, 43);
  EXPECT_EQ(ios_of(a), ios_of(b));
  EXPECT_EQ(a.sim.trace().hash(), b.sim.trace().hash());
  EXPECT_NE(ios_of(a), ios_of(c));
}

TEST(Generator, ClonesUseDifferentStreamsAndStartAfterStartdelay) {
  JobSpec j = job("randwrite", 1, 1, 50);
  j.numjobs = 3;
  j.startdelay = sim::Duration::ms(1);
  GenRun r({j});
  ASSERT_EQ(r.gen.clone_count(), 3u);
  std::map<uint32_t, std::vector<uint64_t>> per_clone;
  for (const IssuedIo& io : r.gen.issued()) {
    EXPECT_GE(io.submit_ns, 1'000'000);
    per_clone[io.clone].push_back(io.io.sector.value());
  }
  EXPECT_NE(per_clone[0], per_clone[1]);
  EXPECT_NE(per_clone[1], per_clone[2]);
  EXPECT_EQ(r.gen.metrics().user_writes, 150u);
}

TEST(Generator, FlushEveryNWritesAloneAndWaitedFor) {
  JobSpec j = job("write", 4, 1, 20);
  j.fsync_blocks = 4;
  GenRun r({j});
  const auto& log = r.gen.issued();
  ASSERT_EQ(log.size(), 25u);
  int writes_since = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].io.op == UserIo::Op::flush) {
      EXPECT_EQ(writes_since, 4) << i;
      writes_since = 0;
      // Nothing else is submitted while the flush is pending (500 us).
      if (i + 1 < log.size()) {
        EXPECT_GE(log[i + 1].submit_ns, log[i].submit_ns + 500'000);
      }
    } else {
      ++writes_since;
    }
  }
  EXPECT_EQ(r.gen.metrics().user_flushes, 5u);
  EXPECT_EQ(r.gen.metrics().user_flushes_completed, 5u);
}

TEST(Generator, RuntimeLimitInSimulatedTime) {
  JobSpec j = job("randwrite", 1, 1, 0);
  j.time_based = true;
  j.runtime = sim::Duration::ms(10);
  GenRun r({j});
  // 100 us per IO at depth 1: exactly 100 IOs fit in 10 ms.
  EXPECT_EQ(r.gen.metrics().user_writes, 100u);
  for (const IssuedIo& io : r.gen.issued()) EXPECT_LT(io.submit_ns, 10'000'000);
}

TEST(Generator, ThinkTimeDrainsThenIdles) {
  JobSpec j = job("randwrite", 4, 1, 30);
  j.thinktime = sim::Duration::ms(1);
  j.thinktime_blocks = 10;
  GenRun r({j});
  const auto& log = r.gen.issued();
  ASSERT_EQ(log.size(), 30u);
  // IO 10 waits for IOs 0-9 to complete (100 us), then 1 ms of think time.
  EXPECT_GE(log[10].submit_ns - log[9].submit_ns, 1'100'000);
  EXPECT_GE(log[20].submit_ns - log[19].submit_ns, 1'100'000);
  EXPECT_LT(log[9].submit_ns - log[0].submit_ns, 1'000'000);
}

TEST(Generator, RwmixreadSplitsReadsAndWrites) {
  JobSpec j = job("randrw", 8, 1, 4000);
  j.rwmixread = 30;
  GenRun r({j});
  const RunMetrics m = r.gen.metrics();
  EXPECT_EQ(m.user_reads + m.user_writes, 4000u);
  EXPECT_GT(m.user_reads, 1000u);  // ~1200
  EXPECT_LT(m.user_reads, 1400u);
}

TEST(Generator, TrimwriteTrimsThenWritesTheSameBlocks) {
  JobSpec j = job("trimwrite", 2, 1, 10);
  GenRun r({j});
  const auto& log = r.gen.issued();
  ASSERT_EQ(log.size(), 10u);
  for (size_t i = 0; i < log.size(); i += 2) {
    EXPECT_EQ(log[i].io.op, UserIo::Op::discard);
    EXPECT_EQ(log[i + 1].io.op, UserIo::Op::write);
    EXPECT_EQ(log[i].io.sector, log[i + 1].io.sector);
  }
}

TEST(Generator, SyncWritesCarryFua) {
  JobSpec j = job("randwrite", 2, 1, 10);
  j.sync_writes = true;
  GenRun r({j});
  for (const IssuedIo& io : r.gen.issued()) EXPECT_TRUE(io.io.fua);
  EXPECT_EQ(r.gen.metrics().user_fua_writes, 10u);
}

TEST(Generator, RegionOutsideTheTargetIsRejected) {
  sim::Simulator sim(1);
  FixedLatencyTarget target(sim, {.capacity = disk::SectorCount(2048)});  // 1 MiB
  JobSpec j = job("randwrite", 1, 1, 10);
  apply_job_key(j, "size", "2m", SizeUnits::fio);
  EXPECT_THROW(WorkloadGenerator(sim, target, {j}), WorkloadError);
}

TEST(Generator, MetricsFromFixedLatency) {
  JobSpec j = job("randwrite", 4, 1, 1000);
  bool done_called = false;
  sim::Simulator sim(1);
  FixedLatencyTarget target(sim, {.capacity = disk::SectorCount(kCapacitySectors)});
  WorkloadGenerator gen(sim, target, {j});
  gen.set_on_done([&] { done_called = true; });
  gen.start();
  sim.run();
  EXPECT_TRUE(done_called);
  const RunMetrics m = gen.metrics();
  EXPECT_EQ(m.user_writes, 1000u);
  EXPECT_EQ(m.user_write_bytes, 4'096'000u);
  EXPECT_EQ(m.write_lat.count(), 1000u);
  EXPECT_EQ(m.write_lat.percentile_ns(50), 100'000u);
  EXPECT_EQ(m.write_lat.percentile_ns(99.9), 100'000u);
  // 250 rounds of 4 IOs, 100 us each.
  EXPECT_EQ(m.workload_time_ns(), 25'000'000);
  EXPECT_DOUBLE_EQ(m.iops_sim(), 40'000.0);
  const nlohmann::json js = m.to_json();
  EXPECT_EQ(js["user_writes"], 1000u);
  EXPECT_EQ(js["write_lat_ns_p99"], 100'000u);
  EXPECT_TRUE(js.contains("write_lat_ns_p999"));
  EXPECT_TRUE(js.contains("meta_writes_per_user_write"));
  EXPECT_TRUE(js["intent_clean_time_ns"].is_null());
}

}  // namespace
}  // namespace mdsim::workload
