// raid5 left-symmetric scenarios: parity after every kind of write (rmw, rcw,
// full stripe), degraded reads and writes, recovery, resync/check/repair, the
// write hole with and without an intent record, dirty degraded refusal, a
// bounded stripe cache.
#include "model/md/raid5.h"

#include <gtest/gtest.h>

#include <vector>

#include "model/md/array.h"
#include "model/md/consistency.h"
#include "model/md/md_array.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

using disk::Sector;
using disk::SectorCount;

constexpr uint64_t kChunk = 64;  // raid chunk: 32 KiB

md::ArrayConfig config(md::IntentType t, int disks = 4) {
  md::ArrayConfig c;
  c.level = 5;
  c.raid_disks = disks;
  c.chunk_sectors = kChunk;
  c.assume_clean = true;
  c.intent.type = t;
  c.intent.chunk_bytes = t == md::IntentType::bitmap ? 128 * 512 : 0;
  return c;
}

disk::DiskConfig small_disk() {
  disk::DiskConfig d;
  d.capacity = SectorCount(32ull << 11);  // 32 MiB
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

const md::Raid5::Stats& stats(testing::MdRig& rig) {
  return static_cast<md::Raid5&>(*rig.array->core().pers_).stats();
}

void expect_reads_back(testing::MdRig& rig, uint64_t s, const md::UserResult& w, uint64_t n) {
  auto r = rig.read(s, n);
  ASSERT_TRUE(r.ok);
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(r.words[i], md::stamp(w.write_id, i)) << i;
}

TEST(Raid5, SmallWriteIsReadModifyWrite) {
  // 5 members: one block costs rmw 2 reads, rcw 3 reads.
  testing::MdRig rig(201, config(md::IntentType::bitmap, 5), small_disk());
  EXPECT_EQ(rig.array->capacity().value(), rig.array->core().dev_sectors_.value() * 4);
  auto w = rig.write(kChunk + 8, 8);  // row 0, data index 1
  ASSERT_TRUE(w.ok);
  rig.array->wait_idle();
  EXPECT_EQ(stats(rig).rmw, 1u);
  EXPECT_EQ(stats(rig).rcw, 0u);
  // Left-symmetric row 0: parity on slot 4, index 1 on slot 1.
  const uint64_t off = rig.array->data_offset().value();
  EXPECT_EQ(rig.disks[1]->current_word(Sector(off + 8)), md::stamp(w.write_id, 0));
  EXPECT_EQ(rig.disks[4]->current_word(Sector(off + 8)), md::stamp(w.write_id, 0));
  EXPECT_TRUE(inconsistent(rig).empty());
  expect_reads_back(rig, kChunk + 8, w, 8);
  EXPECT_EQ(rig.array->counters().intent_violations, 0u);
}

TEST(Raid5, TieBetweenRmwAndRcwGoesToRcw) {
  // 4 members: one block costs 2 reads either way; md (rmw_level
  // PARITY_ENABLE_RMW) takes rmw only when strictly cheaper.
  testing::MdRig rig(217, config(md::IntentType::bitmap, 4), small_disk());
  ASSERT_TRUE(rig.write(kChunk + 8, 8).ok);
  EXPECT_EQ(stats(rig).rcw, 1u);
  EXPECT_EQ(stats(rig).rmw, 0u);
}

TEST(Raid5, FullStripeAndReconstructWrite) {
  testing::MdRig rig(202, config(md::IntentType::bitmap), small_disk());
  auto full = rig.write(3 * kChunk * 2, 3 * kChunk);  // all of row 2
  ASSERT_TRUE(full.ok);
  EXPECT_EQ(stats(rig).full_stripe, 1u);
  // Two whole chunks of row 4 out of three: rcw reads one chunk, rmw three.
  auto two = rig.write(3 * kChunk * 4, 2 * kChunk);
  ASSERT_TRUE(two.ok);
  EXPECT_EQ(stats(rig).rcw, 1u);
  // Spanning rows 5..6 partially.
  auto span = rig.write(3 * kChunk * 5 + 100, 3 * kChunk);
  ASSERT_TRUE(span.ok);
  rig.array->wait_idle();
  EXPECT_TRUE(inconsistent(rig).empty());
  expect_reads_back(rig, 3 * kChunk * 2, full, 3 * kChunk);
  expect_reads_back(rig, 3 * kChunk * 4, two, 2 * kChunk);
  expect_reads_back(rig, 3 * kChunk * 5 + 100, span, 3 * kChunk);
}

TEST(Raid5, DegradedReadsReconstructAndWritesKeepParity) {
  testing::MdRig rig(203, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(30));
  auto before = rig.write(0, 16);  // row 0 index 0 -> slot 0
  ASSERT_TRUE(before.ok);
  rig.array->fail_member(0);
  EXPECT_EQ(rig.array->core().pers_->degraded(), 1);
  expect_reads_back(rig, 0, before, 16);
  EXPECT_GE(stats(rig).reconstruct_reads, 1u);
  // Writes to the missing member's chunk (only parity records it) and to a
  // surviving one next to it.
  auto lost = rig.write(4, 8);
  auto kept = rig.write(kChunk + 4, 8);
  ASSERT_TRUE(lost.ok && kept.ok);
  EXPECT_GE(stats(rig).degraded_rows, 2u);
  expect_reads_back(rig, 4, lost, 8);
  expect_reads_back(rig, kChunk + 4, kept, 8);
  // Re-add: bitmap-guided recovery rebuilds the missing member.
  rig.array->remove_member(0);
  ASSERT_TRUE(rig.array->re_add_member(0));
  rig.array->wait_sync_done();
  rig.array->wait_idle();
  EXPECT_TRUE(rig.array->members()[0].in_sync);
  EXPECT_LT(rig.array->counters().resync_sectors, rig.array->core().dev_sectors_.value());
  EXPECT_TRUE(inconsistent(rig).empty());
  rig.array->fail_member(1);  // now member 0's rebuilt data is needed
  expect_reads_back(rig, 4, lost, 8);
}

TEST(Raid5, InitialResyncBuildsParityAndCheckFindsNothing) {
  auto c = config(md::IntentType::none);
  c.assume_clean = false;
  testing::MdRig rig(204, c, small_disk());
  // Put garbage parity in place before the resync reaches it: write data on
  // the raw disk would bypass md; instead write through md, then resync runs.
  rig.array->wait_sync_done();
  EXPECT_EQ(rig.array->counters().resync_sectors, rig.array->core().dev_sectors_.value());
  rig.array->start_sync_action(md::SyncAction::check);
  rig.array->wait_sync_done();
  EXPECT_EQ(rig.array->counters().mismatch_sectors, 0u);
}

TEST(Raid5, WriteHoleWithoutIntentNeedsFullResync) {
  // Write-through disks and a slow parity member: the crash finds new data on
  // media and the old parity, a partial-stripe write torn across members.
  disk::DiskConfig dc = small_disk();
  dc.cache = disk::CacheMode::write_through;
  testing::MdRig rig(205, config(md::IntentType::none), dc);
  rig.run_for(sim::Duration::s(1));
  rig.disks[3]->set_slow_factor(1000);  // parity slot of row 0
  bool done = false;
  rig.array->submit({md::UserOp::write, Sector(8), SectorCount(8)},
                    [&](const md::UserIo&, const md::UserResult&) { done = true; });
  const uint64_t off = rig.array->data_offset().value();
  while (rig.disks[0]->media_word(Sector(off + 8)) == 0) ASSERT_TRUE(rig.sim->step());
  ASSERT_FALSE(done);
  auto images = rig.crash_media();
  const auto bad = md::inconsistent_ranges(md::member_images(*rig.array, images));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].start.value(), 8u);
  EXPECT_EQ(bad[0].count.value(), 8u);
  md::Array::Assembled out;
  testing::MdRig after(206, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::full_resync) << out.detail;
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, after.array->core().dev_sectors_.value());
  EXPECT_TRUE(inconsistent(after).empty());
}

