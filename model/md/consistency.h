// Level-generic redundancy checks over member images (no IO, no time): what
// the verification harness uses for "coverage" (every inconsistent place is
// marked by the intent record) and "convergence" (after resync nothing is
// inconsistent), for raid1, raid10 and raid5 alike.
//
// Everything is reported in INTENT SPACE, the space IntentBackend ranges use:
//   raid1  member data sectors: a sector where a present mirror differs from
//          the first present mirror;
//   raid10 array sectors: an array sector whose present copies differ;
//   raid5  member data sectors: a dev sector of a row where the parity
//          differs from the XOR of the data (the write hole). A row with a
//          missing slot cannot be judged and is skipped.
// Cost: proportional to the pages touched on the images (never to capacity).
#pragma once

#include <cstdint>
#include <vector>

#include "model/disk/sector.h"
#include "model/disk/sector_store.h"
#include "model/md/raid_geometry.h"

namespace mdsim::md {

class Array;

struct MemberImages {
  RaidGeometry geo;
  disk::Sector data_offset;                  // same on every member
  std::vector<const disk::DiskImage*> slots; // by raid_disk; nullptr = missing
};

// The geometry and data offset of a running (or assembled) array, with
// images[i] the image of member i (Array::members() order) placed in its slot.
// Members without a role, or faulty, are left out.
MemberImages member_images(Array& array, const std::vector<disk::DiskImage>& images);

// Sorted, disjoint, merged intent-space ranges where the redundancy disagrees.
std::vector<disk::SectorRange> inconsistent_ranges(const MemberImages& m);

// The same, as sorted unique chunk indexes of `chunk_sectors` (e.g. the
// backend's IntentBackend::chunk_sectors()). REQUIRES: chunk_sectors > 0.
std::vector<uint64_t> inconsistent_chunks(const MemberImages& m, uint64_t chunk_sectors);

// Is intent-space range r inside the union of `covered` (sorted ranges)?
bool covered_by(const std::vector<disk::SectorRange>& covered, disk::SectorRange r);

// The data word a read of array sector a would return from these images:
// raid1/raid10 the first present copy, raid5 the data slot or, when it is
// missing, the XOR of the rest of the row. REQUIRES: a < array sectors.
uint64_t array_word(const MemberImages& m, uint64_t a);

}  // namespace mdsim::md
