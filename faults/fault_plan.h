// Scheduled faults on member disks: a FaultPlan is a list of (instant, disk,
// fault) entries that arm() turns into simulator events calling the Disk's
// fault hooks (model/disk/disk.h).
//
// Faults: dm-dust style bad sectors (reads fail; a write remaps them unless
// sticky, then writes fail too), write errors on a range, whole-device failure,
// removal and re-add, a slow device (latency multiplier), latency spikes.
// Power loss is not a disk fault: the harness captures a CrashState
// (faults/crash_state.h) at the chosen instant.
//
// Invariants: entries fire in (at, insertion order) order, deterministically;
// at most kFaultsMax entries per plan.
#pragma once

#include <cstdint>
#include <vector>

#include "model/disk/disk.h"
#include "sim/simulator.h"

namespace mdsim::faults {

enum class FaultKind : uint8_t {
  bad_range,      // range, sticky
  write_error,    // range
  fail,           // whole device fails every request
  remove,         // device missing
  readd,          // device present again (and not failed)
  slow,           // slow_factor
  latency_spike,  // extra latency for requests started in [at, at + spike_len)
};

struct Fault {
  sim::Instant at;
  uint32_t disk = 0;  // index into the disks passed to arm()
  FaultKind kind = FaultKind::fail;
  disk::SectorRange range{};
  bool sticky = false;
  uint32_t slow_factor = 1;
  sim::Duration extra;
  sim::Duration spike_len;
};

inline constexpr size_t kFaultsMax = 4096;

class FaultPlan {
 public:
  // REQUIRES: size() < kFaultsMax.
  FaultPlan& add(const Fault& f);
  const std::vector<Fault>& faults() const { return faults_; }
  size_t size() const { return faults_.size(); }

  // Schedules every fault on sim. REQUIRES: each fault's disk < disks.size(),
  // at >= sim.now(); the disks outlive the scheduled events.
  void arm(sim::Simulator& sim, const std::vector<disk::Disk*>& disks) const;

 private:
  std::vector<Fault> faults_;
};

// Applies one fault to a disk now.
void apply_fault(disk::Disk& d, const Fault& f);

}  // namespace mdsim::faults
