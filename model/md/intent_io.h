// Shared machinery of the llbitmap, journal and epochmap backends:
//  - little-endian field encoding for on-disk layouts;
//  - MediaView: what the last COMPLETED metadata writes put on the members'
//    media (md_write_metadata is PREFLUSH|FUA, so completion means durable),
//    used for the online intent-before-data check;
//  - write_batch: a blk plug of md_write_metadata calls issued together, then
//    md_super_wait;
//  - GroupCommit: one metadata writer at a time; every caller of sync() waits
//    until every change noted before it is durable, and callers that arrive
//    while a round is in flight share the next round (group commit).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "model/md/intent_backend.h"
#include "sim/wait_queue.h"

namespace mdsim::md {

void put_le32(std::vector<uint8_t>& b, size_t at, uint32_t v);
void put_le64(std::vector<uint8_t>& b, size_t at, uint64_t v);
uint32_t get_le32(const std::vector<uint8_t>& b, size_t at);
uint64_t get_le64(const std::vector<uint8_t>& b, size_t at);

// Area bytes as last durably written. Grows with the sectors written only.
class MediaView {
 public:
  void apply(SectorCount offset, const std::vector<uint8_t>& bytes);
  // Byte at area byte offset `at` (0 if never written).
  uint8_t byte(uint64_t at) const { return at < bytes_.size() ? bytes_[at] : 0; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  void clear() { bytes_.clear(); }

 private:
  std::vector<uint8_t> bytes_;
};

struct MetaWrite {
  SectorCount offset;          // sectors into the intent area
  std::vector<uint8_t> bytes;  // whole sectors
};

// Issues all writes at once and completes when all did; each completed write
// is applied to `view` (if non-null). Counts into `*writes_issued`.
sim::Task write_batch(IntentHost& host, std::vector<MetaWrite> writes, MediaView* view,
                      disk::IoClass cls = disk::IoClass::intent);

// Reads `count` sectors of the area from the first metadata read source that
// answers; returns empty on failure of all.
sim::ValueTask<std::vector<uint8_t>> read_area(IntentHost& host, SectorCount offset,
                                               SectorCount count);

class GroupCommit {
 public:
  explicit GroupCommit(sim::Simulator& sim) : wq_(sim) {}
  // A change that must be durable before the data it protects: returns its seq.
  uint64_t note_change() { return ++requested_; }
  uint64_t requested() const { return requested_; }
  uint64_t durable() const { return durable_; }
  bool busy() const { return busy_; }
  // REQUIRES: `round` snapshots the state to write before its first suspension.
  sim::Task sync(std::function<sim::Task()> round);

 private:
  sim::WaitQueue wq_;
  uint64_t requested_ = 0;
  uint64_t durable_ = 0;
  bool busy_ = false;
};

// Coalesces chunk indexes [first, last] ranges into sector ranges clipped to
// `limit` sectors.
void append_chunk_range(std::vector<SectorRange>& out, uint64_t first_chunk, uint64_t last_chunk,
                        SectorCount chunk, SectorCount limit);

}  // namespace mdsim::md
