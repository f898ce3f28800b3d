// epochmap ("ours") scenarios on a FakeIntentHost: geometry, group infect,
// group commit, persisted cleaning by block rewrite and by epoch advance,
// crash at every step of an advance, degraded and re-add.
#include <gtest/gtest.h>

#include "model/md/epochmap.h"
#include "tests/support/fake_intent_host.h"

namespace mdsim::md {
namespace {

using testing::FakeIntentHost;
using testing::run_task;

constexpr SectorCount kGiB(2097152);
constexpr uint64_t kChunk = 128;      // 64 KiB
constexpr uint64_t kGroup = 1024;     // chunks per 64 MiB group

struct Rig {
  sim::Simulator sim{5};
  FakeIntentHost host{sim, 2, kGiB};
  Epochmap e{host, testing::options_for(IntentType::ours)};
  void start(uint64_t chunk) {
    run_task(sim, e.start_write(Sector(chunk * kChunk), SectorCount(8)));
    run_task(sim, e.unplug());
  }
  void end(uint64_t chunk) { e.end_write(Sector(chunk * kChunk), SectorCount(8)); }
  void write(uint64_t chunk) { start(chunk); end(chunk); }
  void advance(sim::Duration d) { sim.run_until(sim.now() + d); }
  std::unique_ptr<Epochmap> crash_and_load(sim::Simulator& s2, FakeIntentHost& h2) {
    auto e2 = std::make_unique<Epochmap>(h2, testing::options_for(IntentType::ours));
    run_task(s2, e2->load(Sector(0)));
    return e2;
  }
};

TEST(Epochmap, GeometryAlignsGroupsToClassicChunks) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  EXPECT_EQ(r.e.geometry().chunk_sectors, kChunk);
  EXPECT_EQ(r.e.geometry().group_chunks, kGroup);
  EXPECT_EQ(r.e.geometry().chunks_per_block, 3 * kGroup);
  EXPECT_EQ(r.e.geometry().blocks, 6u);
}

TEST(Epochmap, FirstTouchOneWriteSecondInfectsGroupThenFree) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  const size_t base = r.host.log().size();
  r.write(10);
  EXPECT_EQ(r.host.log().size(), base + 1);
  EXPECT_TRUE(r.e.dirty(10));
  EXPECT_FALSE(r.e.dirty(11));
  r.write(500);  // same group: infect the 64 MiB group
  EXPECT_EQ(r.host.log().size(), base + 2);
  EXPECT_EQ(r.e.dirty_chunks(), kGroup);
  EXPECT_FALSE(r.e.dirty(kGroup));  // next group untouched
  r.write(900);
  EXPECT_EQ(r.host.log().size(), base + 2);
  EXPECT_TRUE(r.e.media_covers(0, Sector(900 * kChunk), SectorCount(8)));
  EXPECT_FALSE(r.e.media_covers(0, Sector(kGroup * kChunk), SectorCount(8)));
}

TEST(Epochmap, ConcurrentWritersShareOneRound) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  const size_t base = r.host.log().size();
  auto w = [](Epochmap& e, uint64_t chunk) -> sim::Task {
    co_await e.start_write(Sector(chunk * kChunk), SectorCount(8));
    co_await e.unplug();
  };
  for (uint64_t c : {1ull, 2000ull, 2500ull, 3100ull}) r.sim.spawn(w(r.e, c));
  r.advance(sim::Duration::ms(1));
  // The first writer's round has block 0; the three that arrive while it is
  // in flight share one round for the adjacent blocks 0 and 1, written as one
  // request: two writes, not four.
  EXPECT_EQ(r.host.log().size(), base + 2);
  EXPECT_EQ(r.host.log().back().bytes.size(), 2u * 512);
}

