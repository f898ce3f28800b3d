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
    // Only near layouts (far = 1, not offset): bits 8..15 = far copies = 1.
    SIM_ASSERT_MSG((layout >> 8) == 1, "raid10: only near layouts are modelled");
    g.near_copies = static_cast<int>(layout & 0xff);
    SIM_ASSERT(g.near_copies >= 2 && g.near_copies <= c.raid_disks);
  } else {
    SIM_ASSERT_MSG(layout == kRaid5LeftSymmetric, "raid5: only left-symmetric is modelled");
    SIM_ASSERT(c.raid_disks >= 3);
  }
  return g;
}

uint64_t RaidGeometry::array_sectors() const {
  switch (level) {
    case 10: {
      const uint64_t dev_chunks = dev_sectors / chunk_sectors;
      return dev_chunks * static_cast<uint64_t>(raid_disks) / near_copies * chunk_sectors;
    }
    case 5: return dev_sectors * static_cast<uint64_t>(data_disks());
    default: return dev_sectors;
  }
}

uint64_t RaidGeometry::intent_sectors() const {
  return level == 10 ? array_sectors() : dev_sectors;
}

int RaidGeometry::r10_slot(uint64_t a, int k) const {
  const uint64_t v = (a / chunk_sectors) * near_copies + k;
  return static_cast<int>(v % raid_disks);
}

uint64_t RaidGeometry::r10_dev(uint64_t a, int k) const {
  const uint64_t v = (a / chunk_sectors) * near_copies + k;
  return (v / raid_disks) * chunk_sectors + a % chunk_sectors;
}

uint64_t RaidGeometry::r10_array_of(int slot, uint64_t dev) const {
  const uint64_t v = (dev / chunk_sectors) * raid_disks + slot;
  const uint64_t chunk = v / near_copies;
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
