// BadBlocks::first_overlap (is_badblock's first_bad / bad_sectors), which
// raid1's write split and sync paths rely on.
#include <gtest/gtest.h>

#include "model/md/badblocks.h"

namespace mdsim::md {
namespace {

using disk::Sector;
using disk::SectorCount;

TEST(BadBlocks, FirstOverlapIsTheLowestRangeTouchingTheQuery) {
  BadBlocks bb;
  ASSERT_TRUE(bb.set(Sector(100), SectorCount(4)));
  ASSERT_TRUE(bb.set(Sector(200), SectorCount(8)));
  EXPECT_FALSE(bb.first_overlap(Sector(0), SectorCount(100)).has_value());   // ends where the range starts
  EXPECT_FALSE(bb.first_overlap(Sector(104), SectorCount(96)).has_value());  // the gap between them
  const auto a = bb.first_overlap(Sector(90), SectorCount(200));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->start, Sector(100));
  EXPECT_EQ(a->count, SectorCount(4));
  const auto b = bb.first_overlap(Sector(205), SectorCount(1));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->start, Sector(200));
}

TEST(BadBlocks, FirstOverlapSeesMergedRanges) {
  BadBlocks bb;
  ASSERT_TRUE(bb.set(Sector(10), SectorCount(5)));
  ASSERT_TRUE(bb.set(Sector(15), SectorCount(5)));  // adjacent: merged into [10, 20)
  const auto r = bb.first_overlap(Sector(19), SectorCount(10));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->start, Sector(10));
  EXPECT_EQ(r->count, SectorCount(10));
  bb.clear(Sector(12), SectorCount(8));
  EXPECT_FALSE(bb.first_overlap(Sector(12), SectorCount(100)).has_value());
}

}  // namespace
}  // namespace mdsim::md
