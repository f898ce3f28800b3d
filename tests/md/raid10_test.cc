// raid10 scenarios (near-2; far-2 and offset-2 at the end): placement,
// read-back, crash + assemble + resync, degraded writes and re-add,
// read-error repair, every intent backend.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/md/array.h"
#include "model/md/consistency.h"
#include "model/md/md_array.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

using disk::Sector;
using disk::SectorCount;

constexpr uint64_t kChunk = 128;       // raid chunk: 64 KiB
constexpr uint64_t kBitmapChunk = 256; // intent chunk: 128 KiB

md::ArrayConfig config(md::IntentType t, int disks = 4) {
  md::ArrayConfig c;
  c.level = 10;
  c.raid_disks = disks;
  c.chunk_sectors = kChunk;
  c.assume_clean = true;
  c.intent.type = t;
  c.intent.chunk_bytes = t == md::IntentType::bitmap ? kBitmapChunk * 512 : 0;
  return c;
}

disk::DiskConfig small_disk() {
  disk::DiskConfig d;
  d.capacity = SectorCount(64ull << 11);  // 64 MiB
  return d;
}

md::AssembleOptions assemble_opts(int disks = 4) {
  md::AssembleOptions o;
  o.runtime.raid_disks = disks;
  return o;
}

std::vector<disk::DiskImage> current_images(testing::MdRig& rig) {
  std::vector<disk::DiskImage> out;
  for (auto& d : rig.disks) out.push_back(d->current_image());
  return out;
}

std::vector<disk::SectorRange> inconsistent(testing::MdRig& rig) {
  const auto imgs = current_images(rig);
  return md::inconsistent_ranges(md::member_images(*rig.array, imgs));
}

TEST(Raid10, WritesLandOnBothCopiesAndReadBack) {
  testing::MdRig rig(101, config(md::IntentType::bitmap), small_disk());
  EXPECT_EQ(rig.array->capacity().value(), rig.array->core().dev_sectors_.value() * 2);
  // Crosses a chunk boundary: chunk 0 (slots 0,1) and chunk 1 (slots 2,3).
  auto w = rig.write(kChunk - 8, 16);
  ASSERT_TRUE(w.ok);
  rig.array->wait_idle();
  const uint64_t off = rig.array->data_offset().value();
  EXPECT_EQ(rig.disks[0]->current_word(Sector(off + kChunk - 8)), md::stamp(w.write_id, 0));
  EXPECT_EQ(rig.disks[1]->current_word(Sector(off + kChunk - 8)), md::stamp(w.write_id, 0));
  EXPECT_EQ(rig.disks[2]->current_word(Sector(off + 0)), md::stamp(w.write_id, 8));
  EXPECT_EQ(rig.disks[3]->current_word(Sector(off + 7)), md::stamp(w.write_id, 15));
  EXPECT_EQ(rig.disks[0]->current_word(Sector(off + 0)), 0u);
  auto r = rig.read(kChunk - 8, 16);
  ASSERT_TRUE(r.ok);
  for (uint64_t i = 0; i < 16; ++i) EXPECT_EQ(r.words[i], md::stamp(w.write_id, i));
  EXPECT_TRUE(inconsistent(rig).empty());
  EXPECT_EQ(rig.array->counters().intent_violations, 0u);
}

