#include "model/md/raid_geometry.h"

#include <algorithm>

#include "model/md/array.h"
#include "sim/assert.h"

namespace mdsim::md {

uint32_t RaidGeometry::layout_of(const ArrayConfig& c) {
  if (c.layout != 0) return c.layout;
  if (c.level == 10) return kRaid10LayoutNear2;
  if (c.level == 5) return kRaid5LeftSymmetric;
  return 0;
}

uint32_t RaidGeometry::chunk_of(const ArrayConfig& c) {
  if (c.level == 1) return 0;
  return c.chunk_sectors != 0 ? c.chunk_sectors : kDefaultRaidChunkSectors;
}

uint64_t RaidGeometry::round_dev_sectors(const ArrayConfig& c, uint64_t dev_sectors) {
  const uint64_t chunk = chunk_of(c);
  if (chunk == 0) return dev_sectors;
  return dev_sectors / chunk * chunk;
}

RaidGeometry RaidGeometry::from(const ArrayConfig& c, uint64_t dev_sectors) {
  RaidGeometry g;
  g.level = c.level;
  g.raid_disks = c.raid_disks;
  g.dev_sectors = dev_sectors;
  SIM_ASSERT_MSG(c.level == 1 || c.level == 10 || c.level == 5, "unsupported raid level");
  if (c.level == 1) return g;
  g.chunk_sectors = chunk_of(c);
  SIM_ASSERT_MSG((g.chunk_sectors & (g.chunk_sectors - 1)) == 0 && g.chunk_sectors >= 8,
                 "raid chunk must be a power of two >= 4 KiB");
  SIM_ASSERT(dev_sectors % g.chunk_sectors == 0);
  const uint32_t layout = layout_of(c);
  if (c.level == 10) {
    // setup_geo: near copies in bits 0..7, far copies in 8..15, offset in
    // bit 16; far sets (bits 17+) are not modelled. Far / offset only with
    // one near copy (mdadm's f2 / o2 and alike).
    g.near_copies = static_cast<int>(layout & 0xff);
    g.far_copies = static_cast<int>((layout >> 8) & 0xff);
    g.far_offset = ((layout >> 16) & 1) != 0;
    SIM_ASSERT_MSG((layout >> 17) == 0, "raid10: far sets are not modelled");
    SIM_ASSERT_MSG(g.far_copies == 1 ? !g.far_offset : g.near_copies == 1,
                   "raid10: only near layouts, or far / offset with one near copy, are modelled");
    SIM_ASSERT(g.r10_copies() >= 2 && g.r10_copies() <= c.raid_disks);
  } else {
    SIM_ASSERT_MSG(layout == kRaid5LeftSymmetric, "raid5: only left-symmetric is modelled");
    SIM_ASSERT(c.raid_disks >= 3);
  }
  return g;
}

uint64_t RaidGeometry::array_sectors() const {
  switch (level) {
    case 10: {
      // raid10_size: device chunks / far, times the disks, / near.
      const uint64_t dev_chunks = dev_sectors / chunk_sectors / far_copies;
      return dev_chunks * static_cast<uint64_t>(raid_disks) / near_copies * chunk_sectors;
    }
    case 5: return dev_sectors * static_cast<uint64_t>(data_disks());
    default: return dev_sectors;
  }
}

uint64_t RaidGeometry::intent_sectors() const {
  return level == 10 ? array_sectors() : dev_sectors;
}

uint64_t RaidGeometry::r10_stride() const {
  // calc_sectors: one device chunk for offset, else the device's share of
  // each far section.
  if (far_copies == 1) return 0;
  return far_offset ? chunk_sectors : dev_sectors / chunk_sectors / far_copies * chunk_sectors;
}

int RaidGeometry::r10_slot(uint64_t a, int k) const {
  // __raid10_find_phys: near copy n = k / far on consecutive slots, its far
  // copy f = k % far near_copies slots further on.
  SIM_ASSERT(k >= 0 && k < r10_copies());
  const uint64_t v = (a / chunk_sectors) * near_copies + static_cast<uint64_t>(k / far_copies);
  return static_cast<int>((v + static_cast<uint64_t>(k % far_copies) * near_copies) % raid_disks);
}

uint64_t RaidGeometry::r10_dev(uint64_t a, int k) const {
  SIM_ASSERT(k >= 0 && k < r10_copies());
  const uint64_t v = (a / chunk_sectors) * near_copies + static_cast<uint64_t>(k / far_copies);
  const uint64_t row = v / raid_disks;
  const uint64_t f = static_cast<uint64_t>(k % far_copies);
  const uint64_t off = a % chunk_sectors;
  if (far_offset) return (row * far_copies + f) * chunk_sectors + off;
  return row * chunk_sectors + f * r10_stride() + off;
}

uint64_t RaidGeometry::r10_array_of(int slot, uint64_t dev) const {
  // raid10_find_virt: back to the first copy's place, then the chunk.
  uint64_t row = dev / chunk_sectors;
  uint64_t f = 0;
  if (far_copies > 1 && far_offset) {
    f = row % far_copies;
    row /= far_copies;
  } else if (far_copies > 1) {
    if (r10_stride() == 0) return kNoSector;  // a member smaller than far_copies chunks holds nothing
    f = dev / r10_stride();
    if (f >= static_cast<uint64_t>(far_copies)) return kNoSector;
    row = (dev - f * r10_stride()) / chunk_sectors;
  }
  const uint64_t d = (static_cast<uint64_t>(slot) + raid_disks * near_copies * f - f * near_copies) % raid_disks;
  const uint64_t chunk = (row * raid_disks + d) / near_copies;
  if (chunk >= array_chunks()) return kNoSector;
  return chunk * chunk_sectors + dev % chunk_sectors;
}

int RaidGeometry::r5_parity_slot(uint64_t row) const {
  return data_disks() - static_cast<int>(row % raid_disks);
}

int RaidGeometry::r5_data_slot(uint64_t row, int index) const {
  return (r5_parity_slot(row) + 1 + index) % raid_disks;
}

int RaidGeometry::r5_index_of_slot(uint64_t row, int slot) const {
  const int p = r5_parity_slot(row);
  if (slot == p) return -1;
  return (slot - p - 1 + raid_disks) % raid_disks;
}

RaidGeometry::R5Loc RaidGeometry::r5_map(uint64_t a) const {
  const uint64_t chunk = a / chunk_sectors;
  R5Loc l;
  l.row = chunk / data_disks();
  l.index = static_cast<int>(chunk % data_disks());
  l.slot = r5_data_slot(l.row, l.index);
  l.dev = l.row * chunk_sectors + a % chunk_sectors;
  return l;
}

uint64_t RaidGeometry::r5_array_of(uint64_t row, int index, uint64_t offset_in_chunk) const {
  return (row * data_disks() + index) * chunk_sectors + offset_in_chunk;
}

disk::SectorRange RaidGeometry::r5_dev_span(uint64_t row, int index, uint64_t a, uint64_t n) const {
  const uint64_t a0 = r5_array_of(row, index, 0);
  const uint64_t b = std::max(a, a0), e = std::min(a + n, a0 + chunk_sectors);
  if (b >= e) return disk::SectorRange{};
  return disk::SectorRange{disk::Sector(row * chunk_sectors + (b - a0)), disk::SectorCount(e - b)};
}

disk::SectorRange RaidGeometry::intent_range(uint64_t a, uint64_t n) const {
  if (level != 5) return disk::SectorRange{disk::Sector(a), disk::SectorCount(n)};
  // raid5_bitmap_sector: round to whole rows (stripe = chunk * data disks),
  // then divide by the data disks (with sector division, fix 3.8 row 22).
  const uint64_t stripe = chunk_sectors * data_disks();
  const uint64_t lo = a / stripe * stripe;
  const uint64_t hi = (a + n + stripe - 1) / stripe * stripe;
  return disk::SectorRange{disk::Sector(lo / data_disks()),
                           disk::SectorCount((hi - lo) / data_disks())};
}

disk::SectorRange RaidGeometry::intent_of_member(int slot, uint64_t dev, uint64_t n) const {
  if (level != 10) return disk::SectorRange{disk::Sector(dev), disk::SectorCount(n)};
  SIM_ASSERT(n == 0 || dev / chunk_sectors == (dev + n - 1) / chunk_sectors);
  const uint64_t a = r10_array_of(slot, dev);
  if (a == kNoSector) return disk::SectorRange{disk::Sector(0), disk::SectorCount(0)};
  return disk::SectorRange{disk::Sector(a), disk::SectorCount(n)};
}

}  // namespace mdsim::md
