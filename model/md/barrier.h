// raid1's resync barrier (raid1.c wait_barrier / raise_barrier / freeze_array):
// normal IO and resync exclude each other per bucket of 64 MiB
// (BARRIER_UNIT_SECTOR_BITS = 17) hashed into 1024 buckets; freeze_array
// blocks all new IO and waits for the unqueued pending IO to drain.
//
// Invariants: counters never negative; at most kResyncDepth resync requests
// hold one bucket's barrier at once.
#pragma once

#include <array>
#include <cstdint>

#include "model/disk/sector.h"
#include "sim/task.h"
#include "sim/wait_queue.h"

namespace mdsim::md {

inline constexpr int kBarrierUnitSectorBits = 17;  // 64 MiB
inline constexpr int kBarrierBucketsNr = 1024;      // PAGE_SIZE / sizeof(atomic_t)
inline constexpr int kResyncDepth = 32;             // RESYNC_DEPTH

// sector_to_idx: hash_long(sector >> 17, 10).
int barrier_bucket(disk::Sector s);

class Barrier {
 public:
  explicit Barrier(sim::Simulator& sim) : wq_(sim) {}
  // True when wait_barrier would not sleep (caller may then skip the await).
  bool try_wait_barrier(disk::Sector s);
  sim::Task wait_barrier(disk::Sector s);       // normal write
  sim::Task wait_read_barrier(disk::Sector s);  // reads: only the freeze stops them
  void allow_barrier(disk::Sector s);
  sim::Task raise_barrier(disk::Sector s);      // resync
  void lower_barrier(disk::Sector s);
  // The caller holds `extra` pending requests itself (handle_read_error: 1).
  sim::Task freeze_array(int extra);
  void unfreeze_array();
  void queued(disk::Sector s, int delta);       // nr_queued (retry list)
  uint64_t pending_total() const { return pending_total_; }

 private:
  std::array<uint32_t, kBarrierBucketsNr> nr_pending_{};
  std::array<uint32_t, kBarrierBucketsNr> nr_waiting_{};
  std::array<uint32_t, kBarrierBucketsNr> barrier_{};
  uint64_t pending_total_ = 0;
  uint64_t queued_total_ = 0;
  bool frozen_ = false;
  sim::WaitQueue wq_;
};

}  // namespace mdsim::md
