#include "model/run/checks.h"

#include <algorithm>
#include <cstdio>

#include "sim/assert.h"

namespace mdsim::run {

static std::string hex(uint64_t w) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(w));
  return b;
}

md::MemberImages in_sync_images(md::Array& array, const std::vector<disk::DiskImage>& images,
                                const std::vector<bool>& in_array) {
  SIM_ASSERT(images.size() == in_array.size());
  return md::images_of(md::slot_map(array, &in_array), images);
}

CoverageOutcome check_coverage(const md::MemberImages& m, const std::vector<disk::SectorRange>& covered,
                               bool everything_covered, uint64_t chunk_sectors) {
  SIM_ASSERT(chunk_sectors > 0);
  CoverageOutcome out;
  const std::vector<disk::SectorRange> bad = md::inconsistent_ranges(m);
  out.inconsistent_chunks = md::inconsistent_chunks(m, chunk_sectors).size();
  for (const disk::SectorRange& r : bad) {
    out.inconsistent_sectors += r.count.value();
    if (everything_covered || md::covered_by(covered, r) || !out.check.held) continue;
    out.check.held = false;
    out.check.detail = "redundancy disagrees at intent-space sectors " + std::to_string(r.start.value()) + "+" +
                       std::to_string(r.count.value()) + " (raid" + std::to_string(m.geo.level) +
                       ") but the loaded intent record does not cover them";
  }
  if (out.check.held)
    out.check.detail = std::to_string(out.inconsistent_sectors) + " inconsistent sectors in " +
                       std::to_string(out.inconsistent_chunks) + " chunks, all covered" +
                       (everything_covered ? " (full resync)" : "");
  return out;
}

CheckOutcome check_convergence(const faults::Oracle& oracle, const md::MemberImages& m) {
  CheckOutcome c;
  const std::vector<disk::SectorRange> bad = md::inconsistent_ranges(m);
  if (!bad.empty()) {
    c.held = false;
    c.detail = "after resync, the redundancy still disagrees at intent-space sectors " +
               std::to_string(bad.front().start.value()) + "+" + std::to_string(bad.front().count.value()) + " (" +
               std::to_string(bad.size()) + " ranges)";
    return c;
  }
  uint64_t checked = 0;
  for (const disk::Sector s : oracle.written_sectors()) {
    if (md::raid5_unreadable(m, s.value())) continue;  // md: EIO, no value (L13)
    const uint64_t w = md::array_word(m, s.value());
    if (!oracle.allowed(s, w)) {
      c.held = false;
      c.detail = "array sector " + std::to_string(s.value()) + " reads " + hex(w) +
                 ", which the user never wrote there; allowed: " + oracle.describe(s);
      return c;
    }
    ++checked;
  }
  c.detail = std::to_string(checked) + " written sectors consistent and allowed on every in-sync member";
  return c;
}

CheckOutcome check_durability(const faults::Oracle& oracle, const md::MemberImages& m) {
  CheckOutcome c;
  uint64_t durable = 0;
  for (const disk::Sector s : oracle.written_sectors()) {
    uint64_t want = 0;
    if (!oracle.has_durable(s, &want)) continue;
    ++durable;
    for (const auto& [slot, w] : md::copies_of(m, s.value())) {
      if (oracle.allowed(s, w)) continue;
      c.held = false;
      c.detail = "durable data lost at array sector " + std::to_string(s.value()) +
                 (slot >= 0 ? " on slot " + std::to_string(slot) : std::string(" (read)")) + ": holds " + hex(w) +
                 ", allowed: " + oracle.describe(s);
      return c;
    }
  }
  c.detail = std::to_string(durable) + " sectors with durable data survived";
  return c;
}

}  // namespace mdsim::run
