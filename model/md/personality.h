// The md personality interface (struct md_personality): what the md core asks
// of raid1 today and of raid10 / raid5 later. The core owns members, the
// superblock, events, safemode and the sync thread loop (md_do_sync); the
// personality owns the data path, its daemon thread (raid1d), the barrier and
// sync_request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "model/disk/sector.h"
#include "model/md/array.h"
#include "sim/frame_pool.h"
#include "sim/task.h"

namespace mdsim::md {

class Mddev;
class Plug;

// One user request inside the engine (the master bio).
struct MasterIo {
  // One per user IO: frames come from the coroutine frame pool (allocator
  // state only, see sim/frame_pool.h) rather than a malloc per user IO.
  static void* operator new(std::size_t n) { return sim::detail::frame_alloc(n); }
  static void operator delete(void* p, std::size_t n) noexcept { sim::detail::frame_free(p, n); }
  UserIo io;
  UserDone done;
  UserResult result;
  bool write_started = false;  // md_write_start taken (md_write_end due)
  int parts = 1;               // split at barrier units: completes when all did
  bool parts_ok = true;
};

enum class SyncKind : uint8_t { resync, recovery, check, repair };

class Personality {
 public:
  virtual ~Personality() = default;
  virtual int level() const = 0;
  virtual SectorCount array_sectors() const = 0;
  // Start the personality's thread (raid1d). Called once the array runs.
  virtual void run() = 0;
  // pers->make_request: REQUIRES io->io.op is write, read or discard.
  // `plug` is the submitter's plug, or null when the call has none.
  virtual sim::Task make_request(std::unique_ptr<MasterIo> io, Plug* plug) = 0;
  // blk_finish_plug of the submission call (raid1_unplug, from_schedule false).
  virtual sim::Task finish_plug(Plug& plug) = 0;
  // The submitter is about to sleep: hand the plugged bios to the daemon.
  virtual void unplug_from_schedule(Plug& plug) = 0;
  // pers->sync_request: handles [sector, ...) and returns sectors done or
  // skipped (> 0 unless sector >= max).
  virtual sim::ValueTask<SectorCount> sync_request(Sector sector, Sector max, SyncKind kind) = 0;
  // pers->error_handler (md_error). Returns false if the member was not failed
  // (last In_sync member: the array is marked broken instead).
  virtual bool error_handler(int member) = 0;
  // pers->hot_add_disk: a re-added member starts recovery.
  virtual void add_disk(int member, bool fullsync) = 0;
  virtual int degraded() const = 0;
  // raid456 refuses a dirty degraded start; raid1 does not.
  virtual bool refuses_dirty_degraded() const { return false; }
  // [raid: added] Intent-space range of a member data write at dev sector
  // [dev, dev+n) (online intent-before-data check): identity for raid1/raid5,
  // member -> array sectors for raid10.
  virtual SectorRange member_to_intent(int member, Sector dev, SectorCount n) const {
    (void)member;
    return SectorRange{dev, n};
  }
  // No request in flight in the personality (writes, reads, retries).
  virtual bool quiet() const = 0;
  // Stop the daemon thread (array stop).
  virtual void stop() = 0;
};

// [raid: added] pers factory by md level (1, 10, 5): personality_factory.cc.
std::unique_ptr<Personality> make_personality(Mddev& md);

}  // namespace mdsim::md