TEST(Raid10, IntentSpaceIsArraySectors) {
  testing::MdRig rig(102, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  EXPECT_EQ(rig.array->core().sync_size_.value(), rig.array->capacity().value());
  const uint64_t a = 600 * kBitmapChunk + 8;  // beyond the member size: array space only
  ASSERT_GT(a, rig.array->core().dev_sectors_.value());
  ASSERT_TRUE(rig.write(a, 8).ok);
  EXPECT_TRUE(rig.array->intent().media_covers(0, Sector(a), SectorCount(8)));
  EXPECT_TRUE(md::covered_by(rig.array->intent().dirty_ranges(), {Sector(a), SectorCount(8)}));
  EXPECT_EQ(rig.array->counters().intent_violations, 0u);
}

TEST(Raid10, CrashMidWriteCoveredAndResyncConverges) {
  // Write-through disks: a completed member write is on media. Slot 1 is slow,
  // so the crash finds copy 0 written and copy 1 not: the copies disagree.
  disk::DiskConfig dc = small_disk();
  dc.cache = disk::CacheMode::write_through;
  testing::MdRig rig(103, config(md::IntentType::bitmap), dc);
  rig.run_for(sim::Duration::s(30));
  rig.disks[1]->set_slow_factor(1000);
  const uint64_t a = 7 * kBitmapChunk;  // chunk index 14 -> slots 0,1
  ASSERT_EQ(rig.array->core().geo_.r10_slot(a, 1), 1);
  bool done = false;
  rig.array->submit({md::UserOp::write, Sector(a), SectorCount(8)},
                    [&](const md::UserIo&, const md::UserResult&) { done = true; });
  const uint64_t dev0 = rig.array->data_offset().value() + rig.array->core().geo_.r10_dev(a, 0);
  while (rig.disks[0]->media_word(Sector(dev0)) == 0) ASSERT_TRUE(rig.sim->step());
  ASSERT_FALSE(done);
  auto images = rig.crash_media();
  md::MemberImages mi = md::member_images(*rig.array, images);
  const auto bad = md::inconsistent_ranges(mi);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].start.value(), a);
  EXPECT_EQ(bad[0].count.value(), 8u);
  md::Array::Assembled out;
  testing::MdRig after(104, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::intent_resync) << out.detail;
  EXPECT_TRUE(md::covered_by(after.array->intent().dirty_ranges(), bad[0]));
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, kBitmapChunk);
  EXPECT_TRUE(inconsistent(after).empty());
}

TEST(Raid10, NoneBackendCrashResyncsTheWholeArray) {
  testing::MdRig rig(105, config(md::IntentType::none), small_disk());
  rig.run_for(sim::Duration::s(1));
  ASSERT_TRUE(rig.write(3000, 8).ok);
  auto images = rig.crash_media();
  md::Array::Assembled out;
  testing::MdRig after(106, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::full_resync) << out.detail;
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, after.array->capacity().value());
  EXPECT_TRUE(inconsistent(after).empty());
}

TEST(Raid10, DegradedWritesThenReAddRecoversOnlyDirtyChunks) {
  testing::MdRig rig(107, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  rig.array->fail_member(1);
  EXPECT_TRUE(rig.array->members()[1].faulty);
  auto w1 = rig.write(2 * kBitmapChunk, 8);    // chunk 4: slots 0,1 (degraded set)
  auto w2 = rig.write(3 * kBitmapChunk + 128, 8);  // chunk 7: slots 2,3
  ASSERT_TRUE(w1.ok && w2.ok);
  rig.run_for(sim::Duration::s(30));
  EXPECT_TRUE(rig.array->intent().media_covers(0, Sector(2 * kBitmapChunk), SectorCount(1)));
  {
    // The failed member is out of the array; put its image back to compare.
    const auto imgs = current_images(rig);
    md::MemberImages mi = md::member_images(*rig.array, imgs);
    EXPECT_EQ(mi.slots[1], nullptr);
    mi.slots[1] = &imgs[1];
    const auto bad = md::inconsistent_ranges(mi);
    ASSERT_EQ(bad.size(), 1u);  // slot 1 misses w1 only
    EXPECT_EQ(bad[0].start.value(), 2 * kBitmapChunk);
  }
  rig.array->remove_member(1);
  ASSERT_TRUE(rig.array->re_add_member(1));
  rig.array->wait_sync_done();
  EXPECT_TRUE(rig.array->members()[1].in_sync);
  // Only chunks with a copy on the recovering member are visited: chunk 2*256.
  EXPECT_EQ(rig.array->counters().resync_sectors, kBitmapChunk);
  rig.array->wait_idle();
  EXPECT_TRUE(inconsistent(rig).empty());
  rig.array->fail_member(0);  // now only the recovered copy serves reads
  auto r = rig.read(2 * kBitmapChunk, 8);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.words[3], md::stamp(w1.write_id, 3));
}

TEST(Raid10, FailingBothCopiesOfAChunkIsRefused) {
  testing::MdRig rig(108, config(md::IntentType::none), small_disk());
  rig.array->fail_member(0);
  rig.array->fail_member(2);  // another copy set: allowed
  EXPECT_TRUE(rig.array->members()[2].faulty);
  rig.array->fail_member(1);  // last copy of chunks on slots 0,1
  EXPECT_FALSE(rig.array->members()[1].faulty);
  EXPECT_TRUE(rig.array->broken());
}

