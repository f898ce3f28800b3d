// Mapping a scenario's workload section onto a JobSpec (design.md contract).
#include <gtest/gtest.h>

#include "model/workload/fixed_latency_target.h"
#include "model/workload/generator.h"
#include "model/workload/scenario_job.h"

namespace mdsim::workload {
namespace {

TEST(ScenarioJob, MapsEveryFieldWithContractSemantics) {
  scenario::WorkloadConfig w;
  w.rw = "randrw";
  w.rwmixwrite = 70;
  w.bs_bytes = 8192;
  w.iodepth = 32;
  w.iodepth_batch_submit = 16;
  w.numjobs = 2;
  w.ios = 100;
  w.fsync = 8;
  w.sync = true;
  w.offset_bytes = 1 << 20;
  w.size_bytes = 4 << 20;
  w.runtime_ns = 5'000'000;
  const JobSpec j = job_from_workload_config(w);
  EXPECT_EQ(j.rw, RwMode::randrw);
  EXPECT_EQ(j.rwmixread, 30u);
  EXPECT_EQ(j.bs_min_bytes, 8192u);
  EXPECT_EQ(j.effective_batch(), 16u);
  EXPECT_EQ(j.iodepth_batch_complete_min, 16u);
  EXPECT_EQ(j.numjobs, 2u);
  EXPECT_EQ(j.number_ios, 100u);
  EXPECT_EQ(j.fsync_blocks, 8u);
  EXPECT_TRUE(j.sync_writes);
  EXPECT_EQ(j.offset.bytes, 1u << 20);
  EXPECT_EQ(j.size->bytes, 4u << 20);
  EXPECT_EQ(j.runtime, sim::Duration::ms(5));
}

TEST(ScenarioJob, IosIsTheLimitEvenWithASmallRegionAndCallsCarryTheBatch) {
  scenario::WorkloadConfig w;
  w.rw = "randwrite";
  w.iodepth = 32;
  w.iodepth_batch_submit = 16;
  w.ios = 640;
  w.size_bytes = 64 * 1024;  // 16 blocks: fio would stop after 16 IOs
  sim::Simulator sim(1);
  FixedLatencyTarget target(sim, {.capacity = disk::SectorCount(1 << 20)});
  WorkloadGenerator gen(sim, target, {job_from_workload_config(w)});
  gen.start();
  sim.run();
  EXPECT_EQ(gen.metrics().user_writes, 640u);
  for (size_t n : target.call_sizes()) EXPECT_EQ(n, 16u);
}

}  // namespace
}  // namespace mdsim::workload
