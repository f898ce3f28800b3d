// Disk addresses and sizes as strong types, in 512-byte sectors (the unit of
// the Linux block layer, whatever the device's logical block size).
//
// Sector is an address, SectorCount a length. Address + length = address,
// address - address = length; nothing converts implicitly from a bare integer.
#pragma once

#include <compare>
#include <cstdint>

namespace mdsim::disk {

inline constexpr uint32_t kSectorBytes = 512;
inline constexpr uint32_t kSectorShift = 9;

class SectorCount {
 public:
  constexpr SectorCount() = default;
  constexpr explicit SectorCount(uint64_t n) : n_(n) {}
  static constexpr SectorCount from_bytes(uint64_t bytes) { return SectorCount(bytes >> kSectorShift); }
  constexpr uint64_t value() const { return n_; }
  constexpr uint64_t bytes() const { return n_ << kSectorShift; }
  constexpr auto operator<=>(const SectorCount&) const = default;
  constexpr SectorCount operator+(SectorCount o) const { return SectorCount(n_ + o.n_); }
  constexpr SectorCount operator-(SectorCount o) const { return SectorCount(n_ - o.n_); }
  constexpr SectorCount operator*(uint64_t k) const { return SectorCount(n_ * k); }
  constexpr SectorCount& operator+=(SectorCount o) { n_ += o.n_; return *this; }
  constexpr SectorCount& operator-=(SectorCount o) { n_ -= o.n_; return *this; }

 private:
  uint64_t n_ = 0;
};

class Sector {
 public:
  constexpr Sector() = default;
  constexpr explicit Sector(uint64_t s) : s_(s) {}
  static constexpr Sector max() { return Sector(UINT64_MAX); }
  constexpr uint64_t value() const { return s_; }
  constexpr auto operator<=>(const Sector&) const = default;
  constexpr Sector operator+(SectorCount n) const { return Sector(s_ + n.value()); }
  constexpr Sector operator-(SectorCount n) const { return Sector(s_ - n.value()); }
  constexpr SectorCount operator-(Sector o) const { return SectorCount(s_ - o.s_); }
  constexpr Sector& operator+=(SectorCount n) { s_ += n.value(); return *this; }

 private:
  uint64_t s_ = 0;
};

// A half-open range [start, start + count).
struct SectorRange {
  Sector start;
  SectorCount count;
  constexpr Sector end() const { return start + count; }
  constexpr bool empty() const { return count.value() == 0; }
  constexpr bool overlaps(const SectorRange& o) const {
    return start < o.end() && o.start < end();
  }
  constexpr bool contains(Sector s) const { return start <= s && s < end(); }
  constexpr auto operator<=>(const SectorRange&) const = default;
};

}  // namespace mdsim::disk
