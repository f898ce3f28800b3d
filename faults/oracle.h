// The shadow model of what the user wrote: for each array sector, which values
// the user may legitimately read back after a power loss.
//
// Block-device semantics being modelled (what a file system may rely on):
//  - a write acknowledged with FUA is durable at acknowledgement;
//  - a write acknowledged before a flush was SUBMITTED is durable once that
//    flush completes;
//  - anything else may or may not have reached the media, and two writes that
//    were in flight together may land in either order.
//
// So after a crash a sector may hold: the value of its latest durable write D
// (or 0 if it has none), or the value of any write W to it that D does not
// supersede. D supersedes W iff W completed before D was submitted (then D is
// ordered after W on every medium, and D is durable).
//
// Discards are writes of 0 (the modelled member disks zero discarded ranges),
// but md does not promise what a discarded block reads back (llbitmap records
// a discard as Unwritten and never resyncs it; a crash can leave one mirror
// discarded and the other not). A sector whose content may still come from a
// discard is UNSPECIFIED: the checks skip it (docs/verification.md).
//
// Invariants:
//  (1) each write id is submitted once and completed at most once;
//  (2) per sector, the history is kept in submission order;
//  (3) memory is proportional to sectors written, not to capacity.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::faults {

using disk::Sector;
using disk::SectorCount;

class Oracle {
 public:
  // REQUIRES: id unused; words.size() == count (one content word per sector).
  void write_submitted(uint64_t id, Sector start, SectorCount count,
                       std::span<const uint64_t> words);
  // A discard: a write of zeros whose content md does not promise.
  // REQUIRES: id unused.
  void discard_submitted(uint64_t id, Sector start, SectorCount count);
  // REQUIRES: id submitted and not yet completed.
  void write_completed(uint64_t id, bool fua);
  // The write ended with an error (EIO): it may or may not have landed (in
  // part), and no flush or FUA makes it durable. REQUIRES: as write_completed.
  void write_failed(uint64_t id);
  // A flush request: every write completed before submission becomes durable
  // when the flush completes.
  void flush_submitted(uint64_t flush_id);
  void flush_completed(uint64_t flush_id);
  // Power loss: every write not durable now has ended (landed or not) and can
  // never become durable; later durable writes supersede it. Flushes in
  // flight are abandoned.
  void power_loss();

  // May `word` be in `sector` after a crash at this point?
  bool allowed(Sector sector, uint64_t word) const;
  // May the sector's content still come from a discard (some discard to it
  // not superseded by a durable write)? Then no value is promised.
  bool unspecified(Sector sector) const;
  // The value that must survive (latest durable write's word), if any.
  bool has_durable(Sector sector, uint64_t* word) const;
  // Sectors ever written, in increasing order (for checks walking them).
  std::vector<Sector> written_sectors() const;
  // The allowed set of a sector, for failure reports.
  std::string describe(Sector sector) const;

  uint64_t writes() const { return writes_.size(); }

 private:
  struct Write {
    uint64_t id = 0;
    uint64_t submit_seq = 0;
    uint64_t complete_seq = 0;  // 0 = not completed
    bool durable = false;
    bool discard = false;
  };
  struct Version {
    uint32_t write_index;  // into writes_
    uint64_t word;
  };
  struct Flush {
    uint64_t submit_seq = 0;
    bool completed = false;
  };
  void make_durable_completed_before(uint64_t seq);
  const Version* latest_durable(const std::vector<Version>& h) const;

  std::vector<Write> writes_;
  std::map<uint64_t, uint32_t> write_index_;            // id -> index
  std::map<uint64_t, std::vector<Version>> history_;     // sector -> versions
  std::map<uint64_t, Flush> flushes_;
  uint64_t seq_ = 0;
  // Indices of writes not yet durable, in submission order; each write leaves
  // it once, so flush handling is amortised O(writes in flight).
  std::vector<uint32_t> not_durable_;
};

}  // namespace mdsim::faults
