// Smoke: create a raid1 with each backend, write and read back.
#include <gtest/gtest.h>

#include "model/md/array.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

md::ArrayConfig small_config(md::IntentType t) {
  md::ArrayConfig c;
  c.raid_disks = 2;
  c.assume_clean = true;
  c.intent.type = t;
  c.intent.chunk_bytes = t == md::IntentType::bitmap ? 64 * 1024 : 0;
  return c;
}

disk::DiskConfig small_disk() {
  disk::DiskConfig d;
  d.capacity = disk::SectorCount(64ull << 11);  // 64 MiB
  return d;
}

TEST(Raid1Smoke, WriteReadBothBackends) {
  for (auto t : {md::IntentType::none, md::IntentType::bitmap, md::IntentType::llbitmap,
                 md::IntentType::journal, md::IntentType::ours}) {
    SCOPED_TRACE(md::intent_type_name(t));
    testing::MdRig rig(1, small_config(t), small_disk());
    auto w = rig.write(1000, 8);
    ASSERT_TRUE(w.ok);
    auto r = rig.read(1000, 8);
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.words.size(), 8u);
    for (uint64_t i = 0; i < 8; ++i) EXPECT_EQ(r.words[i], md::stamp(w.write_id, i));
    rig.array->wait_idle();
    EXPECT_EQ(rig.mirror_diff(1, 4096), 0u);
    EXPECT_GE(rig.array->counters().sb_rounds, 2u);
    rig.array->stop();
  }
}

TEST(Raid1Smoke, WriteAcrossBarrierUnitIsSplitAndCompletesOnce) {
  auto c = small_config(md::IntentType::bitmap);
  c.intent.chunk_bytes = 1 << 20;
  disk::DiskConfig d;
  d.capacity = disk::SectorCount(160ull << 11);  // 160 MiB
  testing::MdRig rig(2, c, d);
  const uint64_t unit = 1ull << 17;  // 64 MiB in sectors
  auto w = rig.write(unit - 8, 24);
  ASSERT_TRUE(w.ok);
  auto r = rig.read(unit - 8, 24);
  ASSERT_TRUE(r.ok);
  for (uint64_t i = 0; i < 24; ++i) EXPECT_EQ(r.words[i], md::stamp(w.write_id, i));
  rig.array->wait_idle();
  EXPECT_EQ(rig.array->counters().user_writes, 1u);
  const uint64_t off = rig.array->data_offset().value();
  for (uint64_t i = 0; i < 24; ++i)
    EXPECT_EQ(rig.disks[1]->current_word(disk::Sector(off + unit - 8 + i)), md::stamp(w.write_id, i));
}

}  // namespace
}  // namespace mdsim
