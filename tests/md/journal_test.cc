// Intent journal scenarios on a FakeIntentHost: entry format, one slot write
// per plug round, release + free reuse, batched clears, full ring, wrap,
// crash recovery, degraded missing set and re-add.
#include <gtest/gtest.h>

#include "model/md/journal.h"
#include "tests/support/fake_intent_host.h"

namespace mdsim::md {
namespace {

using testing::FakeIntentHost;
using testing::run_task;

constexpr SectorCount kGiB(2097152);

struct Rig {
  explicit Rig(uint64_t ring_bytes = 0) : j(host, testing::options_for(IntentType::journal, ring_bytes)) {}
  sim::Simulator sim{3};
  FakeIntentHost host{sim, 2, kGiB};
  Journal j;
  void plug(std::vector<uint64_t> sectors) {
    for (uint64_t s : sectors) run_task(sim, j.start_write(Sector(s), SectorCount(8)));
    run_task(sim, j.unplug());
  }
  void done(std::vector<uint64_t> sectors) {
    for (uint64_t s : sectors) j.end_write(Sector(s), SectorCount(8));
  }
};

TEST(JournalFormat, EntryPacksChunkSeqHighNrChunksLow) {
  jrnl::Entry e{0x123456789abcull, 7};
  EXPECT_EQ(jrnl::pack(e), (0x123456789abcull << 16) | 7);
  EXPECT_EQ(jrnl::unpack(jrnl::pack(e)), e);
  std::vector<jrnl::Entry> es;
  jrnl::entries_for(Sector(8 * 3), SectorCount(8 * 70000), es);  // splits at 65535
  ASSERT_EQ(es.size(), 2u);
  EXPECT_EQ(es[0], (jrnl::Entry{3, 65535}));
  EXPECT_EQ(es[1], (jrnl::Entry{3 + 65535, 70000 - 65535}));
  auto slot = jrnl::encode_slot(42, 9, es, 512);
  EXPECT_EQ(jrnl::decode_slot(slot.data(), 512, 42), es);
  EXPECT_TRUE(jrnl::decode_slot(slot.data(), 512, 43).empty());  // other array
  EXPECT_EQ(jrnl::entries_per_slot(512), 62u);
}

TEST(Journal, OnePlugOneSlotWriteThenReuseClearsForFree) {
  Rig r;
  run_task(r.sim, r.j.create(true));
  const size_t base = r.host.log().size();
  r.plug({0, 800, 123456});  // 3 random bios, one plug
  ASSERT_EQ(r.host.log().size(), base + 1);
  EXPECT_EQ(r.host.log().back().sectors, 1u);
  EXPECT_EQ(r.host.log().back().offset_sectors, 1u);  // slot 0
  EXPECT_TRUE(r.j.media_covers(0, Sector(800), SectorCount(8)));
  EXPECT_FALSE(r.j.media_covers(0, Sector(1600), SectorCount(8)));
  r.done({0, 800, 123456});
  EXPECT_EQ(r.j.live_slots(), 0u);
  EXPECT_EQ(r.j.media_nonempty_slots(), 1u);
  // Next plug goes to the next slot; no clearing write on the hot path.
  r.plug({4096});
  EXPECT_EQ(r.host.log().size(), base + 2);
  r.done({4096});
  // Daemon: both released slots are contiguous -> one zeroing write.
  run_task(r.sim, r.j.daemon_work());
  EXPECT_EQ(r.host.log().size(), base + 3);
  EXPECT_EQ(r.host.log().back().sectors, 2u);
  EXPECT_EQ(r.j.media_nonempty_slots(), 0u);
  EXPECT_FALSE(r.j.media_covers(0, Sector(800), SectorCount(8)));
  run_task(r.sim, r.j.daemon_work());  // nothing to do
  EXPECT_EQ(r.host.log().size(), base + 3);
}

TEST(Journal, WrapReusesReleasedSlotsWithoutClears) {
  Rig r(4 * 512);  // 4 slots
  run_task(r.sim, r.j.create(true));
  ASSERT_EQ(r.j.geometry().ring_slots, 4u);
  const size_t base = r.host.log().size();
  for (uint64_t i = 0; i < 10; ++i) {
    r.plug({i * 1024});
    r.done({i * 1024});
  }
  EXPECT_EQ(r.host.log().size(), base + 10);
  EXPECT_EQ(r.j.clear_writes(), 0u);
  EXPECT_EQ(r.host.log().back().offset_sectors, 1u + (9 % 4));  // wrapped
  EXPECT_EQ(r.j.media_nonempty_slots(), 4u);
}

TEST(Journal, FullRingMakesTheNextPlugWait) {
  Rig r(4 * 512);
  run_task(r.sim, r.j.create(true));
  for (uint64_t i = 0; i < 4; ++i) r.plug({i * 1024});  // 4 live slots
  EXPECT_EQ(r.j.live_slots(), 4u);
  bool fifth = false;
  auto p = [](Journal& j, bool& f) -> sim::Task {
    co_await j.start_write(Sector(99 * 1024), SectorCount(8));
    co_await j.unplug();
    f = true;
  };
  r.sim.spawn(p(r.j, fifth));
  r.sim.run_until(r.sim.now() + sim::Duration::ms(10));
  EXPECT_FALSE(fifth);
  r.done({2 * 1024});  // frees slot 2
  r.sim.run_until(r.sim.now() + sim::Duration::ms(10));
  EXPECT_TRUE(fifth);
  EXPECT_EQ(r.host.log().back().offset_sectors, 1u + 2);
}

// One complete sync pass as md_do_sync drives it: start_sync from 0 to the
// end, stepping by the answered blocks (a pass only settles what it visits).
void sync_pass(Journal& j, SectorCount size) {
  for (uint64_t s = 0; s < size.value();) s += j.start_sync(Sector(s), false).blocks.value();
}

TEST(Journal, CrashRecoveryResyncsExactlyTheLiveEntries) {
  Rig r;
  run_task(r.sim, r.j.create(true));
  r.plug({0, 800});
  r.done({0, 800});
  r.plug({5000});  // in flight at the crash
  sim::Simulator sim2(4);
  FakeIntentHost host2(sim2, r.host);
  Journal j2(host2, testing::options_for(IntentType::journal));
  run_task(sim2, j2.load(Sector(0)));
  auto d = j2.dirty_ranges();
  // Slot 0 was released but not cleared: still resynced (over-approximation).
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0], (SectorRange{Sector(0), SectorCount(8)}));
  EXPECT_EQ(d[2], (SectorRange{Sector(5000), SectorCount(8)}));
  EXPECT_GT(host2.resync_requests(), 0);
  EXPECT_TRUE(j2.start_sync(Sector(5000), false).value);
  EXPECT_FALSE(j2.start_sync(Sector(8), false).value);
  EXPECT_EQ(j2.start_sync(Sector(8), false).blocks, SectorCount(120));  // to the missing-set chunk end
  // Entries stay on media until the resync ends, then the daemon clears them.
  run_task(sim2, j2.daemon_work());
  EXPECT_EQ(j2.media_nonempty_slots(), 2u);
  sync_pass(j2, host2.sync_size());
  j2.close_sync();
  EXPECT_FALSE(j2.needs_sync());
  run_task(sim2, j2.daemon_work());
  EXPECT_EQ(j2.media_nonempty_slots(), 0u);
}