TEST(Epochmap, IdleBurstIsCleanedByOneEpochAdvance) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  for (uint64_t c : {1ull, 4000ull, 7000ull, 10000ull}) r.write(c);  // 4 blocks
  run_task(r.sim, r.e.daemon_work());  // not idle yet
  EXPECT_EQ(r.e.dirty_chunks(), 4u);
  r.advance(sim::Duration::s(3));
  const size_t base = r.host.log().size();
  run_task(r.sim, r.e.daemon_work());
  EXPECT_EQ(r.host.log().size(), base + 1);  // the superblock only
  EXPECT_EQ(r.host.log().back().offset_sectors, 0u);
  EXPECT_EQ(r.e.epoch_advances(), 1u);
  EXPECT_EQ(r.e.dirty_chunks(), 0u);
  EXPECT_FALSE(r.e.media_covers(0, Sector(4000 * kChunk), SectorCount(8)));
  sim::Simulator s2(6);
  FakeIntentHost h2(s2, r.host);
  auto e2 = r.crash_and_load(s2, h2);
  EXPECT_FALSE(e2->needs_sync()) << e2->dirty_ranges().size() << " " << e2->clean_epoch() << " " << e2->epoch() << " " << e2->describe_media(0, Sector(4000 * kChunk));
  // New writes after the advance are valid again.
  r.write(4000);
  EXPECT_TRUE(r.e.media_covers(1, Sector(4000 * kChunk), SectorCount(8)));
}

TEST(Epochmap, FewIdleBlocksAreRewrittenNotAdvanced) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  r.write(1);
  r.start(4000);  // stays in flight: busy block
  r.advance(sim::Duration::s(3));
  const size_t base = r.host.log().size();
  run_task(r.sim, r.e.daemon_work());
  EXPECT_EQ(r.host.log().size(), base + 1);
  EXPECT_EQ(r.host.log().back().offset_sectors, 1u);  // block 0 rewritten
  EXPECT_EQ(r.e.block_cleans(), 1u);
  EXPECT_FALSE(r.e.dirty(1));
  EXPECT_TRUE(r.e.media_covers(0, Sector(4000 * kChunk), SectorCount(8)));
}

TEST(Epochmap, AdvanceRestampsBusyBlocksBeforeTheSuperblock) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  for (uint64_t c : {1ull, 4000ull, 7000ull}) r.write(c);
  r.start(10000);  // busy
  r.advance(sim::Duration::s(3));
  r.host.set_latency(sim::Duration::ms(1));
  const size_t base = r.host.log().size();
  bool done = false;
  auto d = [](Epochmap& e, bool& f) -> sim::Task {
    co_await e.daemon_work();
    f = true;
  };
  r.sim.spawn(d(r.e, done));
  r.advance(sim::Duration::us(1500));  // restamp done, superblock in flight
  ASSERT_EQ(r.host.log().size(), base + 1);
  EXPECT_EQ(r.host.log().back().offset_sectors, 4u);  // block 3 (chunk 10000)
  {  // Crash here: the old clean_epoch still rules, everything is covered.
    sim::Simulator s2(6);
    FakeIntentHost h2(s2, r.host);
    auto e2 = r.crash_and_load(s2, h2);
    EXPECT_EQ(e2->dirty_ranges().size(), 4u);
  }
  r.advance(sim::Duration::ms(2));
  ASSERT_TRUE(done);
  EXPECT_EQ(r.host.log().size(), base + 2);
  sim::Simulator s3(7);
  FakeIntentHost h3(s3, r.host);
  auto e3 = r.crash_and_load(s3, h3);
  auto d3 = e3->dirty_ranges();  // only the in-flight chunk's block survives
  ASSERT_EQ(d3.size(), 1u);
  EXPECT_EQ(d3[0].start, Sector(10000 * kChunk));
  EXPECT_TRUE(r.e.media_covers(0, Sector(10000 * kChunk), SectorCount(8)));
}

TEST(Epochmap, CrashBeforeCleaningResyncsAndThenCleans) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  r.write(5);
  r.write(6);  // infect group 0
  sim::Simulator s2(6);
  FakeIntentHost h2(s2, r.host);
  auto e2 = r.crash_and_load(s2, h2);
  ASSERT_TRUE(e2->needs_sync());
  EXPECT_EQ(e2->dirty_ranges().size(), 1u);
  EXPECT_EQ(e2->dirty_ranges()[0].count, SectorCount(kGroup * kChunk));
  EXPECT_GT(h2.resync_requests(), 0);
  EXPECT_TRUE(e2->start_sync(Sector(7 * kChunk), false).value);
  EXPECT_FALSE(e2->start_sync(Sector(kGroup * kChunk), false).value);
  s2.run_until(s2.now() + sim::Duration::s(5));
  run_task(s2, e2->daemon_work());  // not while the resync is pending
  EXPECT_TRUE(e2->dirty(7));
  // A pass that stops inside the group keeps what it did not finish...
  for (uint64_t c = 0; c < 100; ++c) (void)e2->start_sync(Sector(c * kChunk), false);
  e2->end_sync(Sector(50 * kChunk), true);
  e2->close_sync();
  ASSERT_EQ(e2->dirty_ranges().size(), 1u);
  EXPECT_EQ(e2->dirty_ranges()[0].start, Sector(50 * kChunk));
  const int asked = h2.resync_requests();
  run_task(s2, e2->daemon_work());  // ...and asks md for another pass
  EXPECT_GT(h2.resync_requests(), asked);
  EXPECT_TRUE(e2->dirty(7));
  for (uint64_t c = 0; c < kGroup; ++c) (void)e2->start_sync(Sector(c * kChunk), false);
  e2->close_sync();
  EXPECT_FALSE(e2->needs_sync());
  run_task(s2, e2->daemon_work());
  EXPECT_FALSE(e2->dirty(7));
  sim::Simulator s3(7);
  FakeIntentHost h3(s3, h2);
  auto e3 = r.crash_and_load(s3, h3);
  EXPECT_FALSE(e3->needs_sync());
}

