#include "model/scenario/scenario.h"

#include "sim/assert.h"

namespace mdsim::scenario {

const char* intent_type_name(IntentType t) {
  switch (t) {
    case IntentType::none: return "none";
    case IntentType::bitmap: return "bitmap";
    case IntentType::llbitmap: return "llbitmap";
    case IntentType::journal: return "journal";
    case IntentType::ours: return "ours";
  }
  return "?";
}

const char* fault_type_name(FaultType t) {
  switch (t) {
    case FaultType::power_loss: return "power_loss";
    case FaultType::bad_block: return "bad_block";
    case FaultType::write_error: return "write_error";
    case FaultType::fail_disk: return "fail_disk";
    case FaultType::remove_disk: return "remove_disk";
    case FaultType::readd_disk: return "readd_disk";
    case FaultType::latency_spike: return "latency_spike";
    case FaultType::slow_disk: return "slow_disk";
  }
  return "?";
}

const char* op_type_name(OpType t) {
  switch (t) {
    case OpType::write: return "write";
    case OpType::read: return "read";
    case OpType::flush: return "flush";
    case OpType::discard: return "discard";
    case OpType::advance: return "advance";
    case OpType::wait: return "wait";
    case OpType::power_loss: return "power_loss";
    case OpType::fail_disk: return "fail_disk";
    case OpType::remove_disk: return "remove_disk";
    case OpType::readd_disk: return "readd_disk";
    case OpType::bad_block: return "bad_block";
    case OpType::write_error: return "write_error";
    case OpType::start_resync: return "start_resync";
    case OpType::daemon_tick: return "daemon_tick";
    case OpType::slow_disk: return "slow_disk";
  }
  return "?";
}

uint32_t ArrayConfig::copies() const {
  if (level == 1) return disks;
  if (level == 10) return layout == "n3" ? 3 : 2;  // n2, o2, f2: two copies
  return 1;
}

uint64_t ArrayConfig::capacity_bytes() const {
  SIM_ASSERT(disks >= 2);
  if (level == 1) return size_bytes;
  if (level == 5) return size_bytes * (disks - 1);
  // raid10 near layout: every chunk-row holds disks/copies chunks' worth, md
  // rounds the array size down to whole chunks (raid10_size); far / offset
  // (one near copy): device chunks / far copies first.
  const bool far = layout == "o2" || layout == "f2";
  const uint64_t chunks = far ? size_bytes / chunk_bytes / copies() * disks : size_bytes / chunk_bytes * disks / copies();
  return chunks * chunk_bytes;
}

bool Scenario::has_power_loss() const {
  for (const Fault& f : faults)
    if (f.type == FaultType::power_loss) return true;
  for (const Op& o : ops)
    if (o.type == OpType::power_loss) return true;
  return false;
}

const std::vector<std::string>& known_checks() {
  static const std::vector<std::string> names = {"coverage", "convergence", "durability", "intent_before_data",
                                                 "liveness"};
  return names;
}

}  // namespace mdsim::scenario
