#include "model/md/journal_format.h"

#include <algorithm>

#include "model/md/intent_io.h"
#include "sim/prng.h"

namespace mdsim::md::jrnl {

uint64_t pack(const Entry& e) {
  SIM_ASSERT(e.chunk_seq <= kMaxChunkSeq && e.nr_chunks <= kMaxNrChunks);
  return (e.chunk_seq << 16) | e.nr_chunks;
}

Entry unpack(uint64_t word) { return Entry{word >> 16, static_cast<uint32_t>(word & 0xffff)}; }

namespace {
constexpr size_t kMagicAt = 0, kVersionAt = 4, kUuidAt = 8, kEventsAt = 24, kClearedAt = 32,
                 kSyncAt = 40, kIoAt = 48, kSlotsAt = 52, kMissChunkAt = 56, kMissBlocksAt = 60,
                 kStateAt = 64;
}  // namespace

std::vector<uint8_t> encode_superblock(const Superblock& sb, uint32_t io_size) {
  std::vector<uint8_t> b(io_size, 0);
  put_le32(b, kMagicAt, sb.magic);
  put_le32(b, kVersionAt, sb.version);
  std::copy(sb.uuid.begin(), sb.uuid.end(), b.begin() + kUuidAt);
  put_le64(b, kEventsAt, sb.events);
  put_le64(b, kClearedAt, sb.events_cleared);
  put_le64(b, kSyncAt, sb.sync_size_sectors);
  put_le32(b, kIoAt, sb.io_size_bytes);
  put_le32(b, kSlotsAt, sb.ring_slots);
  put_le32(b, kMissChunkAt, sb.missing_chunk_sectors);
  put_le32(b, kMissBlocksAt, sb.missing_blocks);
  put_le32(b, kStateAt, sb.state);
  return b;
}

Superblock decode_superblock(const std::vector<uint8_t>& b) {
  Superblock sb;
  sb.magic = get_le32(b, kMagicAt);
  sb.version = get_le32(b, kVersionAt);
  if (b.size() >= kUuidAt + 16) std::copy(b.begin() + kUuidAt, b.begin() + kUuidAt + 16, sb.uuid.begin());
  sb.events = get_le64(b, kEventsAt);
  sb.events_cleared = get_le64(b, kClearedAt);
  sb.sync_size_sectors = get_le64(b, kSyncAt);
  sb.io_size_bytes = get_le32(b, kIoAt);
  sb.ring_slots = get_le32(b, kSlotsAt);
  sb.missing_chunk_sectors = get_le32(b, kMissChunkAt);
  sb.missing_blocks = get_le32(b, kMissBlocksAt);
  sb.state = get_le32(b, kStateAt);
  return sb;
}

std::optional<std::string> validate(const Superblock& sb, const std::array<uint8_t, 16>& uuid,
                                    uint32_t io_size) {
  if (sb.magic != kMagic) return "journal: bad magic";
  if (sb.version != kVersion) return "journal: unknown version";
  if (sb.uuid != uuid) return "journal: uuid mismatch";
  if (sb.io_size_bytes != io_size) return "journal: io size changed";
  if (sb.ring_slots < 4) return "journal: ring too small";
  const uint64_t m = sb.missing_chunk_sectors;
  if (m == 0 || (m & (m - 1)) != 0) return "journal: missing-set chunk not a power of 2";
  return std::nullopt;
}

uint32_t slot_tag(const std::array<uint8_t, 16>& uuid) {
  uint64_t h = kMagic;
  for (uint8_t b : uuid) h = sim::mix64(h ^ b);
  const uint32_t t = static_cast<uint32_t>(h);
  return t == 0 ? 1 : t;
}

uint32_t entries_per_slot(uint32_t io_size) { return (io_size - kSlotHeaderBytes) / 8; }

std::vector<uint8_t> encode_slot(uint32_t tag, uint64_t seq, const std::vector<Entry>& entries,
                                 uint32_t io_size) {
  SIM_ASSERT(entries.size() <= entries_per_slot(io_size));
  std::vector<uint8_t> b(io_size, 0);
  if (entries.empty()) return b;  // a cleared slot is all zero
  put_le32(b, 0, tag);
  b[4] = static_cast<uint8_t>(entries.size());
  b[5] = static_cast<uint8_t>(entries.size() >> 8);
  put_le64(b, 8, seq);
  for (size_t i = 0; i < entries.size(); ++i) put_le64(b, kSlotHeaderBytes + 8 * i, pack(entries[i]));
  return b;
}

std::vector<Entry> decode_slot(const uint8_t* p, uint32_t io_size, uint32_t tag) {
  std::vector<uint8_t> b(p, p + io_size);
  std::vector<Entry> out;
  if (get_le32(b, 0) != tag) return out;
  const uint32_t count = b[4] | (static_cast<uint32_t>(b[5]) << 8);
  if (count > entries_per_slot(io_size)) return out;
  for (uint32_t i = 0; i < count; ++i) {
    Entry e = unpack(get_le64(b, kSlotHeaderBytes + 8 * i));
    if (e.nr_chunks != 0) out.push_back(e);
  }
  return out;
}

void entries_for(disk::Sector offset, disk::SectorCount sectors, std::vector<Entry>& out) {
  if (sectors.value() == 0) return;
  uint64_t first = offset.value() / kEntryChunkSectors;
  const uint64_t last = (offset.value() + sectors.value() - 1) / kEntryChunkSectors;
  while (first <= last) {
    const uint64_t n = std::min<uint64_t>(last - first + 1, kMaxNrChunks);
    out.push_back(Entry{first, static_cast<uint32_t>(n)});
    first += n;
  }
}

Geometry plan(disk::SectorCount sync_size, disk::SectorCount area, uint32_t io_size,
              uint64_t ring_bytes) {
  Geometry g;
  g.io_size = io_size;
  const uint64_t area_blocks = area.bytes() / io_size;
  SIM_ASSERT_MSG(area_blocks >= 8, "journal: intent area too small");
  // The ring gets what was asked, but at most half the area.
  g.ring_slots = static_cast<uint32_t>(
      std::clamp<uint64_t>((ring_bytes ? ring_bytes : kDefaultRingBytes) / io_size, 4, area_blocks / 2));
  const uint64_t room_bits = (area_blocks - 1 - g.ring_slots) * io_size * 8;
  uint64_t chunk = kMinMissingChunkSectors;
  while ((sync_size.value() + chunk - 1) / chunk > room_bits) chunk <<= 1;
  g.missing_chunk_sectors = chunk;
  const uint64_t bits = (sync_size.value() + chunk - 1) / chunk;
  g.missing_blocks = static_cast<uint32_t>((bits + io_size * 8 - 1) / (io_size * 8));
  return g;
}

}  // namespace mdsim::md::jrnl
