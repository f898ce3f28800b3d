// A random member-disk workload for property tests: a script of writes (plain,
// FUA, PREFLUSH|FUA), flushes, reads and discards at chosen times, run against
// one Disk while a reference records what the crash model must guarantee.
//
// Stamps are unique per (write, sector): ((write index + 1) << 20) | offset.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "model/disk/disk.h"
#include "sim/simulator.h"

namespace mdsim::testing {

enum class ScriptOp : uint8_t { write, fua_write, preflush_fua_write, flush, read, discard };

struct ScriptStep {
  ScriptOp op = ScriptOp::write;
  uint32_t block = 0;   // first logical block
  uint32_t blocks = 1;  // length in logical blocks
  uint32_t gap_ns = 0;  // submitted this long after the previous step
};

struct WriteRecord {
  disk::Sector sector;
  disk::SectorCount count;
  bool fua = false;
  bool discard = false;
  bool completed = false;
  uint64_t completion_order = 0;           // 1-based, in callback order
  uint64_t completions_before_submit = 0;  // writes completed when this one was submitted
};

// Runs a script on one disk. Keeps the reference state in the object, which
// must outlive the simulation.
class ScriptRunner {
 public:
  ScriptRunner(sim::Simulator& sim, disk::Disk& d, std::vector<ScriptStep> steps);
  // Schedules every step; returns the instant of the last submission.
  sim::Instant schedule();

  static uint64_t stamp(size_t write_index, uint64_t offset) {
    return ((write_index + 1) << 20) | offset;
  }
  bool durable(size_t write_index) const;
  // Whether sector s may hold content word v given that the writes for which
  // must_see(i) holds are ordered before the observation. A write w is
  // certainly overwritten by W when w completed before W was submitted and W
  // is seen; any write not overwritten that way may show (concurrent writes
  // complete in either order); 0 only if nothing seen covers s (or a discard).
  template <class Pred>
  bool allowed(uint64_t s, uint64_t v, Pred must_see) const {
    bool any_seen = false;
    for (size_t i = 0; i < writes_.size(); ++i) any_seen |= covers(i, s) && must_see(i);
    if (v == 0 && !any_seen) return true;
    for (size_t i = 0; i < writes_.size(); ++i) {
      if (!covers(i, s) || word_of(i, s) != v) continue;
      bool overwritten = false;
      for (size_t j = 0; j < writes_.size() && !overwritten; ++j) {
        overwritten = j != i && covers(j, s) && must_see(j) && writes_[i].completed &&
                      writes_[i].completion_order <= writes_[j].completions_before_submit;
      }
      if (!overwritten) return true;
    }
    return false;
  }
  bool covers(size_t i, uint64_t s) const {
    return writes_[i].sector.value() <= s &&
           s < writes_[i].sector.value() + writes_[i].count.value();
  }
  uint64_t word_of(size_t i, uint64_t s) const {
    return writes_[i].discard ? 0 : stamp(i, s - writes_[i].sector.value());
  }
  const std::vector<WriteRecord>& writes() const { return writes_; }
  uint64_t read_mismatches() const { return read_mismatches_; }
  uint64_t errors() const { return errors_; }
  uint64_t region_sectors() const;

 private:
  void submit_step(size_t i);
  sim::Simulator& sim_;
  disk::Disk& disk_;
  std::vector<ScriptStep> steps_;
  std::vector<WriteRecord> writes_;
  uint64_t completions_ = 0;
  uint64_t durable_through_ = 0;  // writes with completion_order <= this are flushed
  uint64_t read_mismatches_ = 0;
  uint64_t errors_ = 0;
};

}  // namespace mdsim::testing
