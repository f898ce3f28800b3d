// The properties of design.md §4, evaluated by the runner on one run (one
// crash point), for raid1, raid10 and raid5 alike: redundancy is judged by
// model/md/consistency.h over member images (intent space: raid1/raid5 member
// data sectors, raid10 array sectors), values by the oracle in array sectors
// through md::array_word (what a read would return).
//
// Each check returns {held, detail}; detail names the first offending sector
// and what was found, so a failure can be read without a debugger.
#pragma once

#include <cstdint>
#include <vector>

#include "faults/oracle.h"
#include "model/disk/disk.h"
#include "model/md/array.h"
#include "model/md/consistency.h"
#include "model/run/result.h"

namespace mdsim::run {

struct CoverageOutcome {
  CheckOutcome check;
  uint64_t inconsistent_chunks = 0;
  uint64_t inconsistent_sectors = 0;
};

// The images of `array`'s members (images[d] = member d) restricted to the
// members with in_array[d] (in_sync, not faulty): only those must agree.
// REQUIRES: images.size() == in_array.size() == the array's member count.
md::MemberImages in_sync_images(md::Array& array, const std::vector<disk::DiskImage>& images,
                                const std::vector<bool>& in_array);

// Every intent-space sector where the redundancy disagrees right after the
// crash must be inside `covered` (the ranges the assembled array will
// resync). `chunk_sectors` (> 0) groups them into chunks for the count.
CoverageOutcome check_coverage(const md::MemberImages& m, const std::vector<disk::SectorRange>& covered,
                               bool everything_covered, uint64_t chunk_sectors);

// After resync: the redundancy agrees everywhere and every written array
// sector reads a value the user could have seen.
CheckOutcome check_convergence(const faults::Oracle& oracle, const md::MemberImages& m);

// Every array sector with a durable write reads an allowed value from every
// copy (raid1/raid10) or from its data slot (raid5).
CheckOutcome check_durability(const faults::Oracle& oracle, const md::MemberImages& m);

}  // namespace mdsim::run
