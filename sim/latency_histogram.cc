#include "sim/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "sim/assert.h"

namespace mdsim::sim {

namespace {
constexpr uint64_t kLinearLimit = 2 * LatencyHistogram::kSubBuckets;  // 256
constexpr int kSubBits = 7;
static_assert(uint64_t{1} << kSubBits == LatencyHistogram::kSubBuckets);
}  // namespace

size_t LatencyHistogram::bucket_of(uint64_t v) {
  if (v < kLinearLimit) return static_cast<size_t>(v);
  const int shift = std::bit_width(v) - (kSubBits + 1);  // >= 1
  const uint64_t mantissa = v >> shift;                  // in [128, 256)
  const size_t index = kLinearLimit + static_cast<size_t>(shift - 1) * kSubBuckets +
                       static_cast<size_t>(mantissa - kSubBuckets);
  SIM_ASSERT(index < kBucketCountMax);
  return index;
}

uint64_t LatencyHistogram::bucket_low(size_t index) {
  if (index < kLinearLimit) return index;
  const size_t rel = index - kLinearLimit;
  const int shift = static_cast<int>(rel / kSubBuckets) + 1;
  return (kSubBuckets + rel % kSubBuckets) << shift;
}

uint64_t LatencyHistogram::bucket_width(size_t index) {
  if (index < kLinearLimit) return 1;
  return uint64_t{1} << ((index - kLinearLimit) / kSubBuckets + 1);
}

void LatencyHistogram::record(sim::Duration latency) {
  SIM_ASSERT(latency >= sim::Duration::zero());
  record_ns(static_cast<uint64_t>(latency.count_ns()));
}

void LatencyHistogram::record_ns(uint64_t v) {
  const size_t index = bucket_of(v);
  if (index >= counts_.size()) counts_.resize(index + 1, 0);
  ++counts_[index];
  ++count_;
  sum_ns_ += v;
  min_ns_ = std::min(min_ns_, v);
  max_ns_ = std::max(max_ns_, v);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ns_ += other.sum_ns_;
  min_ns_ = std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
}

uint64_t LatencyHistogram::percentile_ns(double p) const {
  SIM_ASSERT(p >= 0.0 && p <= 100.0);
  return percentile_ppm_ns(static_cast<uint64_t>(std::llround(p * 10'000.0)));
}

uint64_t LatencyHistogram::percentile_ppm_ns(uint64_t ppm) const {
  SIM_ASSERT(ppm <= 1'000'000);
  if (count_ == 0) return 0;
  // Nearest rank: ceil(ppm * count / 1e6), at least 1.
  const unsigned __int128 scaled = static_cast<unsigned __int128>(ppm) * count_;
  uint64_t rank = static_cast<uint64_t>((scaled + 999'999) / 1'000'000);
  rank = std::max<uint64_t>(rank, 1);
  if (rank == count_) return max_ns_;  // the largest value is known exactly
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const uint64_t mid = bucket_low(i) + (bucket_width(i) - 1) / 2;
      return std::clamp(mid, min_ns_, max_ns_);
    }
  }
  SIM_ASSERT(false);  // seen == count_ >= rank by the end
  return max_ns_;
}

namespace {
// Fraction levels of cdf(), in parts per million (see the header).
std::vector<uint64_t> cdf_levels_ppm() {
  std::vector<uint64_t> v;
  for (uint64_t pct = 1; pct <= 99; ++pct) v.push_back(pct * 10'000);
  for (uint64_t ppm : {995'000, 999'000, 999'500, 999'900, 999'990, 1'000'000}) v.push_back(ppm);
  return v;
}
}  // namespace

std::vector<LatencyHistogram::CdfPoint> LatencyHistogram::cdf() const {
  std::vector<CdfPoint> out;
  if (count_ == 0) return out;
  const std::vector<uint64_t> levels = cdf_levels_ppm();
  size_t next = 0;  // first level not yet reached
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    seen += counts_[i];
    // seen / count_ >= level  <=>  seen * 1e6 >= level * count_ (exact integers)
    const auto reached = [&](uint64_t ppm) {
      return static_cast<unsigned __int128>(seen) * 1'000'000 >= static_cast<unsigned __int128>(ppm) * count_;
    };
    if (!out.empty() && !reached(levels[next])) continue;
    while (next < levels.size() && reached(levels[next])) ++next;
    const uint64_t top = std::min(bucket_low(i) + (bucket_width(i) - 1), max_ns_);
    out.push_back({top, static_cast<double>(seen) / static_cast<double>(count_)});
    if (seen == count_) break;
  }
  SIM_ASSERT(out.size() <= kCdfPointsMax && out.back().fraction == 1.0);
  return out;
}

}  // namespace mdsim::sim
