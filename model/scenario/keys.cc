// The accepted keys of every object kind. Mirrors the "$defs" of
// scenarios/schema.json; tests/scenario/schema_test.cc keeps the two equal.
#include "model/scenario/loader.h"
#include "sim/assert.h"

namespace mdsim::scenario {

using KeySets = std::vector<std::pair<std::string, std::vector<std::string>>>;

static KeySets make_key_sets() {
  const std::vector<std::string> pl = {"persist", "torn", "keep"};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  return {
      {"scenario", {"name", "description", "seed", "array", "disk", "workload", "faults", "ops",
                    "after_crash", "checks", "limits", "expect", "mutants"}},
      {"array", {"level", "disks", "size", "assume_clean", "chunk", "layout", "safe_mode_delay_ms", "intent"}},
      {"intent", {"type", "chunk", "daemon_sleep_s", "barrier_idle_s", "journal_entries"}},
      {"disk", {"profile", "write_cache", "fua", "logical_block", "queue_depth", "destage_delay_ns", "members"}},
      {"member", {"index", "profile", "write_cache", "fua", "queue_depth", "destage_delay_ns", "slow_factor"}},
      {"workload", {"rw", "bs", "iodepth", "iodepth_batch_submit", "numjobs", "ios", "rwmixwrite", "fsync",
                    "sync", "offset", "size", "runtime_ns"}},
      {"fault_power_loss", with({"type", "at_ns", "at_event"}, pl)},
      {"fault_bad_block", {"type", "disk", "sector", "sectors", "sticky", "at_ns"}},
      {"fault_write_error", {"type", "disk", "sector", "sectors", "at_ns"}},
      {"fault_fail_disk", {"type", "disk", "at_ns"}},
      {"fault_remove_disk", {"type", "disk", "at_ns"}},
      {"fault_readd_disk", {"type", "disk", "at_ns"}},
      {"fault_latency_spike", {"type", "disk", "at_ns", "duration_ns", "extra_ns"}},
      {"fault_slow_disk", {"type", "disk", "factor", "at_ns"}},
      {"op_write", {"op", "sector", "sectors", "fua", "preflush", "batch"}},
      {"op_read", {"op", "sector", "sectors"}},
      {"op_discard", {"op", "sector", "sectors"}},
      {"op_flush", {"op"}},
      {"op_wait", {"op", "ns"}},
      {"op_advance", {"op", "ns"}},
      {"op_power_loss", with({"op", "choice"}, pl)},
      {"op_fail_disk", {"op", "disk"}},
      {"op_remove_disk", {"op", "disk"}},
      {"op_readd_disk", {"op", "disk"}},
      {"op_bad_block", {"op", "disk", "sector", "sectors", "sticky"}},
      {"op_write_error", {"op", "disk", "sector", "sectors"}},
      {"op_start_resync", {"op"}},
      {"op_daemon_tick", {"op"}},
      {"op_slow_disk", {"op", "disk", "factor"}},
      {"after_crash", {"assemble", "resync", "timeout_ns"}},
      {"limits", {"events_max", "time_ns_max"}},
      {"expect", {"verdict", "failed_checks", "trace_hash", "pending"}},
      {"sweep", {"name", "base", "grid"}},
  };
}

const KeySets& key_sets() {
  static const KeySets sets = make_key_sets();  // immutable after first use: no state
  return sets;
}

const std::vector<std::string>& keys_of(const std::string& def_name) {
  for (const auto& [name, keys] : key_sets())
    if (name == def_name) return keys;
  SIM_ASSERT_MSG(false, "unknown key set " + def_name);
  __builtin_unreachable();
}

}  // namespace mdsim::scenario
