// The intent-backend comparison of issues 4 and 8: raid1 on two nvme members
// (or raid10 near-2 / raid5 left-symmetric on `raid_disks` members), 4 KiB
// random writes over the whole array at a given iodepth (one IO per
// submission call), then power loss 0 s, 10 s and 60 s after the burst,
// assembly from the media only and the resync it needs.
//
// The crash keeps everything the even-numbered members had cached or in
// flight and nothing of the odd-numbered ones (raid1: member 0 keeps all,
// member 1 its media only; raid10 near-2: every copy pair is split; raid5:
// data and parity of a row are split: the write hole).
//
// Per (backend, iodepth) row: metadata writes and bytes per user write/byte
// (intent + md superblock member requests, summed over members, counted from
// the start of the burst until 60 s after it, so lazy clearing is included),
// flushes seen by the members (flush requests plus PREFLUSH bits), p50/p99
// write latency, and per crash instant the resync sectors plus three checks:
// coverage (every sector where the mirrors differ after the crash is marked
// by the loaded intent record; `none` promises a full resync), convergence
// (mirrors equal after the resync) and no online intent-before-data violation.
// Coverage and convergence are judged level-generically in INTENT SPACE
// (consistency.h: raid1 / raid5 member data sectors, raid10 array sectors);
// resync sectors are counted in the same space.
//
// `mdsim compare` (CLI) prints format_comparison(run_intent_comparison(opts)).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/disk/disk.h"
#include "model/md/intent_backend.h"

namespace mdsim::md {

struct CompareOptions {
  uint64_t seed = 1;
  int level = 1;                                   // 1, 10 or 5
  int raid_disks = 0;                              // 0 = level default (see members())
  SectorCount member_size = SectorCount(2097152);  // 1 GiB of data per member
  uint64_t ios = 20000;                            // user writes per burst
  uint32_t block_bytes = 4096;
  std::vector<uint32_t> iodepths{1, 32};
  std::vector<int64_t> crash_after_s{0, 10, 60};
  std::vector<IntentType> backends{IntentType::none, IntentType::bitmap, IntentType::llbitmap,
                                   IntentType::journal, IntentType::ours};
  disk::Profile profile = disk::Profile::nvme;
  // Members used: raid_disks, or 2 for raid1 and 4 for raid10 / raid5.
  int members() const { return raid_disks > 0 ? raid_disks : (level == 1 ? 2 : 4); }
};

struct CrashOutcome {
  int64_t after_s = 0;
  uint64_t resync_sectors = 0;
  uint64_t differing_sectors = 0;   // redundancy disagrees right after the crash (intent space)
  uint64_t uncovered_sectors = 0;   // of those, not marked by the intent record
  bool converged = false;
  std::string decision;             // assembly decision
};

struct CompareRow {
  int level = 1;
  IntentType type = IntentType::none;
  uint32_t iodepth = 1;
  uint64_t user_writes = 0;
  uint64_t user_bytes = 0;
  uint64_t meta_writes = 0;         // intent + superblock member requests
  uint64_t meta_bytes = 0;
  uint64_t intent_writes = 0;       // intent class only
  uint64_t flushes = 0;
  int64_t lat_p50_ns = 0;
  int64_t lat_p99_ns = 0;
  uint64_t intent_violations = 0;
  std::vector<CrashOutcome> crashes;
  bool properties_held() const;
};

// REQUIRES: opts.level in {1, 10, 5}; members() >= 2 (raid1), >= 2 (raid10),
// >= 3 (raid5).
std::vector<CompareRow> run_intent_comparison(const CompareOptions& opts);
CompareRow run_intent_comparison_row(const CompareOptions& opts, IntentType type, uint32_t iodepth);
// A Markdown table (one row per backend and iodepth) plus the check summary.
std::string format_comparison(const std::vector<CompareRow>& rows, const CompareOptions& opts);

}  // namespace mdsim::md
