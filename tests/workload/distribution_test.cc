// Fixed-point math and the random block distributions: accuracy against libm
// (in the test only), skew compared with uniform, bounds, memory, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <vector>

#include "model/workload/distribution.h"

namespace mdsim::workload {
namespace {

TEST(FixedMath, Log2MatchesLibmClosely) {
  EXPECT_EQ(fixed_log2_q32(1), 0u);
  EXPECT_EQ(fixed_log2_q32(2), uint64_t{1} << 32);
  EXPECT_EQ(fixed_log2_q32(1024), uint64_t{10} << 32);
  const std::vector<uint64_t> xs = {3, 5, 1000, 123456789, (1ull << 63) + 12345, UINT64_MAX};
  for (uint64_t x : xs) {
    const double got = static_cast<double>(fixed_log2_q32(x)) / 4294967296.0;
    EXPECT_NEAR(got, std::log2(static_cast<double>(x)), 1e-8) << x;
  }
}

TEST(FixedMath, Exp2NegMatchesLibmClosely) {
  const double one = 4611686018427387904.0;  // 2^62
  EXPECT_EQ(fixed_exp2_neg_q62(0), uint64_t{1} << 62);
  EXPECT_EQ(fixed_exp2_neg_q62(uint64_t{1} << 32), uint64_t{1} << 61);
  EXPECT_EQ(fixed_exp2_neg_q62(uint64_t{70} << 32), 0u);
  for (double y : {0.5, 0.1234, 1.75, 7.2, 20.3333}) {
    const auto y_q32 = static_cast<uint64_t>(y * 4294967296.0);
    const double got = static_cast<double>(fixed_exp2_neg_q62(y_q32)) / one;
    EXPECT_NEAR(got / std::exp2(-y), 1.0, 1e-8) << y;
  }
}

struct Sampled {
  double top100_share;  // fraction of samples on the 100 most-hit blocks
  size_t distinct;
};

Sampled sample(RandomDistribution d, uint64_t blocks, int n, uint64_t seed) {
  sim::Prng prng(seed);
  BlockPicker picker(d, blocks, prng);
  std::map<uint64_t, uint64_t> hits;
  for (int i = 0; i < n; ++i) {
    const uint64_t b = picker.next(prng);
    EXPECT_LT(b, blocks);
    ++hits[b];
  }
  std::vector<uint64_t> counts;
  for (const auto& [b, c] : hits) counts.push_back(c);
  std::sort(counts.begin(), counts.end(), std::greater<>());
  uint64_t top = 0;
  for (size_t i = 0; i < counts.size() && i < 100; ++i) top += counts[i];
  return {static_cast<double>(top) / n, hits.size()};
}

constexpr uint64_t kBlocks = 262'144;  // 1 GiB of 4 KiB blocks
constexpr int kSamples = 100'000;

TEST(BlockPicker, ZipfAndParetoConcentrateOnAHotSetUniformDoesNot) {
  const Sampled uni = sample({DistributionKind::uniform, 0}, kBlocks, kSamples, 7);
  const Sampled zipf = sample({DistributionKind::zipf, 1'200'000}, kBlocks, kSamples, 7);
  const Sampled pareto = sample({DistributionKind::pareto, 200'000}, kBlocks, kSamples, 7);
  // Expected shares: uniform ~0.3%, zipf:1.2 ~64%, pareto:0.2 ~35%.
  EXPECT_LT(uni.top100_share, 0.02);
  EXPECT_GT(zipf.top100_share, 0.45);
  EXPECT_LT(zipf.top100_share, 0.80);
  EXPECT_GT(pareto.top100_share, 0.20);
  EXPECT_GT(uni.distinct, 70'000u);
  EXPECT_LT(zipf.distinct, uni.distinct / 2);
}

TEST(BlockPicker, ZipfSkewGrowsWithTheta) {
  const Sampled mild = sample({DistributionKind::zipf, 500'000}, kBlocks, kSamples, 3);
  const Sampled strong = sample({DistributionKind::zipf, 2'000'000}, kBlocks, kSamples, 3);
  EXPECT_LT(mild.top100_share, strong.top100_share);
  EXPECT_GT(strong.top100_share, 0.9);
}

TEST(BlockPicker, NormalTouchesAFewSigmasOfRanks) {
  // dev 1% of 262144 blocks: sigma ~2621 ranks, so ~6 sigma ~ 16k distinct ranks.
  const Sampled normal = sample({DistributionKind::normal, 1'000'000}, kBlocks, kSamples, 11);
  EXPECT_LT(normal.distinct, 25'000u);
  EXPECT_GT(normal.distinct, 5'000u);
}

TEST(BlockPicker, ZipfTableIsBoundedWhateverTheRegion) {
  sim::Prng prng(1);
  BlockPicker huge({DistributionKind::zipf, 1'100'000}, uint64_t{1} << 40, prng);
  EXPECT_LT(huge.band_count(), 4000u);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(huge.next(prng), uint64_t{1} << 40);
  BlockPicker one({DistributionKind::zipf, 1'100'000}, 1, prng);
  EXPECT_EQ(one.next(prng), 0u);
}

TEST(BlockPicker, SameSeedSameSequence) {
  for (auto kind : {DistributionKind::uniform, DistributionKind::zipf, DistributionKind::pareto,
                    DistributionKind::normal}) {
    const RandomDistribution d{kind, kind == DistributionKind::pareto ? 300'000u : 900'000u};
    sim::Prng a(99), b(99);
    BlockPicker pa(d, 5000, a), pb(d, 5000, b);
    std::vector<uint64_t> sa, sb;
    for (int i = 0; i < 200; ++i) {
      sa.push_back(pa.next(a));
      sb.push_back(pb.next(b));
    }
    EXPECT_EQ(sa, sb) << distribution_name(kind);
  }
}

}  // namespace
}  // namespace mdsim::workload
