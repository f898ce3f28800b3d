// Random ops lists for stateful property testing and the mutant campaign, and
// a shrinker that minimises a failing list (delta debugging, then simpler
// parameters). Deterministic: everything comes from a sim::Prng.
//
// The generated mix: writes (sizes 1..64 sectors, overlapping, biased to a few
// hot chunks; some joined into one submission call), discards, flushes, waits,
// time advances across safemode / barrier_idle / daemon periods, power losses
// at any point (with a choice seed), member failure, removal, re-add, bad
// blocks, write errors, slow members, resync starts; and episodes built for
// orderings a flat mix rarely reaches: a degraded run and re-add, writes held
// in flight across daemon passes by a very slow member, and a slow resync
// interrupted by time, member failure / re-add and a second power loss.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "faults/ops.h"
#include "sim/prng.h"

namespace mdsim::faults {

struct GenConfig {
  uint64_t max_ops = 40;
  uint64_t array_sectors = 32768;   // the generated offsets stay below
  uint64_t chunk_sectors = 128;     // hot spots are chunk-sized
  int disks = 2;
  bool faults = true;               // member failure, removal, re-add, slow members
  bool media_errors = true;         // bad blocks and write errors (F2 fixed, docs/verification.md)
  bool power_loss = true;
  // raid level the ops run on: 5 adds parity episodes (partial-stripe writes
  // cut by a power loss, sometimes a member lost before the resync: the
  // write hole the runner must classify, not report). 1 / 10: no change.
  int level = 1;
  uint64_t raid_chunk_sectors = 1024;  // raid5 chunk (row = chunk * (disks-1))
  // Writes of the flat mix are FUA (1 in 8) or PREFLUSH (1 in 8). Off by
  // default: when off no random number is drawn for it, so the lists of a
  // fixed seed are the ones generated before the flags existed.
  bool user_flags = false;
};

std::vector<Op> generate_ops(sim::Prng& rng, const GenConfig& cfg);

// Returns a failing list no longer than `ops` that `fails` still rejects.
// REQUIRES: fails(ops). At most `budget` calls of fails.
std::vector<Op> shrink_ops(std::vector<Op> ops, const std::function<bool(const std::vector<Op>&)>& fails,
                           uint64_t budget = 400);

}  // namespace mdsim::faults
