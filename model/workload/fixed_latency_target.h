// An IoTarget that completes every IO after a fixed simulated latency per op,
// with no state: the stand-in for the array in generator tests and in the
// Python workload preview. It records what a test needs to check the
// generator's queueing (largest number of IOs outstanding, call sizes).
//
// Invariants: outstanding() == IOs submitted - IOs completed; every IO
// completes exactly once, `latency` after its submission call.
#pragma once

#include <cstdint>
#include <vector>

#include "model/workload/io_target.h"
#include "sim/simulator.h"

namespace mdsim::workload {

struct FixedLatencyOptions {
  disk::SectorCount capacity;
  sim::Duration read_latency = sim::Duration::us(100);
  sim::Duration write_latency = sim::Duration::us(100);
  sim::Duration discard_latency = sim::Duration::us(100);
  sim::Duration flush_latency = sim::Duration::us(500);
};

class FixedLatencyTarget : public IoTarget {
 public:
  FixedLatencyTarget(sim::Simulator& sim, FixedLatencyOptions options);

  disk::SectorCount capacity() const override { return options_.capacity; }
  // REQUIRES: !ios.empty(); every non-flush IO inside capacity().
  void submit_batch(std::span<const UserIo> ios, UserIoCallback on_complete) override;

  uint64_t outstanding() const { return outstanding_; }
  uint64_t outstanding_max() const { return outstanding_max_; }
  const std::vector<size_t>& call_sizes() const { return call_sizes_; }
  uint64_t ios_submitted() const { return ios_submitted_; }

 private:
  sim::Duration latency_of(UserIo::Op op) const;

  sim::Simulator& sim_;
  FixedLatencyOptions options_;
  uint64_t outstanding_ = 0;
  uint64_t outstanding_max_ = 0;
  uint64_t ios_submitted_ = 0;
  std::vector<size_t> call_sizes_;
};

}  // namespace mdsim::workload