TEST(Raid10, ReadErrorOnOneCopyIsCorrected) {
  testing::MdRig rig(109, config(md::IntentType::bitmap), small_disk());
  auto w = rig.write(1000, 8);
  ASSERT_TRUE(w.ok);
  rig.array->wait_idle();
  const auto& g = rig.array->core().geo_;
  const uint64_t off = rig.array->data_offset().value();
  // Copy 0 is read first (ties go to the lowest copy); its sectors fail once.
  rig.disks[g.r10_slot(1000, 0)]->add_bad_range({Sector(off + g.r10_dev(1000, 0)), SectorCount(8)}, false);
  auto r = rig.read(1000, 8);
  ASSERT_TRUE(r.ok);
  for (uint64_t i = 0; i < 8; ++i) EXPECT_EQ(r.words[i], md::stamp(w.write_id, i));
  EXPECT_EQ(rig.array->counters().corrected_read_errors, 1u);
  EXPECT_FALSE(rig.array->members()[g.r10_slot(1000, 0)].faulty);
  EXPECT_TRUE(inconsistent(rig).empty());
}

TEST(Raid10, ReadFailsWhenEveryCopyIsBad) {
  testing::MdRig rig(110, config(md::IntentType::bitmap), small_disk());
  ASSERT_TRUE(rig.write(1000, 8).ok);
  rig.array->wait_idle();
  const auto& g = rig.array->core().geo_;
  const uint64_t off = rig.array->data_offset().value();
  for (int k = 0; k < 2; ++k)
    rig.disks[g.r10_slot(1000, k)]->add_bad_range({Sector(off + g.r10_dev(1000, k)), SectorCount(8)}, true);
  EXPECT_FALSE(rig.read(1000, 8).ok);
  EXPECT_EQ(rig.array->counters().corrected_read_errors, 0u);
}

TEST(Raid10, CheckRewritesAnUnreadableCopyAndKeepsIt) {
  // sync_request_write: the lowest copy that reads is the source, a copy
  // whose read failed is written from it, by a check too, and is neither
  // failed nor counted as a mismatch (L20).
  testing::MdRig rig(114, config(md::IntentType::bitmap), small_disk());
  auto w = rig.write(1000, 8);
  ASSERT_TRUE(w.ok);
  rig.run_for(sim::Duration::s(30));
  const auto& g = rig.array->core().geo_;
  const uint64_t off = rig.array->data_offset().value();
  const int slot0 = g.r10_slot(1000, 0);
  rig.disks[slot0]->add_bad_range({Sector(off + g.r10_dev(1000, 0)), SectorCount(8)}, false);
  rig.array->start_sync_action(md::SyncAction::check);
  rig.array->wait_sync_done();
  EXPECT_FALSE(rig.array->members()[slot0].faulty);
  EXPECT_TRUE(rig.array->members()[slot0].in_sync);
  EXPECT_EQ(rig.array->counters().mismatch_sectors, 0u);
  // The rewrite repaired the sectors: copy 0 reads without a correction.
  auto r = rig.read(1000, 8);
  ASSERT_TRUE(r.ok);
  for (uint64_t i = 0; i < 8; ++i) EXPECT_EQ(r.words[i], md::stamp(w.write_id, i));
  EXPECT_EQ(rig.array->counters().corrected_read_errors, 0u);
  EXPECT_TRUE(inconsistent(rig).empty());
}

TEST(Raid10, WriteErrorBecomesBadBlockBeforeCompletion) {
  testing::MdRig rig(113, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(1));
  const auto& g = rig.array->core().geo_;
  const uint64_t off = rig.array->data_offset().value();
  const int slot = g.r10_slot(2000, 1);
  rig.disks[slot]->add_write_error_range({Sector(off + g.r10_dev(2000, 1)), SectorCount(8)});
  int64_t bb_ns = -1;
  rig.array->set_member_io_hook([&](int m, const disk::IoRequest& r) {
    if (m == slot && r.io_class == disk::IoClass::badblocks) bb_ns = rig.now().ns();
  });
  auto w = rig.write(2000, 8);
  ASSERT_TRUE(w.ok);
  ASSERT_GE(bb_ns, 0);
  EXPECT_GT(w.completed.ns(), bb_ns);
  EXPECT_EQ(rig.array->members()[slot].bad_blocks, 1u);
  EXPECT_FALSE(rig.array->members()[slot].faulty);
  auto r = rig.read(2000, 8);  // served by the other copy (bad block skipped)
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.words[0], md::stamp(w.write_id, 0));
}

