// Service-time model of a member disk, per device profile.
//
// Figures are typical datasheet values, rounded (see docs/disk-model.md):
//   ramdisk   ~1 us for everything, 8 channels, no jitter;
//   nvme      read ~80 us, write into the cache ~15 us, media program ~30 us,
//             ~3 GB/s transfer, 32 parallel channels, 10% jitter;
//   sata-ssd  read ~120 us, write into the cache ~40 us, program ~250 us,
//             ~530 MB/s, 4 channels, 20% jitter;
//   hdd       7200 rpm: seek by distance (0.5 ms track-to-track .. 15 ms full
//             stroke, square-root curve) + rotational latency (uniform in one
//             8.33 ms turn), ~150 MB/s, one channel (one head).
// A flush costs a base plus time proportional to the dirty data it must write
// (hdd: one average access per dirty write).
//
// Jitter is deterministic: it is drawn from the Prng the caller passes.
//
// Invariants: every duration returned is >= 1 ns; integer arithmetic only.
#pragma once

#include <cstdint>

#include "model/disk/sector.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace mdsim::disk {

enum class Profile : uint8_t;

struct LatencySpec {
  int64_t read_ns = 0;                   // command overhead of a read (plus media access)
  int64_t write_cache_ns = 0;            // a write completing into the volatile cache
  int64_t media_program_ns = 0;          // extra for a write that must reach media (FUA)
  int64_t transfer_ns_per_kib = 0;       // host transfer
  int64_t media_ns_per_kib = 0;          // media write bandwidth (FUA, flush destage)
  int64_t flush_base_ns = 0;             // a flush with nothing dirty
  int64_t flush_ns_per_dirty_write = 0;  // per cached write destaged (hdd: one access)
  uint32_t jitter_permille = 0;          // uniform extra in [0, jitter] of the latency
  uint32_t channels = 1;                 // requests serviced in parallel
  bool mechanical = false;               // seek + rotation for media accesses
  int64_t seek_min_ns = 0;               // track to track
  int64_t seek_max_ns = 0;               // full stroke
  int64_t rotation_ns = 0;               // one revolution
};

LatencySpec latency_spec(Profile p);

// Mechanical access time (seek from `head` to `target` plus rotational delay;
// zero when `target == head`, a sequential continuation);
// 0 for solid-state profiles. REQUIRES: capacity > 0.
sim::Duration access_time(const LatencySpec& spec, Sector head, Sector target, SectorCount capacity,
                          sim::Prng& rng);

// Adds deterministic jitter: d + d * U[0, jitter_permille] / 1000.
sim::Duration with_jitter(const LatencySpec& spec, sim::Duration d, sim::Prng& rng);

}  // namespace mdsim::disk
