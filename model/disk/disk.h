// A modeled member disk: sparse contents, a volatile write cache with exact
// FLUSH/FUA semantics, latency profiles, queue depth, and per-class counters.
//
// The crash model (see docs/crash-model.md) needs three layers per disk:
//   media        what survives power loss for sure;
//   cache        writes that completed into the volatile cache, in completion
//                order, not yet destaged (each may or may not survive);
//   in flight    writes submitted but not completed (may survive torn, at
//                logical-block granularity).
// capture() returns these layers without copying the media (copy-on-write), and
// a Disk can be built from a post-crash image (faults/crash_image.h).
//
// Invariants:
//  (1) a read returns, per sector, the content of the latest completed write
//      (cache over media), or 0 if never written;
//  (2) a flush completes only after every write that completed before the flush
//      was submitted is on media;
//  (3) a FUA write completes only once its own sectors are on media;
//  (4) memory grows with sectors touched, never with capacity.
#pragma once

#include <array>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/disk/io.h"
#include "model/disk/sector.h"
#include "model/disk/sector_store.h"
#include "sim/simulator.h"
#include "sim/trace.h"

namespace mdsim::disk {

enum class Profile : uint8_t { ramdisk, nvme, sata_ssd, hdd };
enum class CacheMode : uint8_t { volatile_cache, write_through };

struct DiskConfig {
  SectorCount capacity = SectorCount(1ull << 21);  // 1 GiB
  uint32_t logical_block_bytes = 512;              // 512 or 4096: atomic unit
  Profile profile = Profile::nvme;
  CacheMode cache = CacheMode::volatile_cache;
  bool fua_supported = true;
  uint32_t queue_depth = 64;      // requests accepted at once; more wait in FIFO
  // Cached writes are destaged to media in completion order, each this long after
  // it completed into the cache. 0 = only flushes destage.
  int64_t destage_delay_ns = 50'000'000;
  uint64_t seed = 0;              // latency jitter stream
};

struct IoCounters {
  uint64_t requests = 0;
  uint64_t bytes = 0;
};

struct DiskCounters {
  std::array<IoCounters, kIoClassCount> writes{};  // by class
  std::array<IoCounters, kIoClassCount> reads{};   // by class
  uint64_t flushes = 0;         // flush requests plus PREFLUSH bits handled
  uint64_t fua_writes = 0;
  uint64_t discards = 0;
  uint64_t errors = 0;
};

// Trace events of a disk (actor = the disk's name). Arguments:
//   disk.submit   [id, sector, count, op | flags << 8 | class << 16]
//   disk.complete [id, status, latency_ns, op | flags << 8 | class << 16]
//   disk.flush    [id, writes destaged, bytes destaged, 0]  (a flush or PREFLUSH took effect)
// flags: 1 = FUA, 2 = PREFLUSH. id is per disk, in submission order, from 1.
inline constexpr sim::TraceKind kTraceDiskSubmit{"disk.submit"};
inline constexpr sim::TraceKind kTraceDiskComplete{"disk.complete"};
inline constexpr sim::TraceKind kTraceDiskFlush{"disk.flush"};
inline constexpr uint64_t kTraceFlagFua = 1;
inline constexpr uint64_t kTraceFlagPreflush = 2;

class Disk {
 public:
  // Move-only, inline for small captures (sim/callback.h): a member write
  // hands its completion down several layers.
  using Done = sim::InlineFunction<void(IoResult)>;

  Disk(sim::Simulator& sim, std::string name, DiskConfig config);
  // A disk whose media starts as `image` (post-crash assembly).
  Disk(sim::Simulator& sim, std::string name, DiskConfig config, const DiskImage& image);
  ~Disk();
  Disk(const Disk&) = delete;
  Disk& operator=(const Disk&) = delete;

  // REQUIRES: range inside capacity and aligned to logical_block_bytes; write
  // payload matches count. `done` runs from a simulator event, never inline.
  void submit(IoRequest req, Done done);

