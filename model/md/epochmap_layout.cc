#include "model/md/epochmap_layout.h"

#include <algorithm>

#include "model/md/bitmap_layout.h"
#include "model/md/intent_io.h"
#include "sim/prng.h"

namespace mdsim::md::epm {

namespace {
constexpr size_t kMagicAt = 0, kVersionAt = 4, kUuidAt = 8, kEventsAt = 24, kClearedAt = 32,
                 kSyncAt = 40, kIoAt = 48, kChunkAt = 52, kGroupAt = 56, kCpbAt = 60,
                 kBlocksAt = 64, kStateAt = 68, kEpochAt = 72;
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
  put_le32(b, kChunkAt, sb.chunk_sectors);
  put_le32(b, kGroupAt, sb.group_chunks);
  put_le32(b, kCpbAt, sb.chunks_per_block);
  put_le32(b, kBlocksAt, sb.blocks);
  put_le32(b, kStateAt, sb.state);
  put_le64(b, kEpochAt, sb.clean_epoch);
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
  sb.chunk_sectors = get_le32(b, kChunkAt);
  sb.group_chunks = get_le32(b, kGroupAt);
  sb.chunks_per_block = get_le32(b, kCpbAt);
  sb.blocks = get_le32(b, kBlocksAt);
  sb.state = get_le32(b, kStateAt);
  sb.clean_epoch = get_le64(b, kEpochAt);
  return sb;
}

std::optional<std::string> validate(const Superblock& sb, const std::array<uint8_t, 16>& uuid,
                                    uint32_t io_size) {
  if (sb.magic != kMagic) return "epochmap: bad magic";
  if (sb.version != kVersion) return "epochmap: unknown version";
  if (sb.uuid != uuid) return "epochmap: uuid mismatch";
  if (sb.io_size_bytes != io_size) return "epochmap: io size changed";
  const uint64_t c = sb.chunk_sectors;
  if (c == 0 || (c & (c - 1)) != 0) return "epochmap: chunk not a power of 2";
  if (sb.group_chunks == 0 || sb.chunks_per_block == 0 || sb.chunks_per_block % sb.group_chunks)
    return "epochmap: bad group geometry";
  if (sb.chunks_per_block > (io_size - kHeaderBytes) * 8) return "epochmap: block overflow";
  return std::nullopt;
}

// `group` is the infect unit and never more than a block's bits; the chunk
// (one bit) grows if a group would not fit in a block.
static Geometry shape(uint64_t sync_sectors, uint32_t io_size, uint64_t chunk, uint64_t group) {
  Geometry g;
  g.io_size = io_size;
  const uint32_t bits = (io_size - kHeaderBytes) * 8;
  while (group / chunk > bits) chunk <<= 1;
  g.chunk_sectors = chunk;
  g.chunks = (sync_sectors + chunk - 1) / chunk;
  g.group_chunks = static_cast<uint32_t>(std::max<uint64_t>(group / chunk, 1));
  g.chunks_per_block = bits / g.group_chunks * g.group_chunks;
  g.blocks = static_cast<uint32_t>((g.chunks + g.chunks_per_block - 1) / g.chunks_per_block);
  return g;
}

uint64_t group_sectors_for(disk::SectorCount sync_size, disk::SectorCount area, uint64_t chunk_bytes) {
  const BitmapChunkChoice c = choose_bitmap_chunk(sync_size, area, chunk_bytes);
  if (c.error.empty()) return c.chunk_bytes / 512;
  return chunk_bytes ? std::max<uint64_t>(chunk_bytes / 512, 8) : kGroupSectors;
}

Geometry plan(disk::SectorCount sync_size, disk::SectorCount area, uint32_t io_size,
              uint64_t chunk_bytes) {
  const uint64_t area_blocks = area.bytes() / io_size;
  SIM_ASSERT_MSG(area_blocks >= 2, "epochmap: intent area too small");
  uint64_t group = group_sectors_for(sync_size, area, chunk_bytes);
  uint64_t chunk = std::min(kMinChunkSectors, group);
  Geometry g = shape(sync_size.value(), io_size, chunk, group);
  while (g.blocks > area_blocks - 1) {
    chunk = g.chunk_sectors << 1;
    group = std::max(group, chunk);
    g = shape(sync_size.value(), io_size, chunk, group);
  }
  return g;
}

Geometry geometry_of(const Superblock& sb, disk::SectorCount sync_size) {
  Geometry g;
  g.io_size = sb.io_size_bytes;
  g.chunk_sectors = sb.chunk_sectors;
  g.group_chunks = sb.group_chunks;
  g.chunks_per_block = sb.chunks_per_block;
  g.blocks = sb.blocks;
  g.chunks = (sync_size.value() + g.chunk_sectors - 1) / g.chunk_sectors;
  return g;
}

uint32_t block_tag(const std::array<uint8_t, 16>& uuid) {
  uint64_t h = kMagic;
  for (uint8_t b : uuid) h = sim::mix64(h ^ b);
  const uint32_t t = static_cast<uint32_t>(h >> 32);
  return t == 0 ? 1 : t;
}

uint32_t tag_of(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t epoch_of(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[8 + i]) << (8 * i);
  return v;
}
void stamp(uint8_t* p, uint32_t tag, uint64_t epoch) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(tag >> (8 * i));
  for (int i = 4; i < 8; ++i) p[i] = 0;
  for (int i = 0; i < 8; ++i) p[8 + i] = static_cast<uint8_t>(epoch >> (8 * i));
}

}  // namespace mdsim::md::epm
