// Latency histogram: percentile error bound against exact nearest-rank
// percentiles on random data, merge, bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/latency_histogram.h"
#include "sim/prng.h"

namespace mdsim::sim {
namespace {

uint64_t exact_percentile(std::vector<uint64_t> v, uint64_t ppm) {
  std::sort(v.begin(), v.end());
  uint64_t rank = (ppm * v.size() + 999'999) / 1'000'000;
  rank = std::max<uint64_t>(rank, 1);
  return v[rank - 1];
}

TEST(LatencyHistogram, EmptyReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile_ns(99.0), 0u);
  EXPECT_EQ(h.buckets_allocated(), 0u);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 200; ++v) h.record_ns(v);
  EXPECT_EQ(h.percentile_ns(50.0), 100u);
  EXPECT_EQ(h.percentile_ns(100.0), 200u);
  EXPECT_EQ(h.min_ns(), 1u);
  EXPECT_EQ(h.mean_ns(), 100u);
}

TEST(LatencyHistogram, PercentilesWithinRelativeErrorBound) {
  sim::Prng prng(2024);
  for (int trial = 0; trial < 5; ++trial) {
    LatencyHistogram h;
    std::vector<uint64_t> values;
    for (int i = 0; i < 20'000; ++i) {
      // Log-uniform-ish spread from 1 us to ~10 s, plus a heavy tail.
      const uint64_t scale = uint64_t{1000} << prng.below(24);
      const uint64_t v = scale + prng.below(scale);
      values.push_back(v);
      h.record_ns(v);
    }
    for (uint64_t ppm : {500'000ull, 900'000ull, 990'000ull, 999'000ull, 1'000'000ull}) {
      const double exact = static_cast<double>(exact_percentile(values, ppm));
      const double got = static_cast<double>(h.percentile_ppm_ns(ppm));
      EXPECT_LE(std::abs(got - exact) / exact, 1.0 / LatencyHistogram::kErrorDenominator)
          << "ppm " << ppm << " exact " << exact << " got " << got;
    }
  }
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  sim::Prng prng(5);
  LatencyHistogram a, b, all;
  for (int i = 0; i < 5000; ++i) {
    const uint64_t v = 1 + prng.below(5'000'000);
    (i % 3 ? a : b).record_ns(v);
    all.record_ns(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double p : {50.0, 90.0, 99.0, 99.9}) EXPECT_EQ(a.percentile_ns(p), all.percentile_ns(p));
  EXPECT_EQ(a.max_ns(), all.max_ns());
  EXPECT_EQ(a.mean_ns(), all.mean_ns());
}

TEST(LatencyHistogram, MemoryIsBoundedForHugeValues) {
  LatencyHistogram h;
  h.record_ns(UINT64_MAX);
  h.record_ns(uint64_t{1} << 62);
  EXPECT_LE(h.buckets_allocated(), LatencyHistogram::kBucketCountMax);
  EXPECT_EQ(h.percentile_ns(100.0), UINT64_MAX);
  for (uint64_t v = 1; v < (uint64_t{1} << 62); v = v * 3 + 1) {
    const size_t i = LatencyHistogram::bucket_of(v);
    EXPECT_LE(LatencyHistogram::bucket_low(i), v);
    EXPECT_GT(LatencyHistogram::bucket_low(i) + LatencyHistogram::bucket_width(i), v);
  }
}

TEST(LatencyHistogram, CdfIsBoundedMonotoneAndExactAtItsPoints) {
  EXPECT_TRUE(LatencyHistogram().cdf().empty());
  sim::Prng prng(77);
  LatencyHistogram h;
  std::vector<uint64_t> values;
  for (int i = 0; i < 50'000; ++i) {
    const uint64_t scale = uint64_t{1000} << prng.below(20);
    values.push_back(scale + prng.below(scale));
    h.record_ns(values.back());
  }
  std::sort(values.begin(), values.end());
  const auto cdf = h.cdf();
  ASSERT_GE(cdf.size(), 100u);
  EXPECT_LE(cdf.size(), LatencyHistogram::kCdfPointsMax);
  EXPECT_EQ(cdf.back().latency_ns, values.back());
  EXPECT_EQ(cdf.back().fraction, 1.0);
  for (size_t i = 0; i < cdf.size(); ++i) {
    if (i > 0) {
      EXPECT_GT(cdf[i].latency_ns, cdf[i - 1].latency_ns);
      EXPECT_GT(cdf[i].fraction, cdf[i - 1].fraction);
    }
    // The fraction is exact: the share of values <= the point's latency.
    const auto le = std::upper_bound(values.begin(), values.end(), cdf[i].latency_ns) - values.begin();
    EXPECT_DOUBLE_EQ(cdf[i].fraction, static_cast<double>(le) / static_cast<double>(values.size())) << i;
  }
  // The tail is sampled: a point at or above 0.999 other than the maximum.
  EXPECT_GE(cdf[cdf.size() - 2].fraction, 0.999);
}

TEST(LatencyHistogram, CdfOfOneValueIsOnePoint) {
  LatencyHistogram h;
  for (int i = 0; i < 10; ++i) h.record_ns(123'456);
  const auto cdf = h.cdf();
  ASSERT_EQ(cdf.size(), 1u);
  EXPECT_EQ(cdf[0].latency_ns, 123'456u);
  EXPECT_EQ(cdf[0].fraction, 1.0);
}

}  // namespace
}  // namespace mdsim::sim
