#include "model/disk/latency.h"

#include "model/disk/disk.h"
#include "sim/assert.h"

namespace mdsim::disk {

namespace {

LatencySpec ramdisk_spec() {
  return LatencySpec{.read_ns = 1'000,
                     .write_cache_ns = 1'000,
                     .media_program_ns = 0,
                     .transfer_ns_per_kib = 100,
                     .media_ns_per_kib = 0,
                     .flush_base_ns = 1'000,
                     .flush_ns_per_dirty_write = 0,
                     .jitter_permille = 0,
                     .channels = 8};
}

LatencySpec nvme_spec() {
  return LatencySpec{.read_ns = 80'000,
                     .write_cache_ns = 15'000,
                     .media_program_ns = 30'000,
                     .transfer_ns_per_kib = 330,
                     .media_ns_per_kib = 500,
                     .flush_base_ns = 20'000,
                     .flush_ns_per_dirty_write = 1'000,
                     .jitter_permille = 100,
                     .channels = 32};
}

LatencySpec sata_ssd_spec() {
  return LatencySpec{.read_ns = 120'000,
                     .write_cache_ns = 40'000,
                     .media_program_ns = 250'000,
                     .transfer_ns_per_kib = 1'900,
                     .media_ns_per_kib = 2'000,
                     .flush_base_ns = 300'000,
                     .flush_ns_per_dirty_write = 5'000,
                     .jitter_permille = 200,
                     .channels = 4};
}

LatencySpec hdd_spec() {
  return LatencySpec{.read_ns = 100'000,
                     .write_cache_ns = 30'000,
                     .media_program_ns = 0,
                     .transfer_ns_per_kib = 6'700,
                     .media_ns_per_kib = 6'700,
                     .flush_base_ns = 100'000,
                     .flush_ns_per_dirty_write = 8'000'000,
                     .jitter_permille = 50,
                     .channels = 1,
                     .mechanical = true,
                     .seek_min_ns = 500'000,
                     .seek_max_ns = 15'000'000,
                     .rotation_ns = 8'333'333};
}

uint64_t isqrt(uint64_t x) {
  uint64_t r = 0;
  for (uint64_t bit = 1ull << 62; bit != 0; bit >>= 2) {
    if (x >= r + bit) {
      x -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
  }
  return r;
}

}  // namespace

LatencySpec latency_spec(Profile p) {
  switch (p) {
    case Profile::ramdisk:
      return ramdisk_spec();
    case Profile::nvme:
      return nvme_spec();
    case Profile::sata_ssd:
      return sata_ssd_spec();
    case Profile::hdd:
      return hdd_spec();
  }
  SIM_ASSERT(false);
  return {};
}

sim::Duration access_time(const LatencySpec& spec, Sector head, Sector target, SectorCount capacity,
                          sim::Prng& rng) {
  if (!spec.mechanical) return sim::Duration::zero();
  SIM_ASSERT(capacity.value() > 0);
  const uint64_t dist =
      head > target ? head.value() - target.value() : target.value() - head.value();
  int64_t seek = 0;
  if (dist > 0) {
    // Seek time grows with the square root of the distance (arm acceleration),
    // computed on a 2^20 scale to stay in integers.
    const uint64_t frac = (dist << 20) / capacity.value();  // 0 .. 2^20
    const uint64_t root = isqrt(frac << 20);                // 0 .. 2^20
    seek = spec.seek_min_ns +
           static_cast<int64_t>(
               (static_cast<unsigned __int128>(spec.seek_max_ns - spec.seek_min_ns) * root) >> 20);
  }
  // A request that starts where the previous one ended streams on: the sector
  // is arriving under the head, so a sequential run (resync, recovery) pays
  // neither seek nor rotational delay. Any other target waits on average half
  // a revolution after the seek.
  if (dist == 0) return sim::Duration::zero();
  const int64_t rotation = static_cast<int64_t>(rng.below(static_cast<uint64_t>(spec.rotation_ns)));
  return sim::Duration::ns(seek + rotation);
}

sim::Duration with_jitter(const LatencySpec& spec, sim::Duration d, sim::Prng& rng) {
  SIM_ASSERT(d >= sim::Duration::zero());
  int64_t ns = d.count_ns();
  if (spec.jitter_permille > 0) {
    ns += ns * static_cast<int64_t>(rng.below(spec.jitter_permille + 1)) / 1000;
  }
  return sim::Duration::ns(ns < 1 ? 1 : ns);
}

}  // namespace mdsim::disk
