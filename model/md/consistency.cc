#include "model/md/consistency.h"

#include <algorithm>

#include "model/md/array.h"
#include "model/md/md_array.h"
#include "sim/assert.h"

namespace mdsim::md {

namespace {

constexpr uint64_t kPageSectors = 64;  // DiskImage page

uint64_t word_at(const MemberImages& m, int slot, uint64_t dev) {
  return m.slots[slot]->word(m.data_offset + disk::SectorCount(dev));
}

// Data pages (64 dev sectors each) touched on any present slot, ascending.
std::vector<uint64_t> touched_dev_pages(const MemberImages& m) {
  std::vector<uint64_t> out;
  std::vector<uint64_t> pages;
  const uint64_t off = m.data_offset.value();
  for (const disk::DiskImage* img : m.slots) {
    if (!img) continue;
    pages.clear();
    img->touched_pages(pages);
    for (uint64_t p : pages) {
      const uint64_t first = p * kPageSectors, last = first + kPageSectors;
      if (last <= off) continue;
      const uint64_t lo = first < off ? 0 : first - off;
      const uint64_t hi = std::min(last - off, m.geo.dev_sectors);
      for (uint64_t d = lo / kPageSectors; d * kPageSectors < hi; ++d) out.push_back(d);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void add_sector(std::vector<disk::SectorRange>& out, uint64_t s) {
  if (!out.empty() && out.back().end().value() == s) {
    out.back().count = out.back().count + disk::SectorCount(1);
    return;
  }
  out.push_back(disk::SectorRange{disk::Sector(s), disk::SectorCount(1)});
}

std::vector<disk::SectorRange> normalize(std::vector<uint64_t> sectors) {
  std::sort(sectors.begin(), sectors.end());
  sectors.erase(std::unique(sectors.begin(), sectors.end()), sectors.end());
  std::vector<disk::SectorRange> out;
  for (uint64_t s : sectors) add_sector(out, s);
  return out;
}

bool readable(const MemberImages& m, int slot, uint64_t dev) {
  return m.slots[slot] && !(m.unreadable && m.unreadable(slot, dev));
}

bool raid1_bad(const MemberImages& m, uint64_t dev) {
  int first = -1;
  for (int s = 0; s < static_cast<int>(m.slots.size()); ++s) {
    if (!readable(m, s, dev)) continue;
    if (first < 0) first = s;
    else if (word_at(m, s, dev) != word_at(m, first, dev)) return true;
  }
  return false;
}

bool raid10_bad(const MemberImages& m, uint64_t a) {
  const RaidGeometry& g = m.geo;
  int first = -1;
  uint64_t w0 = 0;
  for (int k = 0; k < g.r10_copies(); ++k) {
    const int s = g.r10_slot(a, k);
    const uint64_t dev = g.r10_dev(a, k);
    if (!readable(m, s, dev)) continue;
    const uint64_t w = word_at(m, s, dev);
    if (first < 0) first = s, w0 = w;
    else if (w != w0) return true;
  }
  return false;
}

bool raid5_bad(const MemberImages& m, uint64_t dev) {
  uint64_t x = 0;
  for (int s = 0; s < m.geo.raid_disks; ++s)
    if (!readable(m, s, dev)) return false;  // degraded row: cannot be judged
  for (int s = 0; s < m.geo.raid_disks; ++s) x ^= word_at(m, s, dev);
  return x != 0;  // parity == XOR(data)  <=>  XOR of all members == 0
}

}  // namespace

SlotMap slot_map(Array& array, const std::vector<bool>* in_array) {
  Mddev& md = array.core();
  SlotMap map;
  map.geo = md.geo_;
  map.data_offset = md.data_offset();
  map.member_of_slot.assign(md.config_.raid_disks, -1);
  SIM_ASSERT(!in_array || in_array->size() == md.members_.size());
  for (const Member& mem : md.members_) {
    if (!mem.writable() || mem.raid_disk >= md.config_.raid_disks) continue;
    if (in_array && !(*in_array)[mem.index]) continue;
    map.member_of_slot[mem.raid_disk] = mem.index;
  }
  map.bad.resize(map.member_of_slot.size());
  for (size_t s = 0; s < map.member_of_slot.size(); ++s)
    if (map.member_of_slot[s] >= 0)
      for (const BadBlocks::Entry& e : md.members_[map.member_of_slot[s]].badblocks.entries())
        map.bad[s].push_back(disk::SectorRange{e.start, e.count});
  return map;
}

MemberImages images_of(const SlotMap& map, const std::vector<disk::DiskImage>& images) {
  MemberImages m;
  m.geo = map.geo;
  m.data_offset = map.data_offset;
  m.slots.assign(map.member_of_slot.size(), nullptr);
  for (size_t s = 0; s < map.member_of_slot.size(); ++s) {
    const int mem = map.member_of_slot[s];
    if (mem < 0) continue;
    SIM_ASSERT(static_cast<size_t>(mem) < images.size());
    m.slots[s] = &images[mem];
  }
  bool any_bad = false;
  for (const auto& b : map.bad) any_bad = any_bad || !b.empty();
  if (any_bad)
    m.unreadable = [bad = map.bad](int slot, uint64_t dev) {
      if (static_cast<size_t>(slot) >= bad.size()) return false;
      for (const disk::SectorRange& r : bad[slot])  // short lists (<= 512, sorted)
        if (r.contains(disk::Sector(dev))) return true;
      return false;
    };
  return m;
}

MemberImages member_images(Array& array, const std::vector<disk::DiskImage>& images) {
  SIM_ASSERT(images.size() == array.core().members_.size());
  return images_of(slot_map(array), images);
}

uint64_t intent_sector_of(const RaidGeometry& g, uint64_t a) {
  SIM_ASSERT(a < g.array_sectors());
  return g.level == 5 ? g.r5_map(a).dev : a;
}

uint64_t intent_sector_of_dev(const RaidGeometry& g, int slot, uint64_t dev) {
  if (dev >= g.dev_sectors) return kNoSector;
  return g.level == 10 ? g.r10_array_of(slot, dev) : dev;
}

void array_sectors_of(const RaidGeometry& g, uint64_t i, std::vector<uint64_t>& out) {
  if (g.level != 5) {
    out.push_back(i);
    return;
  }
  const uint64_t row = i / g.chunk_sectors, off = i % g.chunk_sectors;
  for (int k = 0; k < g.data_disks(); ++k) out.push_back(g.r5_array_of(row, k, off));
}

bool inconsistent_at(const MemberImages& m, uint64_t i) {
  if (m.geo.level == 10) return raid10_bad(m, i);
  if (i >= m.geo.dev_sectors) return false;
  return m.geo.level == 5 ? raid5_bad(m, i) : raid1_bad(m, i);
}

std::vector<uint64_t> slot_words(const MemberImages& m, uint64_t i) {
  std::vector<uint64_t> out(m.slots.size(), 0);
  if (m.geo.level == 10) {
    for (int k = 0; k < m.geo.r10_copies(); ++k) {
      const int s = m.geo.r10_slot(i, k);
      if (m.slots[s]) out[s] = word_at(m, s, m.geo.r10_dev(i, k));
    }
    return out;
  }
  for (size_t s = 0; s < m.slots.size(); ++s)
    if (m.slots[s] && i < m.geo.dev_sectors) out[s] = word_at(m, static_cast<int>(s), i);
  return out;
}

std::vector<CopyWord> copies_of(const MemberImages& m, uint64_t a) {
  std::vector<CopyWord> out;
  const RaidGeometry& g = m.geo;
  if (g.level == 1) {
    for (int s = 0; s < static_cast<int>(m.slots.size()); ++s)
      if (readable(m, s, a)) out.push_back({s, word_at(m, s, a)});
  } else if (g.level == 10) {
    for (int k = 0; k < g.r10_copies(); ++k) {
      const int s = g.r10_slot(a, k);
      if (readable(m, s, g.r10_dev(a, k))) out.push_back({s, word_at(m, s, g.r10_dev(a, k))});
    }
  } else {
    out.push_back({-1, array_word(m, a)});
  }
  return out;
}

std::vector<disk::SectorRange> inconsistent_ranges(const MemberImages& m) {
  SIM_ASSERT(static_cast<int>(m.slots.size()) == m.geo.raid_disks);
  std::vector<uint64_t> bad;
  for (uint64_t page : touched_dev_pages(m)) {
    const uint64_t lo = page * kPageSectors;
    const uint64_t hi = std::min(lo + kPageSectors, m.geo.dev_sectors);
    for (uint64_t dev = lo; dev < hi; ++dev) {
      if (m.geo.level != 10) {
        if (inconsistent_at(m, dev)) bad.push_back(dev);
        continue;
      }
      // Every array sector with a copy here, judged over all its copies.
      for (int s = 0; s < m.geo.raid_disks; ++s) {
        const uint64_t a = m.slots[s] ? intent_sector_of_dev(m.geo, s, dev) : kNoSector;
        if (a != kNoSector && raid10_bad(m, a)) bad.push_back(a);
      }
    }
  }
  return normalize(std::move(bad));
}

std::vector<uint64_t> inconsistent_chunks(const MemberImages& m, uint64_t chunk_sectors) {
  SIM_ASSERT(chunk_sectors > 0);
  std::vector<uint64_t> out;
  for (const disk::SectorRange& r : inconsistent_ranges(m)) {
    for (uint64_t c = r.start.value() / chunk_sectors; c * chunk_sectors < r.end().value(); ++c)
      if (out.empty() || out.back() != c) out.push_back(c);
  }
  return out;
}

bool covered_by(const std::vector<disk::SectorRange>& covered, disk::SectorRange r) {
  uint64_t s = r.start.value();
  const uint64_t e = r.end().value();
  for (const disk::SectorRange& c : covered) {
    if (c.end().value() <= s) continue;
    if (c.start.value() > s) return false;
    s = c.end().value();
    if (s >= e) return true;
  }
  return s >= e;
}

bool raid5_unreadable(const MemberImages& m, uint64_t a) {
  if (m.geo.level != 5) return false;
  const RaidGeometry::R5Loc l = m.geo.r5_map(a);
  if (readable(m, l.slot, l.dev)) return false;
  for (int s = 0; s < m.geo.raid_disks; ++s)
    if (s != l.slot && !readable(m, s, l.dev)) return true;
  return false;
}

uint64_t array_word(const MemberImages& m, uint64_t a) {
  const RaidGeometry& g = m.geo;
  SIM_ASSERT(a < g.array_sectors());
  if (g.level == 1) {
    for (int s = 0; s < g.raid_disks; ++s)
      if (readable(m, s, a)) return word_at(m, s, a);
    return 0;
  }
  if (g.level == 10) {
    for (int k = 0; k < g.r10_copies(); ++k)
      if (readable(m, g.r10_slot(a, k), g.r10_dev(a, k))) return word_at(m, g.r10_slot(a, k), g.r10_dev(a, k));
    return 0;
  }
  const RaidGeometry::R5Loc l = g.r5_map(a);
  if (readable(m, l.slot, l.dev)) return word_at(m, l.slot, l.dev);
  uint64_t x = 0;  // rebuilt from the rest of the row (raid5 reconstruct read)
  for (int s = 0; s < g.raid_disks; ++s)
    if (s != l.slot && m.slots[s]) x ^= word_at(m, s, l.dev);
  return x;
}

}  // namespace mdsim::md
