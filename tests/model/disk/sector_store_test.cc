#include "model/disk/sector_store.h"

#include <gtest/gtest.h>

#include <map>

#include "model/disk/io.h"

namespace mdsim::disk {
namespace {

constexpr SectorCount k16TiB(1ull << 35);

TEST(DiskImage, UnwrittenSectorsReadZeroAndCostNothing) {
  DiskImage img(k16TiB);
  EXPECT_EQ(img.word(Sector(0)), 0u);
  EXPECT_EQ(img.word(Sector((1ull << 35) - 1)), 0u);
  EXPECT_EQ(img.touched_page_count(), 0u);
  EXPECT_EQ(img.bytes(Sector(7)), nullptr);
}

TEST(DiskImage, MemoryGrowsWithPagesTouchedNotCapacity) {
  DiskImage img(k16TiB);
  img.set(Sector(5), 1, nullptr);
  img.set(Sector(63), 2, nullptr);          // same page
  img.set(Sector(1ull << 34), 3, nullptr);  // far away
  EXPECT_EQ(img.touched_page_count(), 2u);
  std::vector<uint64_t> pages;
  img.touched_pages(pages);
  EXPECT_EQ(pages, (std::vector<uint64_t>{0, (1ull << 34) >> kPageShift}));
}

TEST(DiskImage, PrefetchIsOnlyAHint) {
  DiskImage img(k16TiB);
  img.prefetch(Sector(9));  // empty tree: nothing to load, nothing created
  img.prefetch(Sector(9), false);
  EXPECT_EQ(img.touched_page_count(), 0u);
  img.set(Sector(9), 4, nullptr);
  const DiskImage copy = img;
  img.prefetch(Sector(9));
  img.prefetch(Sector(1ull << 34), false);  // absent page under a present root
  img.prefetch(Sector(1ull << 34));
  EXPECT_TRUE(img.same_tree(copy));  // no path copy, no new page
  EXPECT_EQ(img.touched_page_count(), 1u);
  EXPECT_EQ(img.word(Sector(9)), 4u);
}

TEST(DiskImage, WordsReadsAcrossPages) {
  DiskImage img(SectorCount(1 << 12));
  for (uint64_t s = 60; s < 200; s += 7) img.set(Sector(s), s, nullptr);
  std::vector<uint64_t> out(150);
  img.words(Sector(58), out.size(), out.data());
  for (uint64_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], img.word(Sector(58 + i)));
  EXPECT_EQ(out[2], 60u);
}

TEST(DiskImage, CopyIsIndependentAfterMutation) {
  DiskImage a(SectorCount(1 << 20));
  a.set(Sector(10), 1, nullptr);
  DiskImage b = a;
  EXPECT_TRUE(a.same_tree(b));
  b.set(Sector(10), 2, nullptr);
  b.set(Sector(5000), 3, nullptr);
  EXPECT_FALSE(a.same_tree(b));
  EXPECT_EQ(a.word(Sector(10)), 1u);
  EXPECT_EQ(a.word(Sector(5000)), 0u);
  EXPECT_EQ(b.word(Sector(10)), 2u);
  a.set(Sector(11), 4, nullptr);
  EXPECT_EQ(b.word(Sector(11)), 0u);
}

TEST(DiskImage, DifferingPagesSkipsSharedLeaves) {
  DiskImage a(SectorCount(1 << 24));
  for (uint64_t s = 0; s < (1 << 24); s += 4096) a.set(Sector(s), s + 1, nullptr);
  DiskImage b = a;
  b.set(Sector(4096 * 7 + 3), 99, nullptr);
  std::vector<uint64_t> pages;
  a.differing_pages(b, pages);
  EXPECT_EQ(pages, (std::vector<uint64_t>{(4096 * 7) >> kPageShift}));
  std::vector<std::pair<uint64_t, uint64_t>> diffs;
  for_each_difference(a, b, [&](Sector s, uint64_t wa, uint64_t wb) {
    diffs.push_back({s.value(), wb});
    EXPECT_EQ(wa, 0u);
  });
  EXPECT_EQ(diffs, (std::vector<std::pair<uint64_t, uint64_t>>{{4096 * 7 + 3, 99}}));
}

TEST(DiskImage, BytesRoundTripAndStampsRender) {
  DiskImage img(SectorCount(64));
  auto sb = std::make_shared<SectorBytes>();
  sb->b[0] = 1;
  sb->b[100] = 7;
  const uint64_t w = content_word_of_bytes(sb->b.data());
  img.set(Sector(3), w, sb);
  img.set(Sector(4), 0x0102030405060708ull, nullptr);
  uint8_t out[512];
  img.render(Sector(3), out);
  EXPECT_EQ(out[100], 7);
  EXPECT_EQ(img.word(Sector(3)), w);
  img.render(Sector(4), out);
  EXPECT_EQ(out[0], 0x08);
  EXPECT_EQ(out[7], 0x01);
  EXPECT_EQ(out[8], 0x08);
  img.set(Sector(3), 5, nullptr);  // a stamp replaces the bytes
  EXPECT_EQ(img.bytes(Sector(3)), nullptr);
}

TEST(DiskImage, ForEachTouchedSectorVisitsUnionInOrder) {
  DiskImage a(SectorCount(1 << 16)), b(SectorCount(1 << 16));
  a.set(Sector(1), 1, nullptr);
  b.set(Sector(1000), 2, nullptr);
  std::map<uint64_t, std::pair<uint64_t, uint64_t>> seen;
  uint64_t prev = 0, visits = 0;
  for_each_touched_sector({&a, &b}, [&](Sector s, const uint64_t* w) {
    if (visits++ > 0) {
      EXPECT_GT(s.value(), prev);
    }
    prev = s.value();
    if (w[0] || w[1]) seen[s.value()] = {w[0], w[1]};
  });
  EXPECT_EQ(visits, 2 * kPageSectors);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1], (std::pair<uint64_t, uint64_t>{1, 0}));
  EXPECT_EQ(seen[1000], (std::pair<uint64_t, uint64_t>{0, 2}));
}

}  // namespace
}  // namespace mdsim::disk