  // Awaitable form: `IoResult r = co_await disk.io(req);`
  auto io(IoRequest req) {
    struct Awaiter {
      Disk& d;
      IoRequest req;
      IoResult result;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        d.submit(std::move(req), [this, h](IoResult r) {
          result = std::move(r);
          h.resume();
        });
      }
      IoResult await_resume() { return std::move(result); }
    };
    return Awaiter{*this, std::move(req), {}};
  }

  const std::string& name() const { return name_; }
  const DiskConfig& config() const { return config_; }
  SectorCount capacity() const { return config_.capacity; }
  const DiskCounters& counters() const { return counters_; }
  uint32_t inflight() const;

  // Inspection without IO or simulated time (checks, online invariants):
  uint64_t media_word(Sector s) const;      // what is on media now
  uint64_t current_word(Sector s) const;    // what a read would return now
  void media_bytes(Sector s, SectorCount n, std::vector<uint8_t>& out) const;
  // The media and the read view as images (O(1) copies share the tree).
  // current_image() (and current_word()) may first rebuild the read view from
  // media + the cache (cost: the cached writes; see docs/disk-model.md). Copy
  // the image to keep it: the reference only stays meaningful until the next
  // request completes (a view without readers is dropped).
  const DiskImage& media_image() const;
  const DiskImage& current_image() const;
  // Writes completed into the volatile cache and not yet on media.
  uint64_t cached_writes() const;
  uint64_t cached_bytes() const;

  // Fault hooks (set by faults/, see faults/fault_plan.h).
  void set_failed(bool failed);
  void set_missing(bool missing);
  void set_slow_factor(uint32_t factor);    // latency multiplier, 1 = normal
  void add_latency_spike(sim::Instant from, sim::Instant to, sim::Duration extra);
  // dm-dust: reads fail; a write repairs, unless sticky (then writes fail too).
  void add_bad_range(SectorRange r, bool sticky);
  void add_write_error_range(SectorRange r);        // writes to the range fail

  // Crash support: the three layers of the crash model at this instant.
  struct PendingWrite;
  struct CrashLayers;
  CrashLayers capture() const;

 private:
  struct Impl;
  sim::Simulator& sim_;
  std::string name_;
  DiskConfig config_;
  DiskCounters counters_;
  std::unique_ptr<Impl> impl_;
};

// One write (or discard) as the crash model sees it. Immutable once shared.
struct Disk::PendingWrite {
  uint64_t id = 0;               // request id on this disk (submission order)
  Sector sector;
  SectorCount count;
  IoClass io_class = IoClass::data;
  bool fua = false;
  bool discard = false;
  sim::Instant submitted_at;
  sim::Instant completed_at;     // valid once completed (cached writes)
  uint64_t completion_seq = 0;   // completion order on this disk; 0 = in flight
  // A PREFLUSH write: cached writes with completion_seq <= this reach media
  // before any of its payload does (blk-flush issues the data only after the
  // flush completed), so the crash model keeps them whenever it keeps a block.
  uint64_t preflush_cutoff_seq = 0;
  std::vector<uint64_t> words;   // one content word per sector
  std::vector<SectorBytesPtr> bytes;  // per sector for byte payloads, else empty
  // Per sector, 1 = a later write already put newer content on media (a FUA
  // write overtook this cached one): destaging must not regress it. Empty = none.
  std::vector<uint8_t> superseded;

  SectorRange range() const { return SectorRange{sector, count}; }
  // Applies sectors [first, first + n) of this write (relative to sector) to img,
  // skipping superseded sectors.
  void apply(DiskImage& img, uint64_t first, uint64_t n) const;
  void apply(DiskImage& img) const { apply(img, 0, count.value()); }
};

// The three crash-model layers of one disk at one instant (see top of file).
struct Disk::CrashLayers {
  std::string disk_name;
  sim::Instant at;
  uint32_t block_sectors = 1;  // atomic unit of torn writes, in sectors
  DiskImage media;
  std::vector<std::shared_ptr<const PendingWrite>> cached;     // completion order
  std::vector<std::shared_ptr<const PendingWrite>> in_flight;  // submission order
};

}  // namespace mdsim::disk
