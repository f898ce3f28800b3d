// raid10 far (f2) and offset (o2) layouts (raid_geometry.h) against tables
// worked out by hand from md's layout rules (__raid10_find_phys,
// raid10_find_virt, calc_sectors).
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "model/md/array.h"
#include "model/md/raid_geometry.h"

namespace mdsim::md {
namespace {

RaidGeometry geo(int disks, uint32_t layout, uint64_t dev) {
  ArrayConfig c;
  c.level = 10;
  c.raid_disks = disks;
  c.chunk_sectors = 8;
  c.layout = layout;
  return RaidGeometry::from(c, dev);
}

struct Place {
  int slot;
  uint64_t dev_chunk;
};

// Every chunk's two copies are where the table says (sector 3 of the chunk).
void expect_table(const RaidGeometry& g, const std::vector<std::pair<Place, Place>>& table) {
  for (size_t c = 0; c < table.size(); ++c) {
    const uint64_t a = c * 8 + 3;
    const Place want[2] = {table[c].first, table[c].second};
    for (int k = 0; k < 2; ++k) {
      EXPECT_EQ(g.r10_slot(a, k), want[k].slot) << "chunk " << c << " copy " << k;
      EXPECT_EQ(g.r10_dev(a, k), want[k].dev_chunk * 8 + 3) << "chunk " << c << " copy " << k;
    }
  }
}

// Forward and inverse agree everywhere, no place holds two copies, the two
// copies of a sector are on different members, and every unused place maps
// to no array sector.
void expect_exact_inverse(const RaidGeometry& g) {
  std::set<std::pair<int, uint64_t>> places;
  for (uint64_t a = 0; a < g.array_sectors(); ++a) {
    for (int k = 0; k < g.r10_copies(); ++k) {
      const int s = g.r10_slot(a, k);
      const uint64_t d = g.r10_dev(a, k);
      ASSERT_LT(d, g.dev_sectors);
      EXPECT_EQ(g.r10_array_of(s, d), a) << "slot " << s << " dev " << d;
      EXPECT_TRUE(places.insert({s, d}).second) << "two copies on one place";
    }
    EXPECT_NE(g.r10_slot(a, 0), g.r10_slot(a, 1));
  }
  for (int s = 0; s < g.raid_disks; ++s)
    for (uint64_t d = 0; d < g.dev_sectors; ++d)
      if (!places.contains({s, d})) {
        EXPECT_EQ(g.r10_array_of(s, d), kNoSector) << "slot " << s << " dev " << d;
      }
}

TEST(RaidGeometryFar, Far2OnFourDisks) {
  // 8 device chunks: two sections of 4 (stride 32 sectors); 16 array chunks.
  // Section 0 is raid0 over slots 0..3; section 1 the same, one slot on.
  const RaidGeometry g = geo(4, kRaid10LayoutFar2, 64);
  EXPECT_EQ(g.near_copies, 1);
  EXPECT_EQ(g.far_copies, 2);
  EXPECT_FALSE(g.far_offset);
  EXPECT_EQ(g.r10_copies(), 2);
  EXPECT_EQ(g.r10_stride(), 32u);
  EXPECT_EQ(g.array_sectors(), 128u);
  expect_table(g, {{{0, 0}, {1, 4}}, {{1, 0}, {2, 4}}, {{2, 0}, {3, 4}}, {{3, 0}, {0, 4}},
                   {{0, 1}, {1, 5}}, {{1, 1}, {2, 5}}, {{2, 1}, {3, 5}}, {{3, 1}, {0, 5}},
                   {{0, 2}, {1, 6}}, {{1, 2}, {2, 6}}, {{2, 2}, {3, 6}}, {{3, 2}, {0, 6}},
                   {{0, 3}, {1, 7}}, {{1, 3}, {2, 7}}, {{2, 3}, {3, 7}}, {{3, 3}, {0, 7}}});
  expect_exact_inverse(g);
}

TEST(RaidGeometryFar, Offset2OnFourDisks) {
  // Row r of chunks takes device chunks 2r (copy 0) and 2r + 1 (copy 1,
  // one slot on).
  const RaidGeometry g = geo(4, kRaid10LayoutOffset2, 64);
  EXPECT_EQ(g.far_copies, 2);
  EXPECT_TRUE(g.far_offset);
  EXPECT_EQ(g.r10_stride(), 8u);
  EXPECT_EQ(g.array_sectors(), 128u);
  expect_table(g, {{{0, 0}, {1, 1}}, {{1, 0}, {2, 1}}, {{2, 0}, {3, 1}}, {{3, 0}, {0, 1}},
                   {{0, 2}, {1, 3}}, {{1, 2}, {2, 3}}, {{2, 2}, {3, 3}}, {{3, 2}, {0, 3}},
                   {{0, 4}, {1, 5}}, {{1, 4}, {2, 5}}, {{2, 4}, {3, 5}}, {{3, 4}, {0, 5}},
                   {{0, 6}, {1, 7}}, {{1, 6}, {2, 7}}, {{2, 6}, {3, 7}}, {{3, 6}, {0, 7}}});
  expect_exact_inverse(g);
}

TEST(RaidGeometryFar, OddDevicesAndOddChunkCount) {
  // 3 disks, 5 device chunks: 2 per far section (stride 16), 6 array
  // chunks; device chunk 4 holds nothing.
  const RaidGeometry f = geo(3, kRaid10LayoutFar2, 40);
  EXPECT_EQ(f.r10_stride(), 16u);
  EXPECT_EQ(f.array_sectors(), 48u);
  expect_table(f, {{{0, 0}, {1, 2}}, {{1, 0}, {2, 2}}, {{2, 0}, {0, 2}},
                   {{0, 1}, {1, 3}}, {{1, 1}, {2, 3}}, {{2, 1}, {0, 3}}});
  expect_exact_inverse(f);
  EXPECT_EQ(f.r10_array_of(0, 32), kNoSector);
  // Offset: rows take device chunk pairs (0,1) and (2,3); chunk 4 is unused.
  const RaidGeometry o = geo(3, kRaid10LayoutOffset2, 40);
  EXPECT_EQ(o.array_sectors(), 48u);
  expect_table(o, {{{0, 0}, {1, 1}}, {{1, 0}, {2, 1}}, {{2, 0}, {0, 1}},
                   {{0, 2}, {1, 3}}, {{1, 2}, {2, 3}}, {{2, 2}, {0, 3}}});
  expect_exact_inverse(o);
}

TEST(RaidGeometryFar, Far2OnTwoDisksIsAMirrorWithSwappedHalves) {
  const RaidGeometry g = geo(2, kRaid10LayoutFar2, 32);
  EXPECT_EQ(g.array_sectors(), 32u);
  expect_table(g, {{{0, 0}, {1, 2}}, {{1, 0}, {0, 2}}, {{0, 1}, {1, 3}}, {{1, 1}, {0, 3}}});
  expect_exact_inverse(g);
}

TEST(RaidGeometryFar, NearLayoutsUnchanged) {
  const RaidGeometry g = geo(4, kRaid10LayoutNear2, 64);
  EXPECT_EQ(g.far_copies, 1);
  EXPECT_EQ(g.r10_copies(), 2);
  EXPECT_EQ(g.r10_stride(), 0u);
  expect_exact_inverse(g);
}

}  // namespace
}  // namespace mdsim::md
