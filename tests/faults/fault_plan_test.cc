#include "faults/fault_plan.h"

#include <gtest/gtest.h>

namespace mdsim::faults {
namespace {

using disk::IoOp;
using disk::IoRequest;
using disk::IoResult;
using disk::IoStatus;
using disk::Sector;
using disk::SectorCount;

IoRequest read_req(uint64_t sector) {
  IoRequest r;
  r.op = IoOp::read;
  r.sector = Sector(sector);
  r.count = SectorCount(1);
  return r;
}

TEST(FaultPlan, FaultsFireAtTheirInstant) {
  sim::Simulator sim(1);
  disk::Disk d(sim, "d0", disk::DiskConfig{});
  FaultPlan plan;
  Fault fail;
  fail.at = sim::Instant::from_ns(1'000'000);
  fail.kind = FaultKind::fail;
  Fault bad;
  bad.at = sim::Instant::from_ns(500'000);
  bad.kind = FaultKind::bad_range;
  bad.range = {Sector(4), SectorCount(1)};
  plan.add(fail).add(bad);
  plan.arm(sim, {&d});
  std::vector<IoStatus> st;
  d.submit(read_req(4), [&](IoResult r) { st.push_back(r.status); });
  sim.run_until(sim::Instant::from_ns(600'000));
  d.submit(read_req(4), [&](IoResult r) { st.push_back(r.status); });
  d.submit(read_req(5), [&](IoResult r) { st.push_back(r.status); });
  sim.run_until(sim::Instant::from_ns(1'100'000));
  d.submit(read_req(5), [&](IoResult r) { st.push_back(r.status); });
  sim.run();
  ASSERT_EQ(st.size(), 4u);
  EXPECT_EQ(st[0], IoStatus::ok);
  EXPECT_EQ(st[1] == IoStatus::media_error || st[2] == IoStatus::media_error, true);
  EXPECT_EQ(st[3], IoStatus::device_failed);
}

TEST(FaultPlan, SlowAndSpikeAddLatency) {
  auto latency = [](bool slow, bool spike) {
    sim::Simulator sim(1);
    disk::Disk d(sim, "d0", disk::DiskConfig{});
    FaultPlan plan;
    Fault f;
    f.at = sim::Instant::zero();
    if (slow) {
      f.kind = FaultKind::slow;
      f.slow_factor = 10;
      plan.add(f);
    }
    if (spike) {
      f.kind = FaultKind::latency_spike;
      f.extra = sim::Duration::ms(5);
      f.spike_len = sim::Duration::ms(1);
      plan.add(f);
    }
    plan.arm(sim, {&d});
    sim.run();
    int64_t t = 0;
    d.submit(read_req(0), [&](IoResult) { t = sim.now().ns(); });
    sim.run();
    return t;
  };
  const int64_t base = latency(false, false);
  EXPECT_GE(latency(true, false), base * 9);
  EXPECT_GE(latency(false, true), base + 5'000'000);
}

TEST(FaultPlan, RemoveAndReadd) {
  sim::Simulator sim(1);
  disk::Disk d(sim, "d0", disk::DiskConfig{});
  FaultPlan plan;
  Fault f;
  f.kind = FaultKind::remove;
  f.at = sim::Instant::from_ns(10);
  plan.add(f);
  f.kind = FaultKind::readd;
  f.at = sim::Instant::from_ns(1'000'000);
  plan.add(f);
  plan.arm(sim, {&d});
  sim.run_until(sim::Instant::from_ns(20));
  IoStatus a = IoStatus::ok, b = IoStatus::media_error;
  d.submit(read_req(0), [&](IoResult r) { a = r.status; });
  sim.run_until(sim::Instant::from_ns(2'000'000));
  d.submit(read_req(0), [&](IoResult r) { b = r.status; });
  sim.run();
  EXPECT_EQ(a, IoStatus::device_missing);
  EXPECT_EQ(b, IoStatus::ok);
}

}  // namespace
}  // namespace mdsim::faults
