// Background write-back, evaluated lazily (docs/disk-model.md): what observers
// see at and around a cached write's due instant, and that the simulation runs
// exactly as long as the chain of write-back instants.
#include <gtest/gtest.h>

#include <vector>

#include "model/disk/disk.h"
#include "sim/simulator.h"

namespace mdsim::disk {
namespace {

constexpr int64_t kDelayNs = 1'000'000;

DiskConfig cfg() {
  DiskConfig c;
  c.capacity = SectorCount(1 << 20);
  c.profile = Profile::nvme;
  c.destage_delay_ns = kDelayNs;
  return c;
}

IoRequest write_req(uint64_t sector, uint64_t stamp) {
  IoRequest r;
  r.op = IoOp::write;
  r.sector = Sector(sector);
  r.count = SectorCount(1);
  r.payload.stamps = {stamp};
  return r;
}

IoRequest flush_req() {
  IoRequest r;
  r.op = IoOp::flush;
  return r;
}

sim::Instant due(sim::Instant completed) { return completed + sim::Duration::ns(kDelayNs); }

// The instant a lone write to a fresh disk completes (the latency stream is
// seeded, so a second disk with the same seed completes it at the same instant).
sim::Instant lone_write_completion() {
  sim::Simulator sim(7);
  Disk d(sim, "d0", cfg());
  sim::Instant at;
  d.submit(write_req(5, 9), [&](IoResult) { at = sim.now(); });
  sim.run();
  return at;
}

TEST(DiskDestage, WriteReachesMediaAtItsDueInstantAndTheRunEndsThere) {
  sim::Simulator sim(7);
  Disk d(sim, "d0", cfg());
  sim::Instant completed;
  d.submit(write_req(5, 9), [&](IoResult r) {
    ASSERT_TRUE(r.ok());
    completed = sim.now();
  });
  sim.run_until(sim::Instant::from_ns(kDelayNs / 2));
  ASSERT_GT(completed, sim::Instant::zero());
  EXPECT_EQ(d.cached_writes(), 1u);
  sim.run_until(due(completed) - sim::Duration::ns(1));
  EXPECT_EQ(d.media_word(Sector(5)), 0u);
  EXPECT_EQ(d.cached_writes(), 1u);
  sim.run_until(due(completed));
  EXPECT_EQ(d.media_word(Sector(5)), 9u);
  EXPECT_EQ(d.cached_writes(), 0u);
  EXPECT_EQ(d.cached_bytes(), 0u);
  // Nothing is left to run, and a plain run() ends at the due instant too.
  EXPECT_TRUE(sim.idle());
}

TEST(DiskDestage, RunEndsAtTheNewestWritesDueInstant) {
  sim::Simulator sim(7);
  Disk d(sim, "d0", cfg());
  sim::Instant last;
  for (uint64_t i = 0; i < 3; ++i) {
    // Spread over more than one delay, so the chain is re-armed on the way.
    sim.schedule(sim::Duration::ns(static_cast<int64_t>(i) * kDelayNs * 3 / 4), [&d, &sim, &last, i] {
      d.submit(write_req(8 * i, 100 + i), [&sim, &last](IoResult) { last = sim.now(); });
    });
  }
  sim.run();
  EXPECT_EQ(sim.now(), due(last));
  for (uint64_t i = 0; i < 3; ++i) EXPECT_EQ(d.media_word(Sector(8 * i)), 100 + i);
}

TEST(DiskDestage, ManyCachedWritesNeedNoEventEach) {
  sim::Simulator sim(7);
  Disk d(sim, "d0", cfg());
  constexpr uint64_t kWrites = 48;  // below the queue depth: all start at once
  for (uint64_t i = 0; i < kWrites; ++i) d.submit(write_req(8 * i, i + 1), [](IoResult) {});
  sim.run();
  for (uint64_t i = 0; i < kWrites; ++i) EXPECT_EQ(d.media_word(Sector(8 * i)), i + 1);
  // One completion event per write and two write-back timer events: at the
  // first write's due instant (the chain's last sure instant when it started)
  // and at the last write's.
  EXPECT_EQ(sim.events_executed(), kWrites + 2);
}

TEST(DiskDestage, FlushEmptyingTheCacheEndsTheChainAtItsNextInstant) {
  sim::Simulator sim(7);
  Disk d(sim, "d0", cfg());
  std::vector<sim::Instant> completed(3);
  auto write_at = [&](int64_t at_ns, uint64_t i) {
    sim.schedule(sim::Duration::ns(at_ns), [&, i] {
      d.submit(write_req(8 * i, i + 1), [&, i](IoResult) { completed[i] = sim.now(); });
    });
  };
  write_at(0, 0);
  write_at(kDelayNs / 2, 1);
  write_at(kDelayNs * 9 / 10, 2);
  // After the first write's instant: the chain's next instant is the second
  // write's due instant, the timer stands at the third's. The flush empties
  // the cache, so the chain ends at its next instant, and so must the run.
  sim.schedule(sim::Duration::ns(kDelayNs * 6 / 5),
               [&] { d.submit(flush_req(), [](IoResult r) { EXPECT_TRUE(r.ok()); }); });
  sim.run();
  ASSERT_LT(due(completed[0]), sim::Instant::from_ns(kDelayNs * 6 / 5));
  ASSERT_GT(due(completed[1]), sim::Instant::from_ns(kDelayNs * 13 / 10));
  for (uint64_t i = 0; i < 3; ++i) EXPECT_EQ(d.media_word(Sector(8 * i)), i + 1);
  EXPECT_EQ(sim.now(), due(completed[1]));
}

TEST(DiskDestage, AnEventAtTheDueInstantSeesTheWriteOnMedia) {
  const sim::Instant completed = lone_write_completion();
  sim::Simulator sim(7);
  Disk d(sim, "d0", cfg());
  std::vector<uint64_t> seen;
  // Scheduled before the write exists: the earliest event at that instant.
  sim.schedule_at(due(completed), [&] { seen.push_back(d.media_word(Sector(5))); });
  sim.schedule_at(due(completed) - sim::Duration::ns(1),
                  [&] { seen.push_back(d.media_word(Sector(5))); });
  d.submit(write_req(5, 9), [&](IoResult) { EXPECT_EQ(sim.now(), completed); });
  sim.run();
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 9}));
}

}  // namespace
}  // namespace mdsim::disk
