#include "model/md/badblocks.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::md {

void BadBlocks::check() const {
  SIM_ASSERT(entries_.size() <= kMaxBadBlocks);
  for (size_t i = 1; i < entries_.size(); ++i)
    SIM_ASSERT(entries_[i - 1].start + entries_[i - 1].count <= entries_[i].start);
}

bool BadBlocks::set(disk::Sector start, disk::SectorCount count) {
  SIM_ASSERT(count.value() > 0);
  // Merge with every overlapping or adjacent range.
  disk::Sector lo = start;
  disk::Sector hi = start + count;
  std::vector<Entry> out;
  out.reserve(entries_.size() + 1);
  for (const Entry& e : entries_) {
    if (e.start + e.count < lo || hi < e.start) {
      out.push_back(e);
      continue;
    }
    lo = std::min(lo, e.start);
    hi = std::max(hi, e.start + e.count);
  }
  if (out.size() + 1 > kMaxBadBlocks) return false;
  Entry n{lo, hi - lo, false};
  out.insert(std::upper_bound(out.begin(), out.end(), n,
                              [](const Entry& a, const Entry& b) { return a.start < b.start; }),
             n);
  entries_ = std::move(out);
  changed_ = true;
  check();
  return true;
}

void BadBlocks::clear(disk::Sector start, disk::SectorCount count) {
  const disk::Sector end = start + count;
  std::vector<Entry> out;
  for (const Entry& e : entries_) {
    const disk::Sector e_end = e.start + e.count;
    if (e_end <= start || end <= e.start) {
      out.push_back(e);
      continue;
    }
    changed_ = true;
    if (e.start < start) out.push_back({e.start, start - e.start, e.acked});
    if (end < e_end) out.push_back({end, e_end - end, e.acked});
  }
  entries_ = std::move(out);
  check();
}

bool BadBlocks::overlaps(disk::Sector start, disk::SectorCount count) const {
  const disk::Sector end = start + count;
  for (const Entry& e : entries_)
    if (e.start < end && start < e.start + e.count) return true;
  return false;
}

std::optional<BadBlocks::Entry> BadBlocks::first_overlap(disk::Sector start, disk::SectorCount count) const {
  const disk::Sector end = start + count;
  for (const Entry& e : entries_)
    if (e.start < end && start < e.start + e.count) return e;
  return std::nullopt;
}

bool BadBlocks::has_unacked() const {
  for (const Entry& e : entries_)
    if (!e.acked) return true;
  return false;
}

void BadBlocks::ack_all() {
  for (Entry& e : entries_) e.acked = true;
}

}  // namespace mdsim::md
