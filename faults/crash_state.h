// Power loss: which writes survive, as explicit, enumerable choices.
//
// A CrashState is the crash-model layers (model/disk/disk.h) of every member at
// one instant. A CrashChoice says, per disk, which completed-but-unflushed
// writes persist and which logical blocks of in-flight writes persist (torn
// writes; a logical block is atomic). apply_crash() builds the post-crash media:
//
//   media  +  kept cached writes, in completion order
//          +  kept blocks of in-flight writes, in submission order
//
// over a copy-on-write copy of the pre-crash media, so its cost is proportional
// to the sectors the choice adds, not to the disk (see docs/crash-model.md).
//
// CrashChoiceEnumerator produces choices in three modes:
//   all_subsets(k)           every subset of the "units" (cached writes and
//                            in-flight logical blocks, over all disks) with at
//                            most k kept units; k >= units gives the power set;
//   all_subsets_dropping(k)  every subset with at most k units NOT kept;
//   completion_prefixes()    the cached writes of all disks merged in completion
//                            order, and each prefix of that order kept (the
//                            dm-log-writes replay model); nothing in flight kept;
//   random(seed, n)          n seeded samples: each cached write kept with
//                            probability 1/2, each in-flight write absent, whole,
//                            or torn (each block 1/2), 1/3 each.
//
// Invariants:
//  (1) every choice names valid indices, ascending, without duplicates;
//  (2) the enumeration is deterministic (same state and mode => same sequence);
//  (3) at most choices_max choices are produced (a named limit on every mode).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/disk/disk.h"
#include "sim/prng.h"

namespace mdsim::faults {

using disk::Disk;
using disk::DiskImage;

// Blocks (logical-block indices within the write) that persist of one in-flight write.
struct TornWrite {
  uint32_t write_index = 0;      // into CrashLayers::in_flight
  std::vector<uint32_t> blocks;  // ascending, non-empty
};

// What persists of one disk's volatile layers.
struct CrashChoice {
  std::vector<uint32_t> cached_kept;  // ascending indices into CrashLayers::cached
  std::vector<TornWrite> torn;        // ascending write_index
};

// A kept block of an in-flight PREFLUSH write implies its flush completed
// (blk-flush issues the payload only after the flush): adds to cached_kept
// every cached write that flush covers. Every enumerator applies it, and
// apply_crash honours it for hand-built choices too (F13).
void keep_preflushed(const Disk::CrashLayers& layers, CrashChoice& choice);

// The post-crash media of one disk. REQUIRES: choice indices valid for layers.
// A kept block of an in-flight PREFLUSH write also keeps every cached write
// that completed before that write was submitted (the flush ran first).
DiskImage apply_crash(const Disk::CrashLayers& layers, const CrashChoice& choice);

struct CrashState {
  std::vector<Disk::CrashLayers> disks;  // one per member, in member order
};
CrashState capture(const std::vector<const Disk*>& disks);

using CrashStateChoice = std::vector<CrashChoice>;  // one per disk of the state
std::vector<DiskImage> apply_crash(const CrashState& state, const CrashStateChoice& choice);

// Fresh member disks after the crash: empty caches, nothing in flight, media =
// images[i]. REQUIRES: equal sizes; configs[i].capacity == images[i].capacity().
std::vector<std::unique_ptr<Disk>> make_post_crash_disks(
    sim::Simulator& sim, const std::vector<std::string>& names,
    const std::vector<disk::DiskConfig>& configs, const std::vector<DiskImage>& images);

inline constexpr uint64_t kCrashChoicesMax = 1'000'000;

// REQUIRES: the CrashState outlives the enumerator.
class CrashChoiceEnumerator {
 public:
  static CrashChoiceEnumerator all_subsets(const CrashState& state, uint32_t kept_max,
                                           uint64_t choices_max = kCrashChoicesMax);
  static CrashChoiceEnumerator all_subsets_dropping(const CrashState& state, uint32_t dropped_max,
                                                    uint64_t choices_max = kCrashChoicesMax);
  static CrashChoiceEnumerator completion_prefixes(const CrashState& state,
                                                   uint64_t choices_max = kCrashChoicesMax);
  static CrashChoiceEnumerator random(const CrashState& state, uint64_t seed, uint64_t samples);

  // The enumerator keeps a pointer to the state: a temporary would dangle.
  static CrashChoiceEnumerator all_subsets(CrashState&&, uint32_t, uint64_t = 0) = delete;
  static CrashChoiceEnumerator all_subsets_dropping(CrashState&&, uint32_t, uint64_t = 0) = delete;
  static CrashChoiceEnumerator completion_prefixes(CrashState&&, uint64_t = 0) = delete;
  static CrashChoiceEnumerator random(CrashState&&, uint64_t, uint64_t) = delete;

  // Writes the next choice into out; false when the enumeration is over.
  bool next(CrashStateChoice& out);
  uint64_t produced() const { return produced_; }
  // Units of the subset modes: cached writes plus in-flight logical blocks.
  uint64_t unit_count() const { return units_.size(); }

 private:
  enum class Mode : uint8_t { subsets, subsets_dropping, prefixes, random };
  struct Unit {
    uint32_t disk;
    uint32_t write_index;
    bool in_flight;
    uint32_t block;
  };
  CrashChoiceEnumerator(const CrashState& state, Mode mode, uint64_t choices_max);
  bool next_subset(CrashStateChoice& out);
  bool next_prefix(CrashStateChoice& out);
  void next_random(CrashStateChoice& out);
  void build_from_units(const std::vector<uint8_t>& kept, CrashStateChoice& out) const;

  const CrashState* state_;
  Mode mode_;
  uint64_t choices_max_;
  uint64_t produced_ = 0;
  std::vector<Unit> units_;
  // subsets: current combination (indices into units_) of size k_, and bound.
  std::vector<uint32_t> comb_;
  uint32_t k_ = 0;
  uint32_t k_max_ = 0;
  bool first_of_k_ = true;
  // prefixes: cached writes in global completion order, as units.
  std::vector<Unit> order_;
  sim::Prng rng_{0};
};

}  // namespace mdsim::faults
