// Data layout of the striped levels: where an array sector lives on the
// members (raid10 near layout, raid5 left-symmetric), and which range of
// "intent space" a member sector belongs to. Pure arithmetic (no IO, no
// time), shared by the raid10 / raid5 personalities and the consistency
// checker the verification harness uses (consistency.h).
//
// Units: "slot" = raid_disk role (0..raid_disks-1); "dev sector" = sector
// relative to the member's data_offset; "array sector" = user-visible sector.
//
// raid10 near-n (md layout 0x100 | n, far = 1): array chunk c has copies
// k = 0..n-1 at virtual index v = c*n + k, slot v % D, device chunk v / D
// (__raid10_find_phys). Intent space = array sectors (md's bitmap for raid10
// covers resync_max_sectors = the array size).
//
// raid10 far-f / offset-f with one near copy (md layout f << 8 | 1, plus bit
// 16 for offset; mdadm f2 = 0x201, o2 = 0x10201): array chunk c lies at
// slot c % D, row c / D; its copy k = 0..f-1 sits on slot (c + k) % D (far
// sets = all the devices). Far: device chunk row + k * (stride / chunk),
// stride = (device chunks / f) chunks, so copy 0 of every chunk is in the
// first 1/f of each device (raid0-like) and copy k in section k. Offset:
// device chunk row * f + k (the copies in adjacent device chunks).
//
// raid5 left-symmetric (ALGORITHM_LEFT_SYMMETRIC = 2): array chunk c sits in
// row r = c / (D-1) at data index i = c % (D-1); parity slot p = (D-1) - r % D;
// data slot (p + 1 + i) % D; dev sector r*chunk + offset (raid5_compute_sector).
// Intent space = dev sectors; a write's intent range is its array range
// rounded out to whole rows and divided by the data disks
// (raid5_bitmap_sector).
//
// Invariants: chunk_sectors is a power of two; dev_sectors is a multiple of it.
#pragma once

#include <cstdint>

#include "model/disk/sector.h"

namespace mdsim::md {

struct ArrayConfig;

inline constexpr uint32_t kDefaultRaidChunkSectors = 1024;  // mdadm default 512 KiB
inline constexpr uint32_t kRaid10LayoutNear2 = 0x102;      // near 2, far 1
inline constexpr uint32_t kRaid10LayoutFar2 = 0x201;       // near 1, far 2 (mdadm f2)
inline constexpr uint32_t kRaid10LayoutOffset2 = 0x10201;  // near 1, far 2, offset (mdadm o2)
inline constexpr uint32_t kRaid5LeftSymmetric = 2;          // ALGORITHM_LEFT_SYMMETRIC
inline constexpr uint64_t kNoSector = ~0ull;

struct RaidGeometry {
  int level = 1;
  int raid_disks = 2;
  uint64_t chunk_sectors = kDefaultRaidChunkSectors;  // raid10 / raid5 only
  int near_copies = 2;                                 // raid10 only
  int far_copies = 1;                                  // raid10: far / offset copies
  bool far_offset = false;                             // raid10: offset, not far
  uint64_t dev_sectors = 0;                            // per member, data area

  // From a (possibly defaulted) config. REQUIRES: supported level and layout.
  static RaidGeometry from(const ArrayConfig& c, uint64_t dev_sectors);
  // The config's layout/chunk with defaults applied (what the superblock stores).
  static uint32_t layout_of(const ArrayConfig& c);
  static uint32_t chunk_of(const ArrayConfig& c);
  // Per-member data size as md rounds it (to the chunk for raid10 / raid5).
  static uint64_t round_dev_sectors(const ArrayConfig& c, uint64_t dev_sectors);

  uint64_t array_sectors() const;
  uint64_t intent_sectors() const;  // length of intent space
  uint64_t array_chunks() const { return array_sectors() / chunk_sectors; }

  // --- raid10 ---------------------------------------------------------------
  // Copies of every chunk (conf->copies = near x far).
  int r10_copies() const { return near_copies * far_copies; }
  // Dev sectors between a far copy and the next (geo->stride).
  uint64_t r10_stride() const;
  // Copy k (0 .. r10_copies()-1, md's devs[] order) of array sector a: slot
  // and dev sector.
  int r10_slot(uint64_t a, int k) const;
  uint64_t r10_dev(uint64_t a, int k) const;
  // Inverse: the array sector stored at (slot, dev), or kNoSector when that
  // place holds no data (tail of the member).
  uint64_t r10_array_of(int slot, uint64_t dev) const;

  // --- raid5 ----------------------------------------------------------------
  int data_disks() const { return raid_disks - 1; }
  int r5_parity_slot(uint64_t row) const;
  int r5_data_slot(uint64_t row, int index) const;
  // The data index (0..D-2) held by slot in row, or -1 for the parity slot.
  int r5_index_of_slot(uint64_t row, int slot) const;
  struct R5Loc {
    uint64_t row = 0;
    int index = 0;   // data index in the row
    int slot = 0;
    uint64_t dev = 0;
  };
  R5Loc r5_map(uint64_t a) const;
  uint64_t r5_array_of(uint64_t row, int index, uint64_t offset_in_chunk) const;
  // Member (dev) sectors that the array write [a, a+n) covers in data index
  // `index` of raid5 row `row` (empty when it misses that chunk).
  disk::SectorRange r5_dev_span(uint64_t row, int index, uint64_t a, uint64_t n) const;

  // Intent-space range of the array write [a, a+n) (raid1: identity;
  // raid10: identity; raid5: raid5_bitmap_sector rounding).
  disk::SectorRange intent_range(uint64_t a, uint64_t n) const;
  // Intent-space range of a member data write at dev sector [dev, dev+n).
  // REQUIRES (raid10): the range does not cross a chunk.
  disk::SectorRange intent_of_member(int slot, uint64_t dev, uint64_t n) const;
};

}  // namespace mdsim::md
