// Virtual time: integer nanoseconds in two strong types.
//
// Instant is a point on the simulated clock (0 at simulation start), Duration a
// signed distance between instants. Neither converts implicitly to or from an
// integer, so a latency cannot be passed where a deadline is expected. There is
// no floating point anywhere in simulated time.
#pragma once

#include <compare>
#include <cstdint>

namespace mdsim::sim {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration ns(int64_t v) { return Duration(v); }
  static constexpr Duration us(int64_t v) { return Duration(v * 1'000); }
  static constexpr Duration ms(int64_t v) { return Duration(v * 1'000'000); }
  static constexpr Duration s(int64_t v) { return Duration(v * 1'000'000'000); }
  static constexpr Duration zero() { return Duration(0); }

  constexpr int64_t count_ns() const { return ns_; }
  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }

 private:
  constexpr explicit Duration(int64_t v) : ns_(v) {}
  int64_t ns_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_ns(int64_t v) { return Instant(v); }
  static constexpr Instant zero() { return Instant(0); }
  static constexpr Instant max() { return Instant(INT64_MAX); }

  constexpr int64_t ns() const { return ns_; }
  constexpr auto operator<=>(const Instant&) const = default;
  constexpr Instant operator+(Duration d) const { return Instant(ns_ + d.count_ns()); }
  constexpr Instant operator-(Duration d) const { return Instant(ns_ - d.count_ns()); }
  constexpr Duration operator-(Instant o) const { return Duration::ns(ns_ - o.ns_); }

 private:
  constexpr explicit Instant(int64_t v) : ns_(v) {}
  int64_t ns_ = 0;
};

}  // namespace mdsim::sim
