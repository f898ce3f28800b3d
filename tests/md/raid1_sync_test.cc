// raid1 sync actions: check counts mismatches without fixing them, repair fixes
// them, and an interrupted resync resumes from its checkpoint after assembly.
#include <gtest/gtest.h>

#include "model/md/array.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

using disk::Sector;
using disk::SectorCount;

disk::DiskConfig small_disk() {
  disk::DiskConfig d;
  d.capacity = SectorCount(64ull << 11);
  return d;
}

md::ArrayConfig cfg(md::IntentType t, bool assume_clean) {
  md::ArrayConfig c;
  c.raid_disks = 2;
  c.assume_clean = assume_clean;
  c.intent.type = t;
  c.intent.chunk_bytes = t == md::IntentType::bitmap ? 64 * 1024 : 0;
  return c;
}

// Puts different content on member 1 behind md's back (a silent corruption).
void corrupt(testing::MdRig& rig, uint64_t sector, uint64_t n) {
  disk::IoRequest req;
  req.sector = rig.array->data_offset() + SectorCount(sector);
  req.count = SectorCount(n);
  req.io_class = disk::IoClass::data;
  req.payload.stamps.assign(n, 0xdead);
  bool done = false;
  rig.disks[1]->submit(std::move(req), [&](disk::IoResult) { done = true; });
  while (!done) ASSERT_TRUE(rig.sim->step());
}

TEST(Raid1Sync, CheckCountsMismatchesRepairFixesThem) {
  testing::MdRig rig(51, cfg(md::IntentType::bitmap, true), small_disk());
  ASSERT_TRUE(rig.write(4000, 16).ok);
  rig.array->wait_idle();
  corrupt(rig, 4004, 8);
  EXPECT_EQ(rig.mirror_diff(1, 8192), 8u);
  rig.array->start_sync_action(md::SyncAction::check);
  rig.array->wait_sync_done();
  EXPECT_EQ(rig.array->counters().mismatch_sectors, 8u);
  EXPECT_EQ(rig.mirror_diff(1, 8192), 8u);  // check does not fix
  rig.array->start_sync_action(md::SyncAction::repair);
  rig.array->wait_sync_done();
  EXPECT_EQ(rig.array->counters().mismatch_sectors, 16u);
  EXPECT_EQ(rig.mirror_diff(1, 8192), 0u);
}

TEST(Raid1Sync, InterruptedResyncResumesFromCheckpoint) {
  auto c = cfg(md::IntentType::none, false);  // initial full resync
  c.sync_speed_max_kib_s = 20'000;            // 20 MB/s: ~3 s for 62 MiB
  testing::MdRig rig(52, c, small_disk());
  rig.run_for(sim::Duration::ms(1500));
  EXPECT_EQ(rig.array->sync_action(), md::SyncAction::resync);
  rig.array->stop();
  const Sector checkpoint = rig.array->resync_offset();
  ASSERT_GT(checkpoint.value(), 0u);
  ASSERT_LT(checkpoint.value(), rig.array->capacity().value());
  md::AssembleOptions o;
  o.runtime.raid_disks = 2;
  md::Array::Assembled out;
  testing::MdRig after(53, rig.crash_media(), small_disk(), o, &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::full_resync) << out.detail;
  EXPECT_EQ(after.array->resync_offset(), checkpoint);
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors,
            after.array->capacity().value() - checkpoint.value());
  EXPECT_EQ(after.array->resync_offset(), md::kMaxSector);
}

}  // namespace
}  // namespace mdsim
