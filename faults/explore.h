// Crash-point exploration: power loss at every (or N sampled) event boundary
// of a run, and at each, many persisted-subset choices of the crash model
// (faults/crash_state.h), each checked from the disks only.
//
// How a crash state is checked cheaply:
//  - the run is executed once; at a chosen boundary the disks' layers are
//    captured (copy-on-write, O(1) in capacity) and the run continues after;
//  - for each choice the post-crash images are the captured media plus the
//    kept writes (cost: what the choice adds);
//  - assembly reads only metadata (superblock, intent area), so its outcome
//    (what will be resynced, which members are trusted) depends only on which
//    METADATA writes the choice keeps: it is memoised per crash point by that
//    key, and a full assemble runs once per distinct key;
//  - coverage and durability walk only the sectors where the captured media
//    already differ between members plus the sectors the choice's kept data
//    writes touch: nothing else can differ.
// Deep states (every `deep_every`-th) are also assembled for real, resynced to
// the end and checked for convergence; every `double_crash_every`-th deep state
// loses power again part-way through that resync (double crash).
//
// Invariants: deterministic for a given setup, ops and config; stops at the
// first failure when stop_at_first_failure.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "faults/checks.h"
#include "faults/ops.h"
#include "faults/ops_runner.h"

namespace mdsim::faults {

struct ExploreConfig {
  std::optional<uint64_t> crash_points;  // nullopt = every event boundary
  uint32_t subset_kept_max = 1;          // bounded enumeration: subsets with <= k kept units
  bool prefixes = true;                  // completion-order prefixes
  uint64_t random_samples = 4;           // seeded random choices per point
  uint64_t choices_per_point_max = 64;   // cap over all modes at one point
  uint64_t deep_every = 0;               // 0 = no deep (resync + convergence) states
  uint64_t double_crash_every = 0;       // among deep states; 0 = none
  bool stop_at_first_failure = true;
  uint64_t seed = 1;                     // sampling of points and random choices
  // (done, total) in crash points; display only.
  std::function<void(uint64_t, uint64_t)> progress;
};

struct ExploreSummary {
  uint64_t events_total = 0;       // event boundaries in the run
  uint64_t crash_points = 0;       // boundaries explored
  uint64_t states = 0;             // crash states checked (coverage + durability)
  uint64_t assemblies = 0;         // real assemblies (memo misses + deep states)
  uint64_t refused = 0;            // states md refused to assemble
  uint64_t one_copy_window = 0;    // states only llbitmap's one-copy window explains (F31)
  uint64_t deep_states = 0;        // resynced to the end + convergence
  uint64_t double_crashes = 0;
  uint64_t split_checkpoints = 0;  // double crashes that left the checkpoint on some members only
  uint64_t failures = 0;
  Efficiency efficiency;           // summed over checked states
  std::optional<FailureReport> first_failure;
  uint64_t failing_event = 0;      // boundary of the first failure
};

ExploreSummary explore_ops(const OpsSetup& setup, std::span<const Op> ops,
                           const ExploreConfig& config);

}  // namespace mdsim::faults
