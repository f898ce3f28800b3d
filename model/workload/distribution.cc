#include "model/workload/distribution.h"

#include <algorithm>
#include <array>
#include <bit>

#include "sim/assert.h"

namespace mdsim::workload {
namespace {

using u128 = unsigned __int128;
using i128 = __int128;

constexpr uint64_t kOneQ62 = uint64_t{1} << 62;

constexpr u128 isqrt128(u128 n) {
  u128 result = 0;
  u128 bit = u128{1} << 126;
  while (bit > n) bit >>= 2;
  while (bit != 0) {
    if (n >= result + bit) {
      n -= result + bit;
      result = (result >> 1) + bit;
    } else {
      result >>= 1;
    }
    bit >>= 2;
  }
  return result;
}

// kExp2Frac[k] = 2^(-2^-(k+1)) in Q62: sqrt(1/2), its square root, and so on.
constexpr std::array<uint64_t, 32> make_exp2_frac_table() {
  std::array<uint64_t, 32> t{};
  u128 c = isqrt128(u128{1} << 123);  // sqrt(0.5) * 2^62
  for (size_t k = 0; k < t.size(); ++k) {
    t[k] = static_cast<uint64_t>(c);
    c = isqrt128(c << 62);
  }
  return t;
}
constexpr std::array<uint64_t, 32> kExp2Frac = make_exp2_frac_table();
static_assert(kExp2Frac[0] > kOneQ62 / 10 * 7 && kExp2Frac[0] < kOneQ62 / 10 * 8,
              "2^-0.5 is about 0.707");
static_assert(kExp2Frac[31] < kOneQ62, "every factor is below 1");


}  // namespace

uint64_t fixed_log2_q32(uint64_t x) {
  SIM_ASSERT(x >= 1);
  const int k = 63 - std::countl_zero(x);
  u128 m = k <= 62 ? u128{x} << (62 - k) : u128{x >> 1};  // mantissa in [1, 2), Q62
  uint64_t frac = 0;
  for (int i = 0; i < 32; ++i) {
    m = (m * m) >> 62;  // squaring doubles the log: the next fraction bit is its integer part
    if (m >= (u128{1} << 63)) {
      m >>= 1;
      frac |= uint64_t{1} << (31 - i);
    }
  }
  return (static_cast<uint64_t>(k) << 32) | frac;
}

uint64_t fixed_exp2_neg_q62(uint64_t y_q32) {
  const uint64_t whole = y_q32 >> 32;
  if (whole >= 62) return 0;
  u128 r = kOneQ62;
  for (int k = 0; k < 32; ++k) {
    if (y_q32 & (uint64_t{1} << (31 - k))) r = (r * kExp2Frac[static_cast<size_t>(k)]) >> 62;
  }
  return static_cast<uint64_t>(r >> whole);
}

BlockPicker::BlockPicker(RandomDistribution dist, uint64_t blocks, sim::Prng& prng)
    : dist_(dist), blocks_(blocks) {
  SIM_ASSERT(blocks_ >= 1);
  scatter_offset_ = prng.next_u64();
  if (dist_.kind == DistributionKind::zipf) build_zipf_table();
  if (dist_.kind == DistributionKind::pareto) {
    SIM_ASSERT(dist_.param_micro > 0 && dist_.param_micro < kMicroUnit);
    const uint64_t l_one = fixed_log2_q32(kMicroUnit);
    const uint64_t a = l_one - fixed_log2_q32(dist_.param_micro);               // -log2 h
    const uint64_t b = l_one - fixed_log2_q32(kMicroUnit - dist_.param_micro);  // -log2 (1-h)
    SIM_ASSERT(b > 0);
    pareto_power_q32_ = static_cast<uint64_t>((u128{a} << 32) / b);
  }
}

void BlockPicker::build_zipf_table() {
  SIM_ASSERT(dist_.param_micro > 0);
  const u128 theta_q32 = (u128{dist_.param_micro} << 32) / kMicroUnit;
  std::vector<u128> cdf_raw;
  u128 mass = 0;
  for (uint64_t start = 0; start < blocks_;) {
    uint64_t width = start < kZipfExactRanks ? 1 : start / kZipfBandGrowth;
    width = std::min(std::max<uint64_t>(width, 1), blocks_ - start);
    const uint64_t mid_rank = start + width / 2 + 1;  // 1-based rank for the weight
    const u128 y = (theta_q32 * fixed_log2_q32(mid_rank)) >> 32;
    const uint64_t weight =
        y >= (u128{62} << 32) ? 0 : fixed_exp2_neg_q62(static_cast<uint64_t>(y));
    mass += u128{weight} * width;
    band_start_.push_back(start);
    cdf_raw.push_back(mass);
    start += width;
  }
  SIM_ASSERT(mass > 0);
  int shift = 0;
  while ((mass >> shift) >= (u128{1} << 63)) ++shift;
  band_cdf_.reserve(cdf_raw.size());
  for (u128 c : cdf_raw) band_cdf_.push_back(static_cast<uint64_t>(c >> shift));
  SIM_ASSERT(band_cdf_.back() > 0);
}

uint64_t BlockPicker::next_zipf_rank(sim::Prng& prng) const {
  const uint64_t u = prng.below(band_cdf_.back());
  const auto it = std::upper_bound(band_cdf_.begin(), band_cdf_.end(), u);
  SIM_ASSERT(it != band_cdf_.end());
  const size_t band = static_cast<size_t>(it - band_cdf_.begin());
  const uint64_t start = band_start_[band];
  const uint64_t end = band + 1 < band_start_.size() ? band_start_[band + 1] : blocks_;
  return start + prng.below(end - start);
}

uint64_t BlockPicker::next_pareto_rank(sim::Prng& prng) const {
  const uint64_t r = prng.next_u64() | 1;  // u = r / 2^64 in (0, 1)
  const uint64_t neg_log2_u = (uint64_t{64} << 32) - fixed_log2_q32(r);
  const u128 y = (u128{pareto_power_q32_} * neg_log2_u) >> 32;
  if (y >= (u128{62} << 32)) return 0;
  const uint64_t frac_q62 = fixed_exp2_neg_q62(static_cast<uint64_t>(y));
  return static_cast<uint64_t>((u128{blocks_ - 1} * frac_q62) >> 62);
}

uint64_t BlockPicker::next_normal_rank(sim::Prng& prng) const {
  // Irwin-Hall: the sum of 12 uniforms on [0,1) minus 6 has mean 0, variance 1.
  int64_t z_q32 = -(int64_t{6} << 32);
  for (int i = 0; i < 12; ++i) z_q32 += static_cast<int64_t>(prng.next_u64() >> 32);
  const u128 sigma = u128{blocks_} * dist_.param_micro / (100 * kMicroUnit);
  const i128 offset = (i128{z_q32} * static_cast<i128>(sigma)) >> 32;
  const i128 n = static_cast<i128>(blocks_);
  i128 rank = (n / 2 + offset) % n;
  if (rank < 0) rank += n;
  return static_cast<uint64_t>(rank);
}

uint64_t BlockPicker::scatter(uint64_t rank) const {
  return (sim::mix64(rank) + scatter_offset_) % blocks_;
}

uint64_t BlockPicker::next(sim::Prng& prng) {
  uint64_t block = 0;
  switch (dist_.kind) {
    case DistributionKind::uniform: block = prng.below(blocks_); break;
    case DistributionKind::zipf: block = scatter(next_zipf_rank(prng)); break;
    case DistributionKind::pareto: block = scatter(next_pareto_rank(prng)); break;
    case DistributionKind::normal: block = scatter(next_normal_rank(prng)); break;
  }
  SIM_ASSERT(block < blocks_);
  return block;
}

}  // namespace mdsim::workload