TEST(Raid5, WriteHoleIsCoveredByTheBitmap) {
  disk::DiskConfig dc = small_disk();
  dc.cache = disk::CacheMode::write_through;
  testing::MdRig rig(207, config(md::IntentType::bitmap), dc);
  rig.run_for(sim::Duration::s(30));
  const uint64_t a = 3 * kChunk * 40 + 16;  // row 40
  const int pslot = rig.array->core().geo_.r5_parity_slot(40);
  const auto loc = rig.array->core().geo_.r5_map(a);
  rig.disks[pslot]->set_slow_factor(1000);
  rig.array->submit({md::UserOp::write, Sector(a), SectorCount(8)}, [](const md::UserIo&, const md::UserResult&) {});
  const uint64_t off = rig.array->data_offset().value();
  while (rig.disks[loc.slot]->media_word(Sector(off + loc.dev)) == 0) ASSERT_TRUE(rig.sim->step());
  auto images = rig.crash_media();
  const auto bad = md::inconsistent_ranges(md::member_images(*rig.array, images));
  ASSERT_EQ(bad.size(), 1u);
  md::Array::Assembled out;
  testing::MdRig after(208, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::intent_resync) << out.detail;
  EXPECT_TRUE(md::covered_by(after.array->intent().dirty_ranges(), bad[0]));
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, 128u);  // one bitmap chunk
  EXPECT_TRUE(inconsistent(after).empty());
}

