// The write-intent backend interface: our equivalent of the kernel's
// struct bitmap_operations (drivers/md/md-bitmap.h). Every backend (none,
// bitmap, llbitmap, journal, ours) implements it; the array core and the
// personalities only ever talk to this interface, so nothing raid1 does may
// depend on which backend is plugged in.
//
// Sector space: offsets here are in the backend's "intent space", sync_size
// sectors long: per-member data sectors for raid1/raid5 (bitmap_sector mapping),
// array sectors for raid10 (as md does).
//
// Ordering contract (the safety property the harness checks):
//   start_write(range) ... unplug() completes  ==>  the intent on the MEDIA of
//   every write target covers `range`, so the caller may submit data bios.
//   end_write(range) is called only after the data completed on every mirror.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/disk/disk.h"
#include "model/disk/sector.h"
#include "model/md/mutants.h"
#include "sim/simulator.h"
#include "sim/task.h"

namespace mdsim::md {

using disk::Sector;
using disk::SectorCount;
using disk::SectorRange;

// What a backend may use of the array (implemented by the md core).
class IntentHost {
 public:
  virtual ~IntentHost() = default;
  virtual sim::Simulator& sim() = 0;
  virtual int level() const = 0;                 // 1, 10, 5
  virtual SectorCount sync_size() const = 0;     // intent space length
  virtual uint64_t events() const = 0;           // md superblock events counter
  virtual bool degraded() const = 0;
  virtual const std::array<uint8_t, 16>& uuid() const = 0;
  virtual uint32_t logical_block_bytes() const = 0;
  // Metadata area on each member: absolute device sector and reserved length.
  virtual Sector intent_area_start() const = 0;
  virtual SectorCount intent_area_sectors() const = 0;
  // Members metadata is written to (raid_disk >= 0 and not Faulty), and the
  // members it may be read from (In_sync only: md-internals 3.8 row 7).
  virtual std::vector<int> metadata_write_targets() const = 0;
  virtual std::vector<int> metadata_read_sources() const = 0;
  virtual disk::Disk& member_disk(int member) = 0;
  // md_write_metadata to every write target: REQ_PREFLUSH|REQ_FUA|SYNC|META,
  // `offset` sectors into the intent area; completes when all have completed.
  virtual sim::Task write_metadata(SectorCount offset, std::vector<uint8_t> bytes,
                                   disk::IoClass cls) = 0;
  // Read `count` sectors of the intent area from one member.
  virtual sim::ValueTask<disk::IoResult> read_metadata(int member, SectorCount offset,
                                                       SectorCount count) = 0;
  // Set MD_RECOVERY_NEEDED and wake the md thread (a chunk needs resync).
  virtual void request_resync() = 0;
  // Start a background process owned by the array (e.g. a metadata write that
  // is not waited for); the array destroys it if it is still suspended when the
  // array goes away (power loss), so nothing leaks. [engine: added]
  virtual void spawn(sim::Task task) { sim().spawn(std::move(task)); }
};

// Result of looking up how far a sync answer holds (kernel's `sector_t *blocks`).
struct SyncAnswer {
  bool value = false;
  SectorCount blocks;  // the answer holds for [offset, offset + blocks)
};

class IntentBackend {
 public:
  virtual ~IntentBackend() = default;
  virtual std::string_view name() const = 0;
  // bitmap_operations->enabled(): false for `none`. raid1_add_bio_to_plug
  // submits directly (no plug, no unplug) when the backend is not enabled.
  // [engine: added]
  virtual bool enabled() const { return true; }

  // --- lifecycle -------------------------------------------------------
  // Format the on-disk record on every member (mdadm --create).
  virtual sim::Task create(bool assume_clean) = 0;
  // bitmap_load at assembly: read the record from an In_sync member, mark what
  // needs resync. `resync_offset` is the md superblock's recovery checkpoint
  // (MaxSector = clean shutdown).
  virtual sim::Task load(Sector resync_offset) = 0;
  // Write everything that is only in memory (stop, bitmap_flush).
  virtual sim::Task flush() = 0;
  // Written with each md superblock round, before the md superblock.
  virtual sim::Task update_sb() = 0;

