// The properties of design.md §4, evaluated by the runner on one run (one
// crash point). raid1 addressing: array sector s lives at data_offset + s on
// every member, and intent space is the member's data area.
//
// Each check returns {held, detail}; detail names the first offending sector
// and what was found, so a failure can be read without a debugger.
#pragma once

#include <cstdint>
#include <vector>

#include "faults/oracle.h"
#include "model/disk/disk.h"
#include "model/md/array.h"
#include "model/run/result.h"

namespace mdsim::run {

struct MemberView {
  std::vector<const disk::DiskImage*> images;  // post-crash media, per member
  std::vector<bool> in_array;                  // member is in_sync in the assembled array
  disk::Sector data_offset;
};

struct CoverageOutcome {
  CheckOutcome check;
  uint64_t inconsistent_chunks = 0;
  uint64_t inconsistent_sectors = 0;
};

// Every sector where in-array members disagree right after the crash must be
// inside `covered` (intent space ranges the assembled array will resync).
// `chunk_sectors` groups inconsistent sectors into chunks for the count.
CoverageOutcome check_coverage(const faults::Oracle& oracle, const MemberView& v,
                               const std::vector<disk::SectorRange>& covered, bool everything_covered,
                               uint64_t chunk_sectors);

// After resync: in-array members agree on every written sector and hold a
// value the user could have seen.
CheckOutcome check_convergence(const faults::Oracle& oracle, const std::vector<disk::Disk*>& disks,
                               const std::vector<bool>& in_array, disk::Sector data_offset);

// Every sector with a durable write holds an allowed value on every in-array member.
CheckOutcome check_durability(const faults::Oracle& oracle, const std::vector<disk::Disk*>& disks,
                              const std::vector<bool>& in_array, disk::Sector data_offset);

}  // namespace mdsim::run
