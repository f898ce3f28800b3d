// Latency histogram with bounded relative error and bounded memory.
//
// Log-linear buckets (as HdrHistogram): values below 2 * kSubBuckets ns have
// their own bucket; above, each power-of-two octave is split into kSubBuckets
// equal buckets. A percentile is reported as the middle of its bucket, clamped
// to the observed [min, max], so its relative error is at most
// 1 / (2 * kSubBuckets) = 0.39%. Counters grow only up to the largest bucket
// used (at most kBucketCountMax counters, 58 KiB).
//
// Percentiles use the nearest-rank definition: percentile(p) is the smallest
// recorded value v such that at least ceil(p% of count) values are <= v.
//
// Invariants: count() == sum of bucket counters; min_ns() <= max_ns() when
// count() > 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/time.h"

namespace mdsim::sim {

class LatencyHistogram {
 public:
  static constexpr uint64_t kSubBuckets = 128;
  static constexpr uint64_t kBucketCountMax = 2 * kSubBuckets + 56 * kSubBuckets;
  // Relative error bound of percentile() against the exact nearest-rank value.
  static constexpr uint64_t kErrorDenominator = 2 * kSubBuckets;  // error <= 1/256

  // REQUIRES: latency >= 0.
  void record(sim::Duration latency);
  void record_ns(uint64_t latency_ns);
  // Adds every value of `other` (histograms are all alike, so merging is exact).
  void merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t min_ns() const { return count_ ? min_ns_ : 0; }
  uint64_t max_ns() const { return max_ns_; }
  uint64_t mean_ns() const { return count_ ? static_cast<uint64_t>(sum_ns_ / count_) : 0; }
  // REQUIRES: 0 <= p <= 100. Returns 0 when empty.
  uint64_t percentile_ns(double p) const;
  // Same with p in parts per million (p99.9 => 999'000). REQUIRES: ppm <= 1'000'000.
  uint64_t percentile_ppm_ns(uint64_t ppm) const;
  size_t buckets_allocated() const { return counts_.size(); }

  // One point of the cumulative distribution: `fraction` of the recorded
  // values are <= `latency_ns` (exact: latency_ns is the top of a bucket,
  // clamped to max_ns(), so it is within 1/256 of a recorded value).
  struct CdfPoint {
    uint64_t latency_ns = 0;
    double fraction = 0;
  };
  // The CDF sampled where it crosses the fractions 0.01, 0.02, ..., 0.99,
  // 0.995, 0.999, 0.9995, 0.9999, 0.99999 and 1 (a denser tail, where the
  // backends differ), plus the first bucket: at most kCdfPointsMax points,
  // latency and fraction strictly increasing. Empty when count() == 0.
  static constexpr size_t kCdfPointsMax = 106;
  std::vector<CdfPoint> cdf() const;

  static size_t bucket_of(uint64_t v);
  static uint64_t bucket_low(size_t index);
  static uint64_t bucket_width(size_t index);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  unsigned __int128 sum_ns_ = 0;
  uint64_t min_ns_ = UINT64_MAX;
  uint64_t max_ns_ = 0;
};

}  // namespace mdsim::sim
