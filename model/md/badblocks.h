// Per-member bad-block list (block/badblocks.c as md uses it): sorted,
// non-overlapping ranges in member data sectors, each acknowledged once the
// list holding it is on disk (the bad-block log is written with the
// superblock round). At most kMaxBadBlocks entries (MD_MAX_BADBLOCKS).
//
// Invariants: ranges sorted by start, disjoint, non-empty; size <= max.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::md {

inline constexpr size_t kMaxBadBlocks = 512;  // PAGE_SIZE / 8

class BadBlocks {
 public:
  struct Entry {
    disk::Sector start;
    disk::SectorCount count;
    bool acked = false;
  };
  // badblocks_set: false when the list is full (the caller must fail the
  // device, md_error). New entries are unacknowledged.
  bool set(disk::Sector start, disk::SectorCount count);
  // badblocks_clear (a successful write over a known bad range).
  void clear(disk::Sector start, disk::SectorCount count);
  // Any overlap with [start, start+count)?
  bool overlaps(disk::Sector start, disk::SectorCount count) const;
  // The first range overlapping [start, start+count), if any (is_badblock's
  // first_bad / bad_sectors).
  std::optional<Entry> first_overlap(disk::Sector start, disk::SectorCount count) const;
  bool has_unacked() const;
  void ack_all();  // after the bad-block log reached disk
  size_t size() const { return entries_.size(); }
  const std::vector<Entry>& entries() const { return entries_; }
  bool changed() const { return changed_; }
  void clear_changed() { changed_ = false; }

 private:
  void check() const;
  std::vector<Entry> entries_;
  bool changed_ = false;
};

}  // namespace mdsim::md
