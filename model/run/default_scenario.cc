#include "model/run/default_scenario.h"

namespace mdsim::run {

// raid1 on two 1 GiB nvme members with a classic bitmap (64 KiB chunks),
// created with --assume-clean, a 4 KiB random-write burst at iodepth 32 and a
// power loss in the middle of it; the array is then assembled from the disks
// alone, resynced, and every property is checked. Small enough for CI.
static constexpr std::string_view kDefaultScenario = R"json({
  "name": "default-raid1-bitmap-crash",
  "description": "mdsim run --default: raid1, 2 nvme members, classic bitmap, assume_clean, 4KiB randwrite QD32, power loss mid-burst, assemble, resync, all checks.",
  "seed": 1,
  "array": {"level": 1, "disks": 2, "size": "1GiB", "assume_clean": true,
            "intent": {"type": "bitmap", "chunk": "64KiB", "daemon_sleep_s": 5}},
  "disk": {"profile": "nvme", "write_cache": "volatile"},
  "workload": {"rw": "randwrite", "bs": "4KiB", "iodepth": 32, "iodepth_batch_submit": 1, "ios": 4000},
  "faults": [{"type": "power_loss", "at_ns": 1000000}],
  "after_crash": {"assemble": true, "resync": true},
  "checks": ["coverage", "convergence", "durability", "intent_before_data", "liveness"]
})json";

std::string_view default_scenario_json() { return kDefaultScenario; }

}  // namespace mdsim::run
