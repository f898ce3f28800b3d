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

static bool in_ranges(const std::vector<disk::SectorRange>& ranges, uint64_t s) {
  for (const auto& r : ranges)  // ranges are few (dirty chunks merged): linear is fine
    if (s >= r.start.value() && s < r.start.value() + r.count.value()) return true;
  return false;
}

CoverageOutcome check_coverage(const faults::Oracle& oracle, const MemberView& v,
                               const std::vector<disk::SectorRange>& covered, bool everything_covered,
                               uint64_t chunk_sectors) {
  SIM_ASSERT(v.images.size() == v.in_array.size());
  SIM_ASSERT(chunk_sectors > 0);
  CoverageOutcome out;
  uint64_t last_chunk = UINT64_MAX;
  for (const disk::Sector s : oracle.written_sectors()) {
    const disk::Sector m = v.data_offset + disk::SectorCount(s.value());
    bool first = true, differ = false;
    uint64_t ref = 0;
    for (size_t d = 0; d < v.images.size(); ++d) {
      if (!v.in_array[d]) continue;
      const uint64_t w = v.images[d]->word(m);
      if (first) ref = w;
      differ = differ || (!first && w != ref);
      first = false;
    }
    if (!differ) continue;
    ++out.inconsistent_sectors;
    const uint64_t chunk = s.value() / chunk_sectors;
    if (chunk != last_chunk) ++out.inconsistent_chunks;  // sectors come sorted
    last_chunk = chunk;
    if (everything_covered || in_ranges(covered, s.value()) || !out.check.held) continue;
    out.check.held = false;
    out.check.detail = "members differ at array sector " + std::to_string(s.value()) +
                       " but the loaded intent record does not cover it";
  }
  if (out.check.held)
    out.check.detail = std::to_string(out.inconsistent_sectors) + " inconsistent sectors in " +
                       std::to_string(out.inconsistent_chunks) + " chunks, all covered" +
                       (everything_covered ? " (full resync)" : "");
  return out;
}

CheckOutcome check_convergence(const faults::Oracle& oracle, const std::vector<disk::Disk*>& disks,
                               const std::vector<bool>& in_array, disk::Sector data_offset) {
  CheckOutcome c;
  uint64_t checked = 0;
  for (const disk::Sector s : oracle.written_sectors()) {
    const disk::Sector m = data_offset + disk::SectorCount(s.value());
    int ref_disk = -1;
    uint64_t ref = 0;
    for (size_t d = 0; d < disks.size(); ++d) {
      if (!in_array[d]) continue;
      const uint64_t w = disks[d]->current_word(m);
      if (ref_disk < 0) {
        ref_disk = static_cast<int>(d);
        ref = w;
        if (!oracle.allowed(s, w)) {
          c.held = false;
          c.detail = "array sector " + std::to_string(s.value()) + " holds " + hex(w) +
                     ", which the user never wrote there; allowed: " + oracle.describe(s);
          return c;
        }
      } else if (w != ref) {
        c.held = false;
        c.detail = "after resync, array sector " + std::to_string(s.value()) + " differs: member " +
                   std::to_string(ref_disk) + " " + hex(ref) + ", member " + std::to_string(d) + " " + hex(w);
        return c;
      }
    }
    ++checked;
  }
  c.detail = std::to_string(checked) + " written sectors agree on every in-sync member";
  return c;
}

CheckOutcome check_durability(const faults::Oracle& oracle, const std::vector<disk::Disk*>& disks,
                              const std::vector<bool>& in_array, disk::Sector data_offset) {
  CheckOutcome c;
  uint64_t durable = 0;
  for (const disk::Sector s : oracle.written_sectors()) {
    uint64_t want = 0;
    if (!oracle.has_durable(s, &want)) continue;
    ++durable;
    const disk::Sector m = data_offset + disk::SectorCount(s.value());
    for (size_t d = 0; d < disks.size(); ++d) {
      if (!in_array[d]) continue;
      const uint64_t w = disks[d]->current_word(m);
      if (oracle.allowed(s, w)) continue;
      c.held = false;
      c.detail = "durable data lost at array sector " + std::to_string(s.value()) + " on member " +
                 std::to_string(d) + ": holds " + hex(w) + ", allowed: " + oracle.describe(s);
      return c;
    }
  }
  c.detail = std::to_string(durable) + " sectors with durable data survived";
  return c;
}

}  // namespace mdsim::run
