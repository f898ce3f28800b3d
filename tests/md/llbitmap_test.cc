// llbitmap backend scenarios on a FakeIntentHost: layout, chunk rule, block
// writes, infect, daemon and barriers, crash + Reload, Stale, degraded, sync.
#include <gtest/gtest.h>

#include "model/md/llbitmap.h"
#include "sim/wait_queue.h"
#include "tests/support/fake_intent_host.h"

namespace mdsim::md {
namespace {

using llb::State;
using testing::FakeIntentHost;
using testing::run_task;

constexpr SectorCount kGiB(2097152);  // 1 GiB in sectors
constexpr uint64_t kChunk = 128;      // 64 KiB

struct Rig {
  sim::Simulator sim{7};
  FakeIntentHost host{sim, 2, kGiB};
  Llbitmap bm{host, IntentOptions{.type = IntentType::llbitmap}};
  void write(uint64_t chunk) {
    run_task(sim, bm.start_write(Sector(chunk * kChunk), SectorCount(8)));
    run_task(sim, bm.unplug());
    bm.end_write(Sector(chunk * kChunk), SectorCount(8));
  }
  void advance(sim::Duration d) { sim.run_until(sim.now() + d); }
};

TEST(Llbitmap, CreateUsesTheChunkRuleAndWritesVersion6) {
  Rig r;
  run_task(r.sim, r.bm.create(false));
  EXPECT_EQ(r.bm.chunk_sectors(), SectorCount(kChunk));
  EXPECT_EQ(r.bm.chunks(), 16384u);
  auto sb = llb::decode_superblock(r.host.media(1, 0, 2));
  EXPECT_EQ(sb.magic, llb::kBitmapMagic);
  EXPECT_EQ(sb.version, 6u);
  EXPECT_EQ(sb.chunk_sectors, kChunk);
  EXPECT_EQ(r.bm.count(State::Unwritten), 16384u);
  // 8 TiB would need 64 MiB chunks (md-internals 3.3).
  EXPECT_EQ(llb::chunk_sectors_for(SectorCount(8ull << 31), SectorCount(256)).value(), 131072u);
}

TEST(Llbitmap, FirstWriteOneBlockSecondInfectsThenFree) {
  Rig r;
  run_task(r.sim, r.bm.create(false));
  const size_t before = r.host.log().size();
  r.write(5);  // byte 1029: block 2 of page 0
  ASSERT_EQ(r.host.log().size(), before + 1);
  EXPECT_EQ(r.host.log().back().offset_sectors, 2u);
  EXPECT_EQ(r.host.log().back().sectors, 1u);
  EXPECT_EQ(r.bm.state(5), State::Dirty);
  EXPECT_EQ(r.bm.state(6), State::Unwritten);  // no infect yet
  EXPECT_TRUE(r.bm.media_covers(0, Sector(5 * kChunk), SectorCount(8)));
  EXPECT_FALSE(r.bm.media_covers(0, Sector(6 * kChunk), SectorCount(8)));
  r.write(100);  // same block: infect the whole block
  EXPECT_EQ(r.host.log().size(), before + 2);
  for (uint64_t c = 0; c < 512; ++c) EXPECT_EQ(r.bm.state(c), State::Dirty) << c;
  EXPECT_EQ(r.bm.state(512), State::Unwritten);  // next block
  r.write(300);  // already Dirty: free
  EXPECT_EQ(r.host.log().size(), before + 2);
  EXPECT_TRUE(r.bm.media_covers(1, Sector(300 * kChunk), SectorCount(8)));
}

TEST(Llbitmap, DaemonCleansInMemoryOnlyAndCrashResyncsDirty) {
  Rig r;
  run_task(r.sim, r.bm.create(false));
  r.write(5);
  r.advance(sim::Duration::s(6));  // past barrier_idle
  const size_t before = r.host.log().size();
  run_task(r.sim, r.bm.daemon_work());
  EXPECT_EQ(r.bm.state(5), State::Clean);
  EXPECT_EQ(r.host.log().size(), before);  // Clean is never written alone
  // Crash now: the media still says Dirty -> NeedSync after Reload.
  sim::Simulator sim2(8);
  FakeIntentHost host2(sim2, r.host);
  Llbitmap bm2(host2, IntentOptions{.type = IntentType::llbitmap});
  run_task(sim2, bm2.load(Sector(0)));
  EXPECT_EQ(bm2.state(5), State::NeedSync);
  EXPECT_TRUE(bm2.needs_sync());
  EXPECT_GT(host2.resync_requests(), 0);
  auto ranges = bm2.dirty_ranges();
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(ranges[0].start, Sector(5 * kChunk));
  // Resync: Startsync -> Syncing, close_sync -> Dirty, daemon -> Clean.
  EXPECT_FALSE(bm2.skip_sync_blocks(Sector(5 * kChunk)).value);
  EXPECT_TRUE(bm2.skip_sync_blocks(Sector(6 * kChunk)).value);  // Unwritten
  EXPECT_TRUE(bm2.start_sync(Sector(5 * kChunk), false).value);
  EXPECT_FALSE(bm2.start_sync(Sector(6 * kChunk), false).value);
  bm2.close_sync();
  EXPECT_EQ(bm2.state(5), State::Dirty);
  run_task(sim2, bm2.daemon_work());
  EXPECT_EQ(bm2.state(5), State::Clean);
  EXPECT_FALSE(bm2.needs_sync());
}

TEST(Llbitmap, StaleBitmapMarksEverythingWrittenNeedSync) {
  Rig r;
  run_task(r.sim, r.bm.create(true));  // assume_clean: all Clean
  r.host.bump_events();                // md sb moved on, bitmap sb did not
  sim::Simulator sim2(8);
  FakeIntentHost host2(sim2, r.host);
  Llbitmap bm2(host2, IntentOptions{.type = IntentType::llbitmap});
  run_task(sim2, bm2.load(Sector(0)));
  EXPECT_EQ(bm2.count(State::NeedSync), bm2.chunks());
  // With update_sb the events match and Reload leaves Clean alone.
  run_task(r.sim, r.bm.update_sb());
  sim::Simulator sim3(9);
  FakeIntentHost host3(sim3, r.host);
  Llbitmap bm3(host3, IntentOptions{.type = IntentType::llbitmap});
  run_task(sim3, bm3.load(Sector(0)));
  EXPECT_EQ(bm3.count(State::Clean), bm3.chunks());
}

TEST(Llbitmap, InvalidByteOnDiskForcesNeedSyncAndReadOnlyFromInSync) {
  Rig r;
  run_task(r.sim, r.bm.create(true));
  r.host.poke(1, 1024 + 9, 0x77);  // garbage on member 1
  r.host.poke(0, 1024 + 10, 0x66); // garbage on member 0
  r.host.set_member_in_sync(0, false);  // member 0 is a recovering spare
  sim::Simulator sim2(8);
  FakeIntentHost host2(sim2, r.host);
  Llbitmap bm2(host2, IntentOptions{.type = IntentType::llbitmap});
  run_task(sim2, bm2.load(Sector(0)));
  EXPECT_EQ(bm2.state(9), State::NeedSync);  // read from member 1 only
  EXPECT_EQ(bm2.state(10), State::Clean);
}

sim::Task writer_that_blocks(Llbitmap& bm, bool& started) {
  co_await bm.start_write(Sector(5 * kChunk), SectorCount(8));
  started = true;
}

TEST(Llbitmap, SuspendTimeoutResurrectsThePage) {
  Rig r;
  run_task(r.sim, r.bm.create(false));
  run_task(r.sim, r.bm.start_write(Sector(5 * kChunk), SectorCount(8)));
  run_task(r.sim, r.bm.unplug());
  // Write stays in flight; daemon runs after expiry and must time out.
  r.advance(sim::Duration::s(6));
  bool daemon_done = false;
  auto daemon = [](Llbitmap& bm, bool& d) -> sim::Task {
    co_await bm.daemon_work();
    d = true;
  };
  r.sim.spawn(daemon(r.bm, daemon_done));
  r.advance(sim::Duration::s(1));
  EXPECT_TRUE(r.bm.page_suspended(0));
  bool started = false;
  r.sim.spawn(writer_that_blocks(r.bm, started));
  r.advance(sim::Duration::s(1));
  EXPECT_FALSE(started);  // waits on the suspended page
  r.advance(sim::Duration::s(30));
  EXPECT_TRUE(daemon_done);
  EXPECT_TRUE(started);   // row 4: resumed after the timeout
  EXPECT_EQ(r.bm.state(5), State::Dirty);  // not cleaned while in flight
}

TEST(Llbitmap, DegradedWritesNeedSyncNoInfectNoCleaning) {
  Rig r;
  run_task(r.sim, r.bm.create(true));
  r.host.set_degraded(true);
  r.write(5);
  r.write(6);
  EXPECT_EQ(r.bm.state(5), State::NeedSync);
  EXPECT_EQ(r.bm.state(6), State::NeedSync);
  EXPECT_EQ(r.bm.state(7), State::Clean);  // no infect when degraded
  r.advance(sim::Duration::s(60));
  run_task(r.sim, r.bm.daemon_work());
  EXPECT_EQ(r.bm.state(5), State::NeedSync);
  EXPECT_TRUE(r.bm.media_covers(0, Sector(6 * kChunk), SectorCount(8)));
  EXPECT_TRUE(r.bm.can_partial_readd(1));
  // Re-add recovery (still degraded while it runs): only NeedSync chunks sync.
  EXPECT_TRUE(r.bm.start_sync(Sector(5 * kChunk), true).value);
  EXPECT_FALSE(r.bm.start_sync(Sector(7 * kChunk), true).value);
}

TEST(Llbitmap, CondEndSyncEndsOnlyWhollySyncedChunks) {
  Rig r;
  run_task(r.sim, r.bm.create(true));
  r.host.bump_events();
  sim::Simulator sim2(8);
  FakeIntentHost host2(sim2, r.host);
  Llbitmap bm2(host2, IntentOptions{.type = IntentType::llbitmap});
  run_task(sim2, bm2.load(Sector(0)));  // stale: all NeedSync
  run_task(sim2, bm2.cond_end_sync(Sector(0), false));
  EXPECT_TRUE(bm2.start_sync(Sector(0), false).value);
  EXPECT_TRUE(bm2.start_sync(Sector(kChunk), false).value);
  run_task(sim2, bm2.cond_end_sync(Sector(kChunk + 64), true));  // mid chunk 1
  EXPECT_EQ(bm2.state(0), State::Dirty);
  EXPECT_EQ(bm2.state(1), State::Syncing);  // row 14
  // And the flush persisted it: media of chunk 1 still covers.
  EXPECT_TRUE(bm2.media_covers(0, Sector(kChunk), SectorCount(8)));
}

TEST(Llbitmap, EmptyRangesAreIgnored) {
  Rig r;
  run_task(r.sim, r.bm.create(false));
  const size_t before = r.host.log().size();
  run_task(r.sim, r.bm.start_write(Sector(0), SectorCount(0)));
  r.bm.end_write(Sector(0), SectorCount(0));
  run_task(r.sim, r.bm.start_discard(Sector(10), SectorCount(20)));  // no whole chunk
  r.bm.end_discard(Sector(10), SectorCount(20));
  run_task(r.sim, r.bm.unplug());
  EXPECT_EQ(r.host.log().size(), before);
  EXPECT_EQ(r.bm.count(State::Unwritten), r.bm.chunks());
}

}  // namespace
}  // namespace mdsim::md
