#include "model/workload/units.h"

#include <array>
#include <cctype>
#include <string>

namespace mdsim::workload {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits "123abc" into 123 and "abc". Fails on no digits or overflow.
bool split_number(std::string_view text, uint64_t& number, std::string_view& suffix) {
  size_t i = 0;
  number = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (number > (UINT64_MAX - digit) / 10) return false;
    number = number * 10 + digit;
    ++i;
  }
  suffix = trim(text.substr(i));
  return i > 0;
}

bool checked_mul(uint64_t a, uint64_t b, uint64_t& out) {
  if (a != 0 && b > UINT64_MAX / a) return false;
  out = a * b;
  return true;
}

// Multiplier of a size suffix, 0 if unknown.
uint64_t size_multiplier(const std::string& s, SizeUnits units) {
  static constexpr std::array<char, 5> kPrefixes = {'k', 'm', 'g', 't', 'p'};
  if (s.empty() || s == "b") return 1;
  for (size_t i = 0; i < kPrefixes.size(); ++i) {
    uint64_t pow1024 = 1, pow1000 = 1;
    for (size_t j = 0; j <= i; ++j) {
      pow1024 *= 1024;
      pow1000 *= 1000;
    }
    const std::string p(1, kPrefixes[i]);
    const bool si = (s == p || s == p + "b");
    const bool iec = (s == p + "i" || s == p + "ib");
    if (units == SizeUnits::fio) {
      if (si) return pow1024;   // fio compatibility mode: 4k = 4096
      if (iec) return pow1000;  // ... and 4KiB = 4000 (fio's kb_base=1024 quirk)
    } else {
      if (s == p || iec) return pow1024;
      if (s == p + "b") return pow1000;
    }
  }
  return 0;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Parsed<uint64_t> parse_uint(std::string_view text) {
  uint64_t n = 0;
  std::string_view suffix;
  text = trim(text);
  if (!split_number(text, n, suffix) || !suffix.empty())
    return {std::nullopt, "expected a non-negative integer, got '" + std::string(text) + "'"};
  return {n, {}};
}

Parsed<uint64_t> parse_size_bytes(std::string_view text, SizeUnits units) {
  uint64_t n = 0;
  std::string_view suffix;
  text = trim(text);
  if (!split_number(text, n, suffix))
    return {std::nullopt, "expected a size such as 4k or 1g, got '" + std::string(text) + "'"};
  const std::string s = lower(suffix);
  const uint64_t mult = size_multiplier(s, units);
  uint64_t bytes = 0;
  if (mult == 0)
    return {std::nullopt, "unknown size unit '" + std::string(suffix) + "' in '" +
                              std::string(text) + "'"};
  if (!checked_mul(n, mult, bytes))
    return {std::nullopt, "size '" + std::string(text) + "' overflows 64 bits"};
  return {bytes, {}};
}

Parsed<sim::Duration> parse_duration(std::string_view text, sim::Duration default_unit) {
  uint64_t n = 0;
  std::string_view suffix;
  text = trim(text);
  if (!split_number(text, n, suffix))
    return {std::nullopt, "expected a time such as 10s or 500ms, got '" + std::string(text) + "'"};
  const std::string s = lower(suffix);
  int64_t unit_ns = 0;
  if (s.empty()) unit_ns = default_unit.count_ns();
  else if (s == "ns" || s == "nsec") unit_ns = 1;
  else if (s == "us" || s == "usec") unit_ns = 1'000;
  else if (s == "ms" || s == "msec") unit_ns = 1'000'000;
  else if (s == "s" || s == "sec") unit_ns = 1'000'000'000;
  else if (s == "m" || s == "min") unit_ns = 60'000'000'000;
  else if (s == "h") unit_ns = 3'600'000'000'000;
  else if (s == "d") unit_ns = 86'400'000'000'000;
  else return {std::nullopt, "unknown time unit '" + std::string(suffix) + "'"};
  uint64_t total = 0;
  if (!checked_mul(n, static_cast<uint64_t>(unit_ns), total) || total > INT64_MAX)
    return {std::nullopt, "time '" + std::string(text) + "' overflows"};
  return {sim::Duration::ns(static_cast<int64_t>(total)), {}};
}

Parsed<bool> parse_bool(std::string_view text) {
  const std::string s = lower(trim(text));
  if (s.empty() || s == "1" || s == "true" || s == "yes" || s == "on") return {true, {}};
  if (s == "0" || s == "false" || s == "no" || s == "off") return {false, {}};
  return {std::nullopt, "expected a boolean (0/1), got '" + std::string(text) + "'"};
}

}  // namespace mdsim::workload
