// Random block choice for random workloads: fio's random_distribution values
// (uniform, zipf:theta, pareto:h, normal:dev) drawn from our Prng with integer
// fixed-point math only, so a seed gives the same blocks on every platform.
//
// Why no libm: std::pow/std::exp may differ in the last bit between libm
// versions, which would change the chosen blocks and so the trace hash. Instead:
//  - fixed_log2_q32(x): log2 of an integer by repeated squaring (Q32 result);
//  - fixed_exp2_neg_q62(y): 2^-y from a constexpr table of 2^(-2^-k), each
//    entry an integer square root of the previous one.
// Both are exact integer algorithms; their error (< 2^-30 relative) only
// shapes the distributions, never determinism.
//
// Distributions (N = blocks in the region, ranks 0..N-1, rank 0 hottest):
//  - zipf:theta  P(rank r) ~ (r+1)^-theta. A CDF over bands of ranks: the
//    first kZipfExactRanks ranks have their own band, later bands grow
//    geometrically by 1/kZipfBandGrowth of their start, so the table has a few
//    thousand entries whatever N (memory bounded); inside a band the rank is
//    uniform (the weight varies by < theta/64 across a band).
//  - pareto:h    rank = (N-1) * u^(log h / log(1-h)), u uniform in (0,1], as fio.
//  - normal:dev  rank = N/2 + z * (dev% of N), z ~ N(0,1) by the Irwin-Hall sum
//    of 12 uniforms, wrapped into [0, N).
// Like fio, non-uniform ranks are scattered over the region by a hash plus a
// per-job random offset (so the hot blocks are not all at the start).
//
// Invariants: next() < blocks(); the band CDF never decreases.
#pragma once

#include <cstdint>
#include <vector>

#include "model/workload/job.h"
#include "sim/prng.h"

namespace mdsim::workload {

inline constexpr uint64_t kZipfExactRanks = 1024;
inline constexpr uint64_t kZipfBandGrowth = 64;

// log2(x) * 2^32. REQUIRES: x >= 1.
uint64_t fixed_log2_q32(uint64_t x);
// 2^(-y / 2^32) * 2^62 (so 1.0 => 2^62).
uint64_t fixed_exp2_neg_q62(uint64_t y_q32);

class BlockPicker {
 public:
  // REQUIRES: blocks >= 1; dist validated (validate_job).
  BlockPicker(RandomDistribution dist, uint64_t blocks, sim::Prng& prng);

  // A block index in [0, blocks()).
  uint64_t next(sim::Prng& prng);
  uint64_t blocks() const { return blocks_; }
  // Number of zipf bands (0 for other distributions): bounded memory.
  size_t band_count() const { return band_start_.size(); }

 private:
  void build_zipf_table();
  uint64_t next_zipf_rank(sim::Prng& prng) const;
  uint64_t next_pareto_rank(sim::Prng& prng) const;
  uint64_t next_normal_rank(sim::Prng& prng) const;
  uint64_t scatter(uint64_t rank) const;

  RandomDistribution dist_;
  uint64_t blocks_;
  uint64_t scatter_offset_ = 0;
  uint64_t pareto_power_q32_ = 0;
  std::vector<uint64_t> band_start_;  // zipf: first rank of each band
  std::vector<uint64_t> band_cdf_;    // zipf: cumulative mass up to band end, < 2^63
};

}  // namespace mdsim::workload
