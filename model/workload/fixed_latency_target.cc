#include "model/workload/fixed_latency_target.h"

#include <algorithm>
#include <memory>

#include "sim/assert.h"

namespace mdsim::workload {

FixedLatencyTarget::FixedLatencyTarget(sim::Simulator& sim, FixedLatencyOptions options)
    : sim_(sim), options_(options) {}

sim::Duration FixedLatencyTarget::latency_of(UserIo::Op op) const {
  switch (op) {
    case UserIo::Op::read: return options_.read_latency;
    case UserIo::Op::write: return options_.write_latency;
    case UserIo::Op::discard: return options_.discard_latency;
    case UserIo::Op::flush: return options_.flush_latency;
  }
  return options_.write_latency;
}

void FixedLatencyTarget::submit_batch(std::span<const UserIo> ios, UserIoCallback on_complete) {
  SIM_ASSERT(!ios.empty());
  auto cb = std::make_shared<UserIoCallback>(std::move(on_complete));
  call_sizes_.push_back(ios.size());
  for (size_t i = 0; i < ios.size(); ++i) {
    const UserIo& io = ios[i];
    if (io.op != UserIo::Op::flush) {
      SIM_ASSERT(io.count.value() > 0);
      SIM_ASSERT(io.sector + io.count <= disk::Sector(options_.capacity.value()));
    }
    ++outstanding_;
    ++ios_submitted_;
    sim_.schedule(latency_of(io.op), [this, cb, i] {
      SIM_ASSERT(outstanding_ > 0);
      --outstanding_;
      (*cb)(i, UserIoCompletion{.status = disk::IoStatus::ok, .completed_at = sim_.now()});
    });
  }
  outstanding_max_ = std::max(outstanding_max_, outstanding_);
}

}  // namespace mdsim::workload