TEST(Epochmap, DegradedKeepsExactBitsForReadd) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  r.host.set_degraded(true);
  r.host.set_member_present(1, false);
  r.write(5);
  r.write(6);
  EXPECT_EQ(r.e.dirty_chunks(), 2u);  // no infect while degraded
  r.advance(sim::Duration::s(60));
  run_task(r.sim, r.e.daemon_work());
  EXPECT_EQ(r.e.dirty_chunks(), 2u);  // nothing cleaned while degraded
  sim::Simulator s2(6);
  FakeIntentHost h2(s2, r.host);
  auto e2 = r.crash_and_load(s2, h2);
  EXPECT_TRUE(e2->can_partial_readd(10));
  EXPECT_TRUE(e2->start_sync(Sector(6 * kChunk), true).value);
  EXPECT_FALSE(e2->start_sync(Sector(7 * kChunk), true).value);
}

// Piggy-back: an md superblock round with nothing in flight cleans the whole
// record inside the superblock it writes anyway (no extra write); with a
// write in flight it cleans nothing.
TEST(Epochmap, SuperblockRoundCleansForFreeWhenNothingIsInFlight) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  r.write(1);
  r.start(4000);  // in flight
  size_t base = r.host.log().size();
  run_task(r.sim, r.e.update_sb());
  EXPECT_EQ(r.host.log().size(), base + 1);
  EXPECT_EQ(r.e.sb_round_cleans(), 0u);
  EXPECT_TRUE(r.e.dirty(1));
  r.end(4000);
  base = r.host.log().size();
  run_task(r.sim, r.e.update_sb());  // md's safemode "clean" round
  EXPECT_EQ(r.host.log().size(), base + 1);  // the superblock only
  EXPECT_EQ(r.host.log().back().offset_sectors, 0u);
  EXPECT_EQ(r.e.sb_round_cleans(), 1u);
  EXPECT_EQ(r.e.dirty_chunks(), 0u);
  sim::Simulator s2(6);
  FakeIntentHost h2(s2, r.host);
  auto e2 = r.crash_and_load(s2, h2);
  EXPECT_FALSE(e2->needs_sync());
  r.write(4000);  // the next write is valid against the new clean_epoch
  EXPECT_TRUE(r.e.media_covers(0, Sector(4000 * kChunk), SectorCount(8)));
}

// bitmap_load's rule: after a clean md superblock nothing is resynced, but
// the bits stay in memory for a re-add recovery; a checkpoint keeps only the
// chunks ending at or past it.
TEST(Epochmap, CleanMdSuperblockMeansNoResync) {
  Rig r;
  run_task(r.sim, r.e.create(true));
  r.write(5);
  r.write(3000);
  for (uint64_t start : {Sector::max().value(), 4000 * kChunk, uint64_t{0}}) {
    sim::Simulator s2(6);
    FakeIntentHost h2(s2, r.host);
    Epochmap e2(h2, testing::options_for(IntentType::ours));
    run_task(s2, e2.load(Sector(start)));
    EXPECT_EQ(e2.needs_sync(), start == 0) << start;
    EXPECT_TRUE(e2.dirty(5));
    EXPECT_TRUE(e2.start_sync(Sector(5 * kChunk), false).value);  // a recovery still copies it
  }
}

}  // namespace
}  // namespace mdsim::md