TEST(Raid10, EveryBackendConvergesAfterCrash) {
  for (md::IntentType t : {md::IntentType::none, md::IntentType::bitmap, md::IntentType::llbitmap,
                           md::IntentType::journal, md::IntentType::ours}) {
    SCOPED_TRACE(md::intent_type_name(t));
    testing::MdRig rig(111, config(t, 3), small_disk());  // near-2 on 3 disks
    rig.run_for(sim::Duration::s(1));
    std::vector<md::UserIo> ios;
    for (uint64_t i = 0; i < 24; ++i)
      ios.push_back({md::UserOp::write, Sector((i * 7919 % 400) * 64), SectorCount(16)});
    int left = static_cast<int>(ios.size());
    rig.array->submit_batch(ios, [&](const md::UserIo&, const md::UserResult& r) {
      EXPECT_TRUE(r.ok);
      --left;
    });
    rig.run_for(sim::Duration::us(300));  // crash with writes in flight
    auto images = rig.crash_media();
    md::Array::Assembled out;
    testing::MdRig after(112, images, small_disk(), assemble_opts(3), &out);
    ASSERT_NE(out.decision, md::AssembleDecision::refused) << out.detail;
    const auto bad = md::inconsistent_ranges(md::member_images(*after.array, images));
    const auto dirty = after.array->intent().dirty_ranges();
    if (t != md::IntentType::none) {
      for (const auto& b : bad) EXPECT_TRUE(md::covered_by(dirty, b)) << b.start.value();
    }
    after.array->wait_sync_done();
    after.array->wait_idle();
    EXPECT_TRUE(inconsistent(after).empty());
    EXPECT_EQ(after.array->counters().intent_violations, 0u);
  }
}

// ---------------------------------------------------------------------------
// Far (f2) and offset (o2) layouts: placement, read balancing (the first
// section), crash + resync, degraded writes + re-add + recovery.

md::ArrayConfig far_config(uint32_t layout, md::IntentType t) {
  md::ArrayConfig c = config(t);
  c.layout = layout;
  return c;
}

uint64_t reads_of(testing::MdRig& rig, int slot) {
  return rig.disks[slot]->counters().reads[static_cast<int>(disk::IoClass::read)].requests;
}

class Raid10FarLayouts : public ::testing::TestWithParam<uint32_t> {};

TEST_P(Raid10FarLayouts, WritesLandOnBothCopiesAndReadBack) {
  testing::MdRig rig(201, far_config(GetParam(), md::IntentType::bitmap), small_disk());
  const md::RaidGeometry& g = rig.array->core().geo_;
  ASSERT_EQ(g.far_copies, 2);
  EXPECT_EQ(rig.array->capacity().value(), g.array_sectors());
  // 2 x 64 MiB minus the metadata: half of the members' space, whole rows.
  EXPECT_EQ(g.array_sectors() % (4 * kChunk), 0u);
  const uint64_t a = 5 * kChunk + 8;  // chunk 5: slot 1, its far copy on slot 2
  ASSERT_EQ(g.r10_slot(a, 0), 1);
  ASSERT_EQ(g.r10_slot(a, 1), 2);
  auto w = rig.write(a, kChunk);  // crosses into chunk 6 (slots 2 and 3)
  ASSERT_TRUE(w.ok);
  rig.array->wait_idle();
  const uint64_t off = rig.array->data_offset().value();
  for (uint64_t i = 0; i < kChunk; i += 37)
    for (int k = 0; k < 2; ++k)
      EXPECT_EQ(rig.disks[g.r10_slot(a + i, k)]->current_word(Sector(off + g.r10_dev(a + i, k))),
                md::stamp(w.write_id, i))
          << "sector " << a + i << " copy " << k;
  auto r = rig.read(a, kChunk);
  ASSERT_TRUE(r.ok);
  for (uint64_t i = 0; i < kChunk; ++i) ASSERT_EQ(r.words[i], md::stamp(w.write_id, i));
  EXPECT_TRUE(inconsistent(rig).empty());
  EXPECT_EQ(rig.array->counters().intent_violations, 0u);
}

