// Deterministic pseudo-random numbers: our own generator, no std distributions.
//
// xoshiro256** seeded through splitmix64. One root seed per run; every component
// derives its own independent stream with derive(name) (or derive(id)), so adding
// a consumer of randomness in one component never shifts another's sequence.
// Probabilities are integer ratios (numerator/denominator), never doubles.
//
// Invariants: the same seed gives the same sequence on every platform and
// compiler (only fixed-width integer arithmetic is used).
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/assert.h"

namespace mdsim::sim {

// A probability as an exact integer fraction. REQUIRES: 0 <= num <= den, den > 0.
struct Ratio {
  uint64_t num = 0;
  uint64_t den = 1;
  static constexpr Ratio never() { return {0, 1}; }
  static constexpr Ratio always() { return {1, 1}; }
  static constexpr Ratio percent(uint64_t p) { return {p, 100}; }
};

constexpr uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Stateless 64-bit mixer (the splitmix64 finaliser), used for hashing.
constexpr uint64_t mix64(uint64_t x) {
  uint64_t s = x;
  return splitmix64(s);
}

// FNV-1a over a string, for stream names.
constexpr uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

class Prng {
 public:
  explicit Prng(uint64_t seed) : seed_(seed) {
    uint64_t sm = seed;
    for (auto& w : s_) w = splitmix64(sm);
  }

  uint64_t seed() const { return seed_; }

  // An independent stream for a named component: depends only on (seed, name).
  Prng derive(std::string_view name) const { return derive(fnv1a(name)); }
  Prng derive(uint64_t stream_id) const {
    return Prng(mix64(seed_ ^ mix64(stream_id + 0x632BE59BD9B4E019ull)));
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, bound). REQUIRES: bound > 0. Unbiased (Lemire's method).
  uint64_t below(uint64_t bound) {
    SIM_ASSERT(bound > 0);
    unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * bound;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < bound) {
      const uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next_u64()) * bound;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  uint64_t between(uint64_t lo, uint64_t hi) {
    SIM_ASSERT(lo <= hi);
    if (hi - lo == UINT64_MAX) return next_u64();
    return lo + below(hi - lo + 1);
  }

  // True with probability r. REQUIRES: r.den > 0 and r.num <= r.den.
  bool chance(Ratio r) {
    SIM_ASSERT(r.den > 0);
    SIM_ASSERT(r.num <= r.den);
    if (r.num == 0) return false;
    if (r.num == r.den) return true;
    return below(r.den) < r.num;
  }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t seed_;
  uint64_t s_[4];
};

}  // namespace mdsim::sim
