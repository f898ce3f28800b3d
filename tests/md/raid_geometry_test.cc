// Layout math of raid10 near and raid5 left-symmetric (raid_geometry.h).
#include "model/md/raid_geometry.h"

#include <gtest/gtest.h>

#include <set>

#include "model/md/array.h"

namespace mdsim::md {
namespace {

RaidGeometry geo(int level, int disks, uint32_t chunk, uint64_t dev) {
  ArrayConfig c;
  c.level = level;
  c.raid_disks = disks;
  c.chunk_sectors = chunk;
  return RaidGeometry::from(c, dev);
}

TEST(RaidGeometry, Raid10Near2OnFourDisks) {
  const RaidGeometry g = geo(10, 4, 8, 64);
  EXPECT_EQ(g.array_sectors(), 128u);  // 4 x 64 / 2
  EXPECT_EQ(g.intent_sectors(), 128u);
  // Chunk 0 on slots 0,1; chunk 1 on slots 2,3; chunk 2 on 0,1 one chunk down.
  EXPECT_EQ(g.r10_slot(0, 0), 0);
  EXPECT_EQ(g.r10_slot(0, 1), 1);
  EXPECT_EQ(g.r10_slot(8, 0), 2);
  EXPECT_EQ(g.r10_slot(8, 1), 3);
  EXPECT_EQ(g.r10_slot(16, 0), 0);
  EXPECT_EQ(g.r10_dev(16 + 3, 1), 8u + 3);
  EXPECT_EQ(g.r10_dev(8 + 5, 0), 5u);
}

TEST(RaidGeometry, Raid10OddDisksInverseIsExact) {
  // near-2 on 3 disks: copies wrap to the next device chunk.
  const RaidGeometry g = geo(10, 3, 8, 80);
  EXPECT_EQ(g.array_sectors(), 120u);  // 10 chunks x 3 / 2 = 15 chunks
  std::set<std::pair<int, uint64_t>> places;
  for (uint64_t a = 0; a < g.array_sectors(); ++a) {
    for (int k = 0; k < 2; ++k) {
      const int s = g.r10_slot(a, k);
      const uint64_t d = g.r10_dev(a, k);
      ASSERT_LT(d, g.dev_sectors);
      EXPECT_EQ(g.r10_array_of(s, d), a);
      EXPECT_TRUE(places.insert({s, d}).second) << "two copies on one place";
    }
    EXPECT_NE(g.r10_slot(a, 0), g.r10_slot(a, 1));
  }
  EXPECT_EQ(g.r10_slot(8, 0), 2);  // chunk 1: v = 2, 3 -> slots 2 and 0
  EXPECT_EQ(g.r10_slot(8, 1), 0);
  EXPECT_EQ(g.r10_dev(8, 1), 8u);
}

TEST(RaidGeometry, Raid5LeftSymmetric) {
  const RaidGeometry g = geo(5, 3, 8, 64);
  EXPECT_EQ(g.array_sectors(), 128u);
  EXPECT_EQ(g.intent_sectors(), 64u);
  // Row 0: parity on slot 2, data 0 -> slot 0, data 1 -> slot 1.
  EXPECT_EQ(g.r5_parity_slot(0), 2);
  EXPECT_EQ(g.r5_map(0).slot, 0);
  EXPECT_EQ(g.r5_map(8).slot, 1);
  // Row 1: parity on slot 1, data 0 -> slot 2, data 1 -> slot 0.
  EXPECT_EQ(g.r5_parity_slot(1), 1);
  EXPECT_EQ(g.r5_map(16).slot, 2);
  EXPECT_EQ(g.r5_map(24).slot, 0);
  EXPECT_EQ(g.r5_map(24 + 5).dev, 13u);
  // Row 2: parity on slot 0; row 3 wraps to slot 2.
  EXPECT_EQ(g.r5_parity_slot(2), 0);
  EXPECT_EQ(g.r5_parity_slot(3), 2);
  for (uint64_t row = 0; row < 6; ++row)
    for (int i = 0; i < 2; ++i) {
      const int s = g.r5_data_slot(row, i);
      EXPECT_EQ(g.r5_index_of_slot(row, s), i);
      EXPECT_EQ(g.r5_map(g.r5_array_of(row, i, 3)).slot, s);
    }
}

TEST(RaidGeometry, Raid5BitmapSectorRoundsToRows) {
  const RaidGeometry g = geo(5, 4, 8, 64);  // stripe = 24 array sectors
  const auto r = g.intent_range(30, 4);     // inside row 1
  EXPECT_EQ(r.start.value(), 8u);
  EXPECT_EQ(r.count.value(), 8u);
  const auto r2 = g.intent_range(20, 10);   // rows 0 and 1
  EXPECT_EQ(r2.start.value(), 0u);
  EXPECT_EQ(r2.count.value(), 16u);
  EXPECT_EQ(g.intent_of_member(1, 9, 3).start.value(), 9u);  // identity for raid5
}

TEST(RaidGeometry, DevSectorsRoundToChunk) {
  ArrayConfig c;
  c.level = 5;
  c.raid_disks = 3;
  EXPECT_EQ(RaidGeometry::round_dev_sectors(c, 5000), 4096u);
  EXPECT_EQ(RaidGeometry::layout_of(c), kRaid5LeftSymmetric);
  c.level = 1;
  EXPECT_EQ(RaidGeometry::round_dev_sectors(c, 5000), 5000u);
}

}  // namespace
}  // namespace mdsim::md