TEST(Raid5, DirtyDegradedStartIsRefusedUnlessForced) {
  testing::MdRig rig(209, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(1));
  ASSERT_TRUE(rig.write(100, 8).ok);
  auto images = rig.crash_media();  // dirty
  images[2] = disk::DiskImage(images[2].capacity());  // member 2 is gone
  md::Array::Assembled out;
  testing::MdRig after(210, images, small_disk(), assemble_opts(), &out);
  EXPECT_EQ(out.decision, md::AssembleDecision::refused);
  EXPECT_NE(out.detail.find("dirty degraded"), std::string::npos) << out.detail;
  auto forced = assemble_opts();
  forced.force = true;
  testing::MdRig after2(211, images, small_disk(), forced, &out);
  EXPECT_NE(out.decision, md::AssembleDecision::refused) << out.detail;
}

TEST(Raid5, CheckCountsAndRepairFixesBadParity) {
  testing::MdRig rig(212, config(md::IntentType::bitmap), small_disk());
  auto w = rig.write(0, 8);
  ASSERT_TRUE(w.ok);
  rig.array->stop();
  auto images = rig.crash_media();
  // Corrupt parity of row 0 (slot 3) at dev sectors 0..3.
  const uint64_t off = rig.array->data_offset().value();
  const uint64_t junk[4] = {1, 2, 3, 4};
  images[3].set_range(Sector(off), 4, junk, nullptr);
  md::Array::Assembled out;
  testing::MdRig after(213, images, small_disk(), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::nothing) << out.detail;
  EXPECT_EQ(inconsistent(after).size(), 1u);
  after.array->start_sync_action(md::SyncAction::check);
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().mismatch_sectors, 4u);
  EXPECT_EQ(inconsistent(after).size(), 1u);
  after.array->start_sync_action(md::SyncAction::repair);
  after.array->wait_sync_done();
  after.array->wait_idle();
  EXPECT_TRUE(inconsistent(after).empty());
}

TEST(Raid5, BoundedStripeCacheStillCompletesEverything) {
  auto c = config(md::IntentType::bitmap, 3);
  c.stripe_cache_size = 2;
  testing::MdRig rig(214, c, small_disk());
  std::vector<md::UserIo> ios;
  for (uint64_t i = 0; i < 32; ++i)
    ios.push_back({md::UserOp::write, Sector((i * 37 % 50) * 2 * kChunk + (i % 4) * 8), SectorCount(8)});
  int ok = 0;
  rig.array->submit_batch(ios, [&](const md::UserIo&, const md::UserResult& r) { ok += r.ok; });
  rig.array->wait_idle();
  EXPECT_EQ(ok, 32);
  EXPECT_TRUE(inconsistent(rig).empty());
  EXPECT_EQ(rig.array->counters().intent_violations, 0u);
}

TEST(Raid5, CrashWithWritesInFlightIsCoveredAndConverges) {
  for (md::IntentType t : {md::IntentType::none, md::IntentType::bitmap, md::IntentType::llbitmap,
                           md::IntentType::journal, md::IntentType::ours}) {
    SCOPED_TRACE(md::intent_type_name(t));
    testing::MdRig rig(215, config(t, 3), small_disk());
    rig.run_for(sim::Duration::s(1));
    std::vector<md::UserIo> ios;
    for (uint64_t i = 0; i < 24; ++i)
      ios.push_back({md::UserOp::write, Sector((i * 7919 % 300) * 64 + 8), SectorCount(16)});
    rig.array->submit_batch(ios, [](const md::UserIo&, const md::UserResult&) {});
    rig.run_for(sim::Duration::us(400));
    auto images = rig.crash_media();
    md::Array::Assembled out;
    testing::MdRig after(216, images, small_disk(), assemble_opts(3), &out);
    ASSERT_NE(out.decision, md::AssembleDecision::refused) << out.detail;
    const auto bad = md::inconsistent_ranges(md::member_images(*after.array, images));
    if (t != md::IntentType::none) {
      for (const auto& b : bad) EXPECT_TRUE(md::covered_by(after.array->intent().dirty_ranges(), b));
    }
    after.array->wait_sync_done();
    after.array->wait_idle();
    EXPECT_TRUE(inconsistent(after).empty());
  }
}

