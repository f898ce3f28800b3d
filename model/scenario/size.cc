#include "model/scenario/size.h"

#include <array>
#include <utility>

namespace mdsim::scenario {

namespace {
struct Unit {
  std::string_view name;
  int shift;
};
constexpr std::array<Unit, 6> kUnits{{{"B", 0}, {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}, {"PiB", 50}}};
constexpr std::array<std::string_view, 8> kDecimal{"K", "KB", "kB", "k", "M", "MB", "G", "GB"};
}  // namespace

SizeParse parse_iec_size(std::string_view text) {
  SizeParse r;
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    const uint64_t d = static_cast<uint64_t>(text[i] - '0');
    if (n > (UINT64_MAX - d) / 10) {
      r.error = "a size that fits in 64 bits";
      return r;
    }
    n = n * 10 + d;
    ++i;
  }
  if (i == 0) {
    r.error = "a size such as 4096, \"64KiB\" or \"1GiB\"";
    return r;
  }
  std::string_view unit = text.substr(i);
  if (unit.empty()) unit = "B";
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (u.shift > 0 && n > (UINT64_MAX >> u.shift)) {
      r.error = "a size that fits in 64 bits";
      return r;
    }
    r.ok = true;
    r.bytes = n << u.shift;
    return r;
  }
  for (std::string_view d : kDecimal) {
    if (unit == d) {
      r.error = "an IEC unit (B, KiB, MiB, GiB, TiB; e.g. \"64KiB\")";
      return r;
    }
  }
  r.error = "a size such as 4096, \"64KiB\" or \"1GiB\" (units B, KiB, MiB, GiB, TiB)";
  return r;
}

std::string format_iec(uint64_t bytes) {
  for (size_t k = kUnits.size(); k-- > 1;) {
    const int sh = kUnits[k].shift;
    if (bytes != 0 && (bytes & ((1ull << sh) - 1)) == 0) return std::to_string(bytes >> sh) + std::string(kUnits[k].name);
  }
  return std::to_string(bytes) + "B";
}

}  // namespace mdsim::scenario
