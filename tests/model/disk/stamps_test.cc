#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "model/disk/io.h"

namespace mdsim::disk {
namespace {

std::vector<uint64_t> seq(size_t n, uint64_t base) {
  std::vector<uint64_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = base + i;
  return v;
}

std::vector<uint64_t> as_vec(const Stamps& s) { return s; }

TEST(Stamps, ResizeAcrossTheInlineLimitKeepsWordsAndZeroFills) {
  Stamps s;
  for (uint64_t i = 0; i < 5; ++i) s.push_back(10 + i);
  s.resize(12);  // inline -> heap
  ASSERT_EQ(s.size(), 12u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(s[i], 10 + i);
  for (size_t i = 5; i < 12; ++i) EXPECT_EQ(s[i], 0u);
  s[3] = 99;
  s.resize(4);  // heap -> inline
  EXPECT_EQ(as_vec(s), (std::vector<uint64_t>{10, 11, 12, 99}));
  s.resize(6);
  EXPECT_EQ(as_vec(s), (std::vector<uint64_t>{10, 11, 12, 99, 0, 0}));
}

TEST(Stamps, AssignFromVectorsOfEverySize) {
  for (size_t n : {0u, 1u, 8u, 9u, 64u}) {
    Stamps s;
    s = seq(n, 100);
    EXPECT_EQ(as_vec(s), seq(n, 100)) << n;
    EXPECT_EQ(s.empty(), n == 0);
    s.assign(n, 7);
    EXPECT_EQ(as_vec(s), std::vector<uint64_t>(n, 7)) << n;
  }
}

TEST(Stamps, CopyAndMoveInlineAndHeap) {
  for (size_t n : {3u, 8u, 20u}) {
    Stamps a = seq(n, 1);
    Stamps b = a;
    EXPECT_EQ(as_vec(b), seq(n, 1));
    Stamps c = std::move(a);
    EXPECT_EQ(as_vec(c), seq(n, 1));
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): specified
    Stamps d = seq(2, 50);
    d = std::move(c);
    EXPECT_EQ(as_vec(d), seq(n, 1));
    d = b;
    EXPECT_EQ(as_vec(d), seq(n, 1));
  }
}

TEST(Stamps, PushBackGrowsPastInline) {
  Stamps s;
  for (uint64_t i = 0; i < 30; ++i) s.push_back(i * 3);
  std::vector<uint64_t> want;
  for (uint64_t i = 0; i < 30; ++i) want.push_back(i * 3);
  EXPECT_EQ(as_vec(s), want);
  uint64_t sum = 0;
  for (uint64_t v : s) sum += v;
  EXPECT_EQ(sum, 3u * 29u * 30u / 2u);
}

}  // namespace
}  // namespace mdsim::disk
