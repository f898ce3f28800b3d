// Sizes in scenario files: an integer number of bytes, or a string with an IEC
// unit: "512", "512B", "64KiB", "1MiB", "1GiB", "2TiB" (case of the unit is
// significant; decimal units such as "KB" are refused with a hint to use KiB).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mdsim::scenario {

struct SizeParse {
  bool ok = false;
  uint64_t bytes = 0;
  std::string error;  // what was wrong, when !ok
};

SizeParse parse_iec_size(std::string_view text);

// The shortest exact IEC spelling: 65536 -> "64KiB", 1000 -> "1000B".
std::string format_iec(uint64_t bytes);

}  // namespace mdsim::scenario