TEST(Raid5Llbitmap, LazyInitialParityForcedRcwAndDegradedProgress) {
  // A fresh llbitmap (no --assume-clean): every chunk Unwritten, so the
  // initial resync skips everything; the first write makes its chunk NeedSync
  // (raid456 rule), is done by rcw because the parity was never built, and a
  // lazy resync of just that chunk follows.
  auto c = config(md::IntentType::llbitmap, 5);
  c.assume_clean = false;
  testing::MdRig rig(218, c, small_disk());
  rig.array->wait_sync_done();
  EXPECT_EQ(rig.array->counters().resync_sectors, 0u);
  const uint64_t ic = rig.array->intent().chunk_sectors().value();
  ASSERT_GT(ic, 0u);
  auto w = rig.write(kChunk + 8, 8);  // one block: rmw would be cheaper
  ASSERT_TRUE(w.ok);
  EXPECT_EQ(stats(rig).forced_rcw, 1u);
  EXPECT_EQ(stats(rig).rmw, 0u);
  rig.array->wait_sync_done();
  rig.array->wait_idle();
  EXPECT_GT(rig.array->counters().resync_sectors, 0u);
  EXPECT_LE(rig.array->counters().resync_sectors, ic);
  EXPECT_TRUE(inconsistent(rig).empty());
  expect_reads_back(rig, kChunk + 8, w, 8);
  // md-internals 3.8 row 5: a degraded write into an Unwritten region must
  // finish (upstream looped forever before the fix).
  rig.array->fail_member(2);
  const uint64_t far = 3 * kChunk * 4 * 50 + 16;
  auto d = rig.write(far, 8);
  EXPECT_TRUE(d.ok);
  expect_reads_back(rig, far, d, 8);
}

}  // namespace
}  // namespace mdsim

namespace mdsim {
namespace {

// raid5_end_write_request + handle_stripe: a failed member write becomes a
// bad block (acknowledged on disk before the user write completes) and the
// member stays in the array; reads of that block are rebuilt from the row.
TEST(Raid5WriteError, DataWriteErrorRecordsBadBlockAndReadsRebuild) {
  testing::MdRig rig(231, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(1));
  // Row 0 (4 members): parity on slot 3, data index 1 on slot 1.
  const auto e = rig.write_over_write_error(1, 8, kChunk + 8, 8);
  const auto& w = e.result;
  ASSERT_TRUE(w.ok);
  ASSERT_GE(e.badblocks_written_ns, 0);
  EXPECT_GT(w.completed.ns(), e.badblocks_written_ns);
  const auto members = rig.array->members();
  EXPECT_FALSE(members[1].faulty);
  EXPECT_TRUE(members[1].in_sync);
  EXPECT_EQ(members[1].bad_blocks, 1u);
  EXPECT_TRUE(members[1].write_error_seen);
  // The parity holds the new data; the read skips the bad block and rebuilds.
  const uint64_t rebuilt_before = stats(rig).reconstruct_reads;
  expect_reads_back(rig, kChunk + 8, w, 8);
  EXPECT_GT(stats(rig).reconstruct_reads, rebuilt_before);
  // A later write to the row treats slot 1 as missing there and keeps parity.
  auto w2 = rig.write(8, 8);  // data index 0, slot 0
  ASSERT_TRUE(w2.ok);
  expect_reads_back(rig, 8, w2, 8);
  expect_reads_back(rig, kChunk + 8, w, 8);
  // The bad block survives a restart (bad-block log) and the view skips it.
  const auto imgs = current_images(rig);
  EXPECT_TRUE(md::inconsistent_ranges(md::member_images(*rig.array, imgs)).empty());
}

TEST(Raid5WriteError, ParityWriteErrorKeepsDataReadable) {
  testing::MdRig rig(232, config(md::IntentType::none), small_disk());
  rig.run_for(sim::Duration::s(1));
  const uint64_t off = rig.array->data_offset().value();
  rig.disks[3]->add_write_error_range({Sector(off + 8), SectorCount(8)});  // row 0 parity
  auto w = rig.write(8, 8);
  ASSERT_TRUE(w.ok);
  EXPECT_FALSE(rig.array->members()[3].faulty);
  EXPECT_EQ(rig.array->members()[3].bad_blocks, 1u);
  expect_reads_back(rig, 8, w, 8);
  // Losing the data member now: the row's parity is behind a bad block, so
  // that block cannot be rebuilt (md reports a read error, no stale data).
  rig.array->fail_member(0);
  EXPECT_FALSE(rig.read(8, 8).ok);
}

TEST(Raid5WriteError, FullBadBlockListFailsTheMember) {
  testing::MdRig rig(233, config(md::IntentType::bitmap), small_disk());
  rig.run_for(sim::Duration::s(1));
  md::Member& m = rig.array->core().members_[1];
  for (size_t i = 0; m.badblocks.size() < md::kMaxBadBlocks; ++i)
    ASSERT_TRUE(m.badblocks.set(Sector(20000 + 4 * i), SectorCount(1)));
  const uint64_t off = rig.array->data_offset().value();
  rig.disks[1]->add_write_error_range({Sector(off + 8), SectorCount(8)});
  auto w = rig.write(kChunk + 8, 8);
  ASSERT_TRUE(w.ok);  // written degraded: parity holds it
  EXPECT_TRUE(rig.array->members()[1].faulty);
  expect_reads_back(rig, kChunk + 8, w, 8);
}

}  // namespace
}  // namespace mdsim
