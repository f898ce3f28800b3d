#include "faults/fault_plan.h"

#include "sim/assert.h"

namespace mdsim::faults {

FaultPlan& FaultPlan::add(const Fault& f) {
  SIM_ASSERT(faults_.size() < kFaultsMax);
  SIM_ASSERT(f.slow_factor >= 1);
  faults_.push_back(f);
  return *this;
}

void apply_fault(disk::Disk& d, const Fault& f) {
  switch (f.kind) {
    case FaultKind::bad_range:
      d.add_bad_range(f.range, f.sticky);
      break;
    case FaultKind::write_error:
      d.add_write_error_range(f.range);
      break;
    case FaultKind::fail:
      d.set_failed(true);
      break;
    case FaultKind::remove:
      d.set_missing(true);
      break;
    case FaultKind::readd:
      d.set_missing(false);
      d.set_failed(false);
      break;
    case FaultKind::slow:
      d.set_slow_factor(f.slow_factor);
      break;
    case FaultKind::latency_spike:
      d.add_latency_spike(f.at, f.at + f.spike_len, f.extra);
      break;
  }
}

void FaultPlan::arm(sim::Simulator& sim, const std::vector<disk::Disk*>& disks) const {
  for (const Fault& f : faults_) {
    SIM_ASSERT(f.disk < disks.size());
    SIM_ASSERT(f.at >= sim.now());
    disk::Disk* d = disks[f.disk];
    SIM_ASSERT(d != nullptr);
    // Spikes are registered at once: they only act on requests started inside
    // their window, and registering early keeps the window exact.
    if (f.kind == FaultKind::latency_spike) {
      apply_fault(*d, f);
      continue;
    }
    sim.schedule_at(f.at, [d, f] { apply_fault(*d, f); });
  }
}

}  // namespace mdsim::faults
