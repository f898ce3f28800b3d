// The explicit operation list of a scenario (design.md section 5, the `ops`
// form): what stateful property tests generate, what shrinking minimises, and
// what a saved counterexample replays bit for bit.
//
// Semantics (faults/ops_runner.h executes them):
//  - write / discard / flush are submitted at the current instant and NOT
//    waited for, so consecutive IO ops are in flight together;
//    consecutive writes with "batch": true share one submission call (a plug);
//  - advance runs the simulation for `ns`; wait runs it until no user IO is in
//    flight (and at most `ns` if given);
//  - power_loss crashes every member now: the `choice` seed picks, per disk,
//    which cached and in-flight writes persist (faults crash model), then the
//    array is assembled from the disks only and the checks run; later ops act
//    on the assembled array;
//  - fail_disk / remove_disk / readd_disk / bad_block / slow_disk act on one
//    member; start_resync starts a resync action; daemon_tick advances to the
//    next intent daemon pass.
//
// Invariants: to_json(from_json(j)) == j for every op this module writes, so a
// counterexample saved by the harness replays exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/md/intent_backend.h"
#include "model/md/mutants.h"

namespace mdsim::faults {

enum class OpKind : uint8_t {
  write, discard, flush, advance, wait, power_loss, fail_disk, remove_disk,
  readd_disk, bad_block, slow_disk, start_resync, daemon_tick, write_error,
};
std::string_view op_kind_name(OpKind k);
std::optional<OpKind> op_kind_from_name(std::string_view name);

struct Op {
  OpKind kind = OpKind::write;
  uint64_t sector = 0;    // write, discard, bad_block (array / member data sector)
  uint64_t sectors = 0;   // write, discard, bad_block
  bool batch = false;     // write: join the previous write's submission call
  bool fua = false;       // write: REQ_FUA (durable when acknowledged)
  bool preflush = false;  // write: REQ_PREFLUSH (md flushes every member first)
  int64_t ns = 0;         // advance, wait (0 = no limit for wait)
  int disk = 0;           // fail/remove/readd/bad_block/slow_disk
  uint32_t factor = 1;    // slow_disk
  uint64_t choice = 0;    // power_loss: seed of the persisted-subset choice
  bool operator==(const Op&) const = default;
};

// The array and disk setup an ops list runs on (a subset of the scenario keys).
struct OpsSetup {
  std::string name = "ops";
  uint64_t seed = 1;
  int level = 1;
  int disks = 2;
  uint64_t size_bytes = 64ull << 20;         // per member (array.size)
  uint64_t raid_chunk_sectors = 0;           // raid10 / raid5 array.chunk; 0 = md default
  uint32_t raid_layout = 0;                  // md layout code; 0 = level default (n2, left-symmetric)
  md::IntentOptions intent;
  bool assume_clean = true;
  std::string disk_profile = "nvme";
  bool write_cache_volatile = true;
  md::MutantSet mutants;
  std::vector<std::string> checks{"coverage", "convergence", "durability",
                                  "intent_before_data"};
};

struct OpsScenario {
  OpsSetup setup;
  std::vector<Op> ops;
};

nlohmann::json op_to_json(const Op& op);
// One line of compact JSON for reports.
std::string op_to_text(const Op& op);
// Throws std::invalid_argument naming the JSON pointer on bad input.
Op op_from_json(const nlohmann::json& j, const std::string& pointer);

// The whole scenario in contract form: name, seed, array, disk, ops, checks
// (+ "mutants" when any is on: the harness's extension, ignored by md itself).
nlohmann::json scenario_to_json(const OpsScenario& s);
OpsScenario scenario_from_json(const nlohmann::json& j);

// Parses "64KiB", "1GiB", or a plain integer (bytes). Throws on bad input.
uint64_t parse_size_bytes(const nlohmann::json& v, const std::string& pointer);

}  // namespace mdsim::faults
