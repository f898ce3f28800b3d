// raid1 fault scenarios: crash then assemble, degraded writes and re-add,
// stale re-add, read error repair, write error -> bad block, write-behind.
#include <gtest/gtest.h>

#include <vector>

#include "model/md/array.h"
#include "model/md/bitmap.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

using disk::IoClass;
using disk::Sector;
using disk::SectorCount;

constexpr uint64_t kChunk = 128;  // 64 KiB bitmap chunks

md::ArrayConfig config(md::IntentType t) {
  md::ArrayConfig c;
  c.raid_disks = 2;
  c.assume_clean = true;
  c.intent.type = t;
  c.intent.chunk_bytes = t == md::IntentType::bitmap ? kChunk * 512 : 0;
  return c;
}

disk::DiskConfig small_disk() {
  disk::DiskConfig d;
  d.capacity = SectorCount(64ull << 11);  // 64 MiB
  return d;
}

md::AssembleOptions assemble_opts() {
  md::AssembleOptions o;
  o.runtime.raid_disks = 2;
  return o;
}

TEST(Raid1Crash, AssembleResyncsExactlyTheSetChunks) {
  testing::MdRig rig(11, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  const std::vector<uint64_t> chunks = {3, 7, 20};
  for (uint64_t c : chunks) ASSERT_TRUE(rig.write(c * kChunk + 8, 8).ok);
  for (uint64_t c : chunks)
    EXPECT_TRUE(rig.array->intent().media_covers(0, Sector(c * kChunk), SectorCount(1)));
  auto images = rig.crash_media();  // power loss now: the array is dirty
  md::Array::Assembled out;
  testing::MdRig after(12, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::intent_resync) << out.detail;
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, chunks.size() * kChunk);
  EXPECT_EQ(after.array->resync_offset(), md::kMaxSector);
  EXPECT_EQ(after.mirror_diff(1, 64 * kChunk), 0u);
}

TEST(Raid1Crash, NoneBackendResyncsEverything) {
  testing::MdRig rig(13, config(md::IntentType::none), small_disk());
  rig.run_for(sim::Duration::s(1));
  ASSERT_TRUE(rig.write(1000, 8).ok);
  auto images = rig.crash_media();
  md::Array::Assembled out;
  testing::MdRig after(14, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::full_resync) << out.detail;
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, after.array->capacity().value());
}