TEST(Journal, CreateWithoutAssumeCleanIsStaleUntilFirstSync) {
  Rig r;
  run_task(r.sim, r.j.create(false));
  EXPECT_TRUE(r.j.needs_sync());
  EXPECT_EQ(r.j.dirty_ranges().size(), 1u);
  r.j.close_sync();  // a pass that visited nothing settles nothing
  EXPECT_TRUE(r.j.needs_sync());
  sync_pass(r.j, r.host.sync_size());
  r.j.close_sync();
  run_task(r.sim, r.j.daemon_work());
  sim::Simulator sim2(4);
  FakeIntentHost host2(sim2, r.host);
  Journal j2(host2, testing::options_for(IntentType::journal));
  run_task(sim2, j2.load(Sector(0)));
  EXPECT_FALSE(j2.needs_sync());
}

TEST(Journal, DegradedWritesSurviveInTheMissingSetForReadd) {
  Rig r;
  run_task(r.sim, r.j.create(true));
  r.plug({100});               // in flight when member 1 fails
  r.host.set_degraded(true);
  r.host.set_member_present(1, false);
  r.host.bump_events();
  run_task(r.sim, r.j.update_sb());
  r.done({100});               // completed while degraded: may miss member 1
  r.plug({700000});
  r.done({700000});
  run_task(r.sim, r.j.daemon_work());  // clears the ring, keeps the missing set
  EXPECT_EQ(r.j.media_nonempty_slots(), 0u);
  EXPECT_TRUE(r.j.missing(100 / 128));
  EXPECT_TRUE(r.j.missing(700000 / 128));
  // Crash, assemble degraded, re-add member 1 (events 10 >= events_cleared 10).
  sim::Simulator sim2(4);
  FakeIntentHost host2(sim2, r.host);
  Journal j2(host2, testing::options_for(IntentType::journal));
  run_task(sim2, j2.load(Sector(0)));
  EXPECT_TRUE(j2.can_partial_readd(10));
  EXPECT_TRUE(j2.start_sync(Sector(700000), true).value);
  EXPECT_FALSE(j2.start_sync(Sector(300000), true).value);
  host2.set_degraded(false);
  host2.set_member_present(1, true);
  j2.close_sync();
  run_task(sim2, j2.daemon_work());  // recovery done: forget, events_cleared moves
  EXPECT_FALSE(j2.needs_sync());
  EXPECT_FALSE(j2.can_partial_readd(10));
  EXPECT_TRUE(j2.can_partial_readd(host2.events()));
}

}  // namespace
}  // namespace mdsim::md
