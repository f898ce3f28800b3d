// Parsing of fio-style values: sizes with unit suffixes, times with unit
// suffixes, booleans, and plain integers. Pure functions; errors are returned
// as messages (the caller adds the file, line or JSON key).
//
// Sizes (fio's kb_base=1024 "compatibility mode", fio's default): a bare number
// is bytes; k/K/kb/KB = 1024, m/mb = 1024^2, g, t, p likewise. In fio's default
// mode the IEC spellings mean powers of 10 (KiB = 1000) for compatibility with
// old job files; SizeUnits::fio keeps that so a job behaves as it does under
// fio. SizeUnits::iec (scenario JSON, Python) reads KiB/MiB/... as 1024-based,
// bare k/m/g as 1024-based too, and kB/MB/GB as 1000-based.
//
// Times: a bare number is in the key's default unit (fio: seconds for runtime
// and startdelay, microseconds for thinktime); suffixes ns, us/usec, ms/msec,
// s/sec, m/min, h, d. Only integers are accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/time.h"

namespace mdsim::workload {

// Bad workload input (job file, JSON, key values). The CLI maps it to exit code 2.
class WorkloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class SizeUnits : uint8_t { fio, iec };

// A parse result: either a value or an error message.
template <class T>
struct Parsed {
  std::optional<T> value;
  std::string error;
  bool ok() const { return value.has_value(); }
};

Parsed<uint64_t> parse_size_bytes(std::string_view text, SizeUnits units);
Parsed<uint64_t> parse_uint(std::string_view text);
// REQUIRES: default_unit is one of Duration::ns(1), us(1), ms(1), s(1).
Parsed<sim::Duration> parse_duration(std::string_view text, sim::Duration default_unit);
// fio booleans: 1/0, true/false, yes/no, on/off (an empty value means true).
Parsed<bool> parse_bool(std::string_view text);

std::string_view trim(std::string_view s);

}  // namespace mdsim::workload