  // --- write path (md_account_bio / md_end_clone_io) --------------------
  // May wait (counter overflow, llbitmap page barrier). An empty range is a
  // no-op (md-internals 3.8 row 20).
  virtual sim::Task start_write(Sector offset, SectorCount sectors) = 0;
  // start_write when it needs no waiting, without a coroutine frame (the
  // common case, once per user write): true = done, exactly as an awaited
  // start_write would have; false = nothing done, co_await start_write.
  // [perf: added]
  virtual bool try_start_write(Sector offset, SectorCount sectors) {
    (void)offset;
    (void)sectors;
    return false;
  }
  virtual void end_write(Sector offset, SectorCount sectors) = 0;
  virtual sim::Task start_discard(Sector offset, SectorCount sectors) = 0;
  virtual void end_discard(Sector offset, SectorCount sectors) = 0;
  // Persist every intent set since the last unplug, then complete.
  virtual sim::Task unplug() = 0;
  // unplug() when it would write nothing and wait for nothing, without a
  // coroutine frame: true = done (exactly as an awaited unplug); false =
  // nothing done, co_await unplug(). [perf: added]
  virtual bool try_unplug() { return false; }

  // --- behind writes -----------------------------------------------------
  virtual bool supports_behind_writes() const { return false; }
  virtual void start_behind_write() {}
  virtual void end_behind_write() {}

  // --- daemon (md_check_recovery -> bitmap daemon_work) -----------------
  // 0 = no daemon.
  virtual sim::Duration daemon_sleep() const = 0;
  virtual sim::Task daemon_work() = 0;

  // --- resync hooks (md_do_sync / sync_request) -------------------------
  virtual SyncAnswer start_sync(Sector offset, bool degraded) = 0;
  virtual void end_sync(Sector offset, bool aborted) = 0;
  virtual void close_sync() = 0;
  virtual sim::Task cond_end_sync(Sector sector, bool force) = 0;
  // True if the range starting at offset needs no sync at all (llbitmap).
  virtual SyncAnswer skip_sync_blocks(Sector offset) = 0;
  // False if the initial parity of this range was never built (raid456).
  virtual bool blocks_synced(Sector offset) const { (void)offset; return true; }
  // Is the loaded record asking for a resync of anything?
  virtual bool needs_sync() const = 0;

  // --- re-add (super_1_validate with a bitmap) ---------------------------
  // True if a member whose superblock says `member_events` may be re-added
  // with a partial, intent-guided recovery (else: full recovery).
  virtual bool can_partial_readd(uint64_t member_events) const = 0;

  // --- verification (no IO, no time) -------------------------------------
  // Does the intent stored on the MEDIA of `member` cover the range? (online
  // intent-before-data check; `none` answers true: it promises a full resync.)
  virtual bool media_covers(int member, Sector offset, SectorCount sectors) const = 0;
  // Ranges of intent space that the in-memory state marks for resync now.
  virtual std::vector<SectorRange> dirty_ranges() const = 0;
  // Chunk size in sectors (granularity of dirty_ranges); 0 if not chunked.
  virtual SectorCount chunk_sectors() const = 0;
  // One-line human description of the intent state of a range on a member's
  // media, for failure reports.
  virtual std::string describe_media(int member, Sector offset) const = 0;
};

enum class IntentType : uint8_t { none, bitmap, llbitmap, journal, ours };

struct IntentOptions {
  IntentType type = IntentType::bitmap;
  uint64_t chunk_bytes = 0;         // 0 = the backend's default rule
  int64_t daemon_sleep_s = -1;      // -1 = backend default
  int64_t barrier_idle_s = -1;      // llbitmap
  uint32_t write_behind = 0;        // bitmap: max outstanding behind writes
  uint64_t journal_bytes = 0;       // journal/ours: area size, 0 = default
  MutantSet mutants{};              // harness only: deliberate bugs (mutants.h)
};

std::unique_ptr<IntentBackend> make_intent_backend(IntentHost& host, const IntentOptions& opts);
const char* intent_type_name(IntentType t);

}  // namespace mdsim::md
