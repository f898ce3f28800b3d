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
#include <functional>
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
  // Optional: is dev sector `dev` of `slot` a recorded bad block? md never
  // reads data there (another copy, or the rest of the row, is used), so
  // such a place is left out like a missing slot. Empty = none.
  std::function<bool(int slot, uint64_t dev)> unreadable;
};

// Where an array's members sit, without the images: what an assembly tells
// the checks (kept after the assembled array is gone). member_of_slot[s] is
// the member index (Array::members() order) in slot s, or -1.
struct SlotMap {
  RaidGeometry geo;
  disk::Sector data_offset;
  std::vector<int> member_of_slot;
  // Per slot, the recorded bad blocks (dev sectors) md will not read data
  // from; images_of turns them into MemberImages::unreadable.
  std::vector<std::vector<disk::SectorRange>> bad;
};

// The slots of `array`: members with a role that are not faulty and, when
// `in_array` is given (by member index), have in_array[member] set; with
// their bad-block lists.
SlotMap slot_map(Array& array, const std::vector<bool>* in_array = nullptr);
// images[i] = image of member i. REQUIRES: images cover every mapped member.
MemberImages images_of(const SlotMap& map, const std::vector<disk::DiskImage>& images);

// The geometry and data offset of a running (or assembled) array, with
// images[i] the image of member i (Array::members() order) placed in its slot.
// Members without a role, or faulty, are left out.
MemberImages member_images(Array& array, const std::vector<disk::DiskImage>& images);

// --- intent space, one sector at a time ------------------------------------
// The intent-space sector judging array sector a: raid1 / raid10 a itself,
// raid5 the dev sector of a's row. REQUIRES: a < array sectors.
uint64_t intent_sector_of(const RaidGeometry& g, uint64_t a);
// The intent-space sector dev sector `dev` of `slot` belongs to (raid10: the
// array sector stored there), or kNoSector when it holds no data.
uint64_t intent_sector_of_dev(const RaidGeometry& g, int slot, uint64_t dev);
// The array sectors intent-space sector i judges (raid5: one per data slot
// of the row, by data index), appended to out.
void array_sectors_of(const RaidGeometry& g, uint64_t i, std::vector<uint64_t>& out);
// Does the redundancy disagree at intent-space sector i? (raid1 / raid10:
// readable present copies differ; raid5: the full, readable row does not XOR
// to zero.) A sector that cannot be judged is not inconsistent.
bool inconsistent_at(const MemberImages& m, uint64_t i);
// Every slot's word at the place(s) intent sector i judges, for reports
// (raid10: the slots of i's copies, others 0; missing slots read 0).
std::vector<uint64_t> slot_words(const MemberImages& m, uint64_t i);

// The readable copies of array sector a (raid1 / raid10: each present copy,
// with its slot), or for raid5 what a read returns (slot -1).
struct CopyWord {
  int slot = -1;
  uint64_t word = 0;
};
std::vector<CopyWord> copies_of(const MemberImages& m, uint64_t a);

// Sorted, disjoint, merged intent-space ranges where the redundancy disagrees.
std::vector<disk::SectorRange> inconsistent_ranges(const MemberImages& m);

// The same, as sorted unique chunk indexes of `chunk_sectors` (e.g. the
// backend's IntentBackend::chunk_sectors()). REQUIRES: chunk_sectors > 0.
std::vector<uint64_t> inconsistent_chunks(const MemberImages& m, uint64_t chunk_sectors);

// Is intent-space range r inside the union of `covered` (sorted ranges)?
bool covered_by(const std::vector<disk::SectorRange>& covered, disk::SectorRange r);

// raid5: the data block of array sector `a` and another block of its row are
// both lost (a missing slot, a recorded bad block): analyse_stripe counts
// more than max_degraded failed, so md fails a read there with EIO (L13).
// False on other levels.
bool raid5_unreadable(const MemberImages& m, uint64_t a);

// The data word a read of array sector a would return from these images:
// raid1/raid10 the first present copy, raid5 the data slot or, when it is
// missing, the XOR of the rest of the row. REQUIRES: a < array sectors.
uint64_t array_word(const MemberImages& m, uint64_t a);

}  // namespace mdsim::md
