// Each latency profile: the shape of its service times (ordering between
// profiles and operations, mechanical effects), not wall-clock speed.
#include "model/disk/latency.h"

#include <gtest/gtest.h>

#include <optional>

#include "model/disk/disk.h"

namespace mdsim::disk {
namespace {

int64_t measure(Profile p, IoOp op, bool fua, uint64_t sector, uint64_t n, uint64_t seed = 1) {
  sim::Simulator sim(seed);
  DiskConfig c;
  c.profile = p;
  c.destage_delay_ns = 0;
  Disk d(sim, "d", c);
  IoRequest r;
  r.op = op;
  r.sector = Sector(sector);
  r.count = SectorCount(n);
  r.fua = fua;
  if (op == IoOp::write) r.payload.stamps.assign(n, 1);
  int64_t lat = -1;
  d.submit(std::move(r), [&](IoResult) { lat = sim.now().ns(); });
  sim.run();
  return lat;
}

TEST(Latency, RamdiskIsAboutOneMicrosecond) {
  const int64_t w = measure(Profile::ramdisk, IoOp::write, false, 0, 8);
  EXPECT_GE(w, 1'000);
  EXPECT_LE(w, 3'000);
  EXPECT_EQ(w, measure(Profile::ramdisk, IoOp::write, false, 0, 8, 99));  // no jitter
}

TEST(Latency, NvmeWriteToCacheIsFasterThanReadAndFua) {
  const int64_t w = measure(Profile::nvme, IoOp::write, false, 0, 8);
  const int64_t r = measure(Profile::nvme, IoOp::read, false, 0, 8);
  const int64_t f = measure(Profile::nvme, IoOp::write, true, 0, 8);
  EXPECT_GE(w, 10'000);
  EXPECT_LE(w, 25'000);
  EXPECT_GE(r, 70'000);
  EXPECT_LE(r, 100'000);
  EXPECT_GT(f, w + 25'000);  // FUA includes media programming
}

TEST(Latency, SataSsdIsSlowerThanNvme) {
  EXPECT_GT(measure(Profile::sata_ssd, IoOp::write, false, 0, 8),
            measure(Profile::nvme, IoOp::write, false, 0, 8));
  EXPECT_GT(measure(Profile::sata_ssd, IoOp::read, false, 0, 256),
            measure(Profile::nvme, IoOp::read, false, 0, 256));
}

TEST(Latency, HddSeekGrowsWithDistance) {
  const LatencySpec s = latency_spec(Profile::hdd);
  sim::Prng rng(1);
  const SectorCount cap(1ull << 30);
  // Same rotation stream for both: compare seek components only.
  sim::Prng r1 = rng.derive(1), r2 = rng.derive(1);
  const int64_t near = access_time(s, Sector(0), Sector(1000), cap, r1).count_ns();
  const int64_t far = access_time(s, Sector(0), Sector(1ull << 29), cap, r2).count_ns();
  EXPECT_GT(far, near + 5'000'000);
  sim::Prng r3 = rng.derive(2);
  // Streaming on from where the head is: neither seek nor rotation.
  EXPECT_EQ(access_time(s, Sector(7), Sector(7), cap, r3).count_ns(), 0);
  // One sector away: track-to-track seek plus part of a revolution.
  const int64_t step = access_time(s, Sector(7), Sector(8), cap, r3).count_ns();
  EXPECT_GE(step, s.seek_min_ns);
  EXPECT_LT(step, s.seek_min_ns + s.seek_max_ns / 1000 + s.rotation_ns);
  EXPECT_GT(measure(Profile::hdd, IoOp::read, false, 1ull << 20, 8), 500'000);
}

TEST(Latency, JitterIsDeterministicPerSeedAndBounded) {
  const LatencySpec s = latency_spec(Profile::nvme);
  sim::Prng a(5), b(5);
  for (int i = 0; i < 100; ++i) {
    const sim::Duration x = with_jitter(s, sim::Duration::us(100), a);
    EXPECT_EQ(x, with_jitter(s, sim::Duration::us(100), b));
    EXPECT_GE(x, sim::Duration::us(100));
    EXPECT_LE(x, sim::Duration::us(110));
  }
}

TEST(Latency, FlushCostGrowsWithDirtyData) {
  auto flush_after = [](int writes) {
    sim::Simulator sim(1);
    DiskConfig c;
    c.destage_delay_ns = 0;
    Disk d(sim, "d", c);
    for (int i = 0; i < writes; ++i) {
      IoRequest w;
      w.sector = Sector(static_cast<uint64_t>(i) * 8);
      w.count = SectorCount(8);
      w.payload.stamps.assign(8, 1);
      d.submit(std::move(w), [](IoResult) {});
    }
    sim.run();
    const int64_t t0 = sim.now().ns();
    IoRequest f;
    f.op = IoOp::flush;
    int64_t t1 = 0;
    d.submit(std::move(f), [&](IoResult) { t1 = sim.now().ns(); });
    sim.run();
    return t1 - t0;
  };
  EXPECT_GT(flush_after(100), flush_after(0) + 50'000);
}

}  // namespace
}  // namespace mdsim::disk
