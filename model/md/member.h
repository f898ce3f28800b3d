// One member device of an array: our md_rdev. Flags follow the kernel's rdev
// flags (In_sync, Faulty, WriteMostly, WriteErrorSeen, Bitmap_sync) and its
// recovery_offset.
//
// Invariants: faulty => !in_sync; in_sync => recovery_offset == kMaxSector.
#pragma once

#include <cstdint>

#include "model/disk/disk.h"
#include "model/md/badblocks.h"
#include "sim/time.h"

namespace mdsim::md {

struct Member {
  disk::Disk* disk = nullptr;
  int index = 0;            // dev_number: slot in the array's disk list
  int raid_disk = -1;       // role; -1 = spare or removed
  int saved_raid_disk = -1; // the role it had before removal (rdev->saved_raid_disk)
  bool present = true;      // false after remove_member
  bool in_sync = false;
  bool faulty = false;
  bool write_mostly = false;
  bool write_error_seen = false;
  bool want_replacement = false;
  bool bitmap_sync = false; // re-added: recovery guided by the intent record
  disk::Sector recovery_offset = disk::Sector::max();
  uint64_t sb_events = 0;
  BadBlocks badblocks;
  uint32_t read_errors = 0;           // decayed by exceed_read_errors
  sim::Instant last_read_error;
  bool had_read_error = false;
  uint32_t corrected_read_errors = 0;
  uint32_t nr_pending = 0;            // in-flight requests (read balancing)
  // Write bios chosen for this member and held in a plug or the pending list
  // (md holds them in rdev->nr_pending from raid1/raid10_write_request on):
  // the member cannot be removed while any is queued (L11).
  uint32_t queued_writes = 0;

  // Readable for normal IO of [s, s+n)? (In_sync, or recovered past the range.)
  bool readable(disk::Sector s, disk::SectorCount n) const {
    if (faulty || !present || raid_disk < 0) return false;
    return in_sync || s + n <= recovery_offset;
  }
  // Receives writes (raid_disk >= 0 and not Faulty, incl. recovering members).
  bool writable() const { return present && !faulty && raid_disk >= 0; }
};

}  // namespace mdsim::md