TEST_P(Raid10FarLayouts, ReadsStayOnTheLowestAddressEvenWhenItIsBusy) {
  // read_balance with far copies: the lowest device address wins, whatever
  // is in flight (a near layout would pick the idle copy).
  testing::MdRig rig(202, far_config(GetParam(), md::IntentType::none), small_disk());
  const md::RaidGeometry& g = rig.array->core().geo_;
  const uint64_t a = 5 * kChunk;
  ASSERT_LT(g.r10_dev(a, 0), g.r10_dev(a, 1));
  rig.disks[1]->set_slow_factor(50);
  const uint64_t before1 = reads_of(rig, 1), before2 = reads_of(rig, 2);
  int done = 0;
  for (int i = 0; i < 4; ++i)
    rig.array->submit({md::UserOp::read, Sector(a + 8 * i), SectorCount(8)},
                      [&](const md::UserIo&, const md::UserResult& res) { done += res.ok ? 1 : 0; });
  rig.array->wait_idle();
  EXPECT_EQ(done, 4);
  EXPECT_EQ(reads_of(rig, 1) - before1, 4u);
  EXPECT_EQ(reads_of(rig, 2), before2);
}

TEST_P(Raid10FarLayouts, CrashMidWriteResyncConverges) {
  disk::DiskConfig dc = small_disk();
  dc.cache = disk::CacheMode::write_through;
  testing::MdRig rig(203, far_config(GetParam(), md::IntentType::bitmap), dc);
  rig.run_for(sim::Duration::s(30));
  const md::RaidGeometry& g = rig.array->core().geo_;
  const uint64_t a = 9 * kChunk + 16;  // chunk 9: slot 1, far copy on slot 2
  const int slow = g.r10_slot(a, 1);
  rig.disks[slow]->set_slow_factor(1000);
  bool done = false;
  rig.array->submit({md::UserOp::write, Sector(a), SectorCount(8)},
                    [&](const md::UserIo&, const md::UserResult&) { done = true; });
  const uint64_t dev0 = rig.array->data_offset().value() + g.r10_dev(a, 0);
  while (rig.disks[g.r10_slot(a, 0)]->media_word(Sector(dev0)) == 0) ASSERT_TRUE(rig.sim->step());
  ASSERT_FALSE(done);
  auto images = rig.crash_media();
  const auto bad = md::inconsistent_ranges(md::member_images(*rig.array, images));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].start.value(), a);
  md::Array::Assembled out;
  testing::MdRig after(204, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::intent_resync) << out.detail;
  EXPECT_EQ(after.array->core().geo_.far_copies, 2);  // the layout came back from the superblock
  EXPECT_EQ(after.array->core().geo_.far_offset, g.far_offset);
  after.array->wait_sync_done();
  EXPECT_TRUE(inconsistent(after).empty());
}

TEST_P(Raid10FarLayouts, DegradedWritesThenReAddRecovers) {
  testing::MdRig rig(205, far_config(GetParam(), md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  rig.array->fail_member(2);
  // Member 2 holds copy 0 of chunks 2, 6, ... and copy 1 of chunks 1, 5, ...
  uint64_t id5 = 0;
  for (uint64_t c : {1, 2, 5, 6, 40}) {
    auto w = rig.write(c * kChunk + 4, 8);
    ASSERT_TRUE(w.ok);
    if (c == 5) id5 = w.write_id;
  }
  auto r = rig.read(2 * kChunk + 4, 8);  // copy 0 is gone: the far copy serves it
  ASSERT_TRUE(r.ok);
  rig.run_for(sim::Duration::s(30));
  rig.array->remove_member(2);
  ASSERT_TRUE(rig.array->re_add_member(2));
  rig.array->wait_sync_done();
  EXPECT_TRUE(rig.array->members()[2].in_sync);
  // Only the bitmap chunks written while degraded were visited (each 256
  // sectors; chunk 40's copies are on slots 0 and 1, it is skipped).
  EXPECT_LE(rig.array->counters().resync_sectors, 4u * 256);
  EXPECT_GT(rig.array->counters().resync_sectors, 0u);
  rig.array->wait_idle();
  EXPECT_TRUE(inconsistent(rig).empty());
  rig.array->fail_member(1);  // chunk 5's copy 0: now slot 2 serves it
  auto r5 = rig.read(5 * kChunk + 4, 8);
  ASSERT_TRUE(r5.ok);
  for (uint64_t i = 0; i < 8; ++i) EXPECT_EQ(r5.words[i], md::stamp(id5, i));
}

INSTANTIATE_TEST_SUITE_P(Layouts, Raid10FarLayouts,
                         ::testing::Values(md::kRaid10LayoutFar2, md::kRaid10LayoutOffset2),
                         [](const ::testing::TestParamInfo<uint32_t>& p) {
                           return p.param == md::kRaid10LayoutFar2 ? std::string("f2") : std::string("o2");
                         });

}  // namespace
}  // namespace mdsim
