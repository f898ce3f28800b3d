// Translating a validated Scenario into the engine's configuration objects,
// and the adapter that lets the workload generator (and the op list) drive an
// md::Array while the oracle (faults/oracle.h) records every user write.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "faults/oracle.h"
#include "model/disk/disk.h"
#include "model/md/array.h"
#include "model/scenario/scenario.h"
#include "model/workload/io_target.h"
#include "model/workload/job.h"

namespace mdsim::run {

// Disk capacity for a member: the scenario's size plus room for mdadm's
// data_offset (superblock, intent area, headroom): 256 MiB covers mdadm's
// largest data offset (128 MiB) plus the biggest intent area.
inline constexpr uint64_t kMemberHeadroomSectors = 256ull << 11;

disk::DiskConfig disk_config(const scenario::Scenario& s, size_t member, uint64_t seed);
md::ArrayConfig array_config(const scenario::Scenario& s);
// md's layout number for a scenario layout name, or 0 if the engine does not
// model it (raid10 far/offset, raid5 layouts other than left-symmetric).
uint32_t raid_layout_code(int level, const std::string& layout);
workload::JobSpec job_spec(const scenario::WorkloadConfig& w);

// Drives the array, feeds the oracle, counts outstanding IOs.
// Invariants: every write gets a unique id (from 1, shared with discards in
// the oracle); oracle calls happen at submission and completion instants.
class ArrayTarget : public workload::IoTarget {
 public:
  ArrayTarget(md::Array& array, faults::Oracle& oracle) : array_(array), oracle_(oracle) {}
  disk::SectorCount capacity() const override { return array_.capacity(); }
  void submit_batch(std::span<const workload::UserIo> ios, workload::UserIoCallback on_complete) override;
  uint64_t outstanding() const { return outstanding_; }
  // Called after every completion (the runner uses it to stop the simulator
  // exactly when what it waits for has happened).
  void set_after_completion(std::function<void()> fn) { after_completion_ = std::move(fn); }
  uint64_t errors() const { return errors_; }

 private:
  md::Array& array_;
  faults::Oracle& oracle_;
  uint64_t next_id_ = 1;
  uint64_t outstanding_ = 0;
  uint64_t errors_ = 0;
  std::function<void()> after_completion_;
};

}  // namespace mdsim::run