TEST(Raid1Crash, AfterCleanRoundNothingToResync) {
  testing::MdRig rig(15, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  ASSERT_TRUE(rig.write(5 * kChunk, 8).ok);
  rig.run_for(sim::Duration::s(1));  // clean round done, bit still set
  ASSERT_TRUE(rig.array->clean());
  ASSERT_TRUE(rig.array->intent().media_covers(0, Sector(5 * kChunk), SectorCount(1)));
  auto images = rig.crash_media();
  md::Array::Assembled out;
  testing::MdRig after(16, images, small_disk(), assemble_opts(), &out);
  EXPECT_EQ(out.decision, md::AssembleDecision::nothing) << out.detail;
  after.run_for(sim::Duration::s(20));
  EXPECT_EQ(after.array->counters().resync_sectors, 0u);
  EXPECT_TRUE(after.array->intent().dirty_ranges().empty());
}

TEST(Raid1Degraded, WritesKeepBitsAndReAddRecoversOnlyThem) {
  testing::MdRig rig(21, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  rig.array->fail_member(1);
  EXPECT_TRUE(rig.array->members()[1].faulty);
  ASSERT_TRUE(rig.write(2 * kChunk, 8).ok);
  ASSERT_TRUE(rig.write(9 * kChunk + 64, 16).ok);
  rig.run_for(sim::Duration::s(30));
  // Degraded: the daemon must not clear these bits.
  EXPECT_TRUE(rig.array->intent().media_covers(0, Sector(2 * kChunk), SectorCount(1)));
  EXPECT_TRUE(rig.array->intent().media_covers(0, Sector(9 * kChunk), SectorCount(1)));
  EXPECT_GT(rig.mirror_diff(1, 16 * kChunk), 0u);
  rig.array->remove_member(1);
  ASSERT_TRUE(rig.array->re_add_member(1));
  rig.array->wait_sync_done();
  EXPECT_EQ(rig.array->counters().resync_sectors, 2 * kChunk);
  EXPECT_TRUE(rig.array->members()[1].in_sync);
  EXPECT_EQ(rig.mirror_diff(1, 16 * kChunk), 0u);
  rig.run_for(sim::Duration::s(30));
  EXPECT_TRUE(rig.array->intent().dirty_ranges().empty());
}

TEST(Raid1Degraded, ReAddOlderThanEventsClearedRecoversEverything) {
  testing::MdRig rig(22, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  const disk::DiskImage old1 = rig.disks[1]->capture().media;  // events E
  // Device changes move events on for good; a non-degraded write then moves
  // events_cleared past E.
  rig.array->fail_member(1);
  ASSERT_TRUE(rig.write(0, 8).ok);
  rig.array->remove_member(1);
  ASSERT_TRUE(rig.array->re_add_member(1));
  rig.array->wait_sync_done();
  ASSERT_TRUE(rig.write(kChunk, 8).ok);
  rig.array->wait_idle();
  rig.run_for(sim::Duration::s(1));
  rig.array->stop();
  auto images = rig.crash_media();
  images[1] = old1;
  md::Array::Assembled out;
  testing::MdRig after(23, images, small_disk(), assemble_opts(), &out);
  ASSERT_NE(out.decision, md::AssembleDecision::refused) << out.detail;
  EXPECT_EQ(after.array->members()[1].raid_disk, -1);  // out of date: left out
  ASSERT_TRUE(after.array->re_add_member(1));
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, after.array->capacity().value());
  EXPECT_TRUE(after.array->members()[1].in_sync);
}

TEST(Raid1Errors, ReadErrorRepairedFromMirror) {
  testing::MdRig rig(31, config(md::IntentType::bitmap), small_disk());
  auto w = rig.write(1000, 8);
  ASSERT_TRUE(w.ok);
  rig.array->wait_idle();
  const uint64_t off = rig.array->data_offset().value();
  rig.disks[0]->add_bad_range({Sector(off + 1000), SectorCount(8)}, false);
  auto r = rig.read(1000, 8);
  ASSERT_TRUE(r.ok);
  for (uint64_t i = 0; i < 8; ++i) EXPECT_EQ(r.words[i], md::stamp(w.write_id, i));
  EXPECT_EQ(rig.array->counters().corrected_read_errors, 1u);
  EXPECT_EQ(rig.array->members()[0].corrected_read_errors, 1u);
  EXPECT_FALSE(rig.array->members()[0].faulty);
  EXPECT_EQ(rig.disks[0]->current_word(Sector(off + 1003)), md::stamp(w.write_id, 3));
}

TEST(Raid1Errors, WriteErrorBecomesBadBlockBeforeCompletion) {
  testing::MdRig rig(32, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(1));
  const auto e = rig.write_over_write_error(1, 2000, 2000, 8);
  ASSERT_TRUE(e.result.ok);
  ASSERT_GE(e.badblocks_written_ns, 0);
  EXPECT_GT(e.result.completed.ns(), e.badblocks_written_ns);
  const auto ms = rig.array->members();
  EXPECT_FALSE(ms[1].faulty);
  EXPECT_TRUE(ms[1].write_error_seen);
  EXPECT_EQ(ms[1].bad_blocks, 1u);
}

TEST(Raid1Errors, LastInSyncMemberIsNeverFailed) {
  testing::MdRig rig(33, config(md::IntentType::none), small_disk());
  rig.array->fail_member(1);
  rig.array->fail_member(0);
  EXPECT_FALSE(rig.array->members()[0].faulty);
  EXPECT_TRUE(rig.array->broken());
}

TEST(Raid1WriteBehind, CompletesBeforeTheWriteMostlyCopy) {
  auto c = config(md::IntentType::bitmap);
  c.write_mostly = {false, true};
  c.intent.write_behind = 256;
  testing::MdRig rig(41, c, small_disk());
  rig.run_for(sim::Duration::s(1));
  rig.disks[1]->set_slow_factor(50);
  ASSERT_TRUE(rig.write(0, 8).ok);  // array active now
  rig.array->wait_idle();
  bool behind_in_flight = false;
  bool done = false;
  rig.array->submit({md::UserOp::write, Sector(64), SectorCount(8)},
                    [&](const md::UserIo&, const md::UserResult& r) {
                      done = r.ok;
                      behind_in_flight = rig.disks[1]->inflight() > 0;
                    });
  while (!done) ASSERT_TRUE(rig.sim->step());
  EXPECT_TRUE(behind_in_flight);
  rig.array->wait_idle();
  EXPECT_EQ(rig.mirror_diff(1, 256), 0u);
}

}  // namespace
}  // namespace mdsim
