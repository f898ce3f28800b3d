#include "model/md/llbitmap_layout.h"

#include <algorithm>

#include "model/md/intent_io.h"

namespace mdsim::md::llb {

namespace {
// bitmap_super_t: magic 0, version 4, uuid 8, events 24, events_cleared 32,
// sync_size 40, state 48, chunksize 52, daemon_sleep 56, write_behind 60,
// sectors_reserved 64.
constexpr size_t kMagicAt = 0, kVersionAt = 4, kUuidAt = 8, kEventsAt = 24, kClearedAt = 32,
                 kSyncAt = 40, kStateAt = 48, kChunkAt = 52, kSleepAt = 56, kBehindAt = 60,
                 kReservedAt = 64;
}  // namespace

void encode_superblock(const Superblock& sb, std::vector<uint8_t>& b) {
  SIM_ASSERT(b.size() >= kDataOffsetBytes);
  std::fill(b.begin(), b.begin() + kDataOffsetBytes, 0);
  put_le32(b, kMagicAt, sb.magic);
  put_le32(b, kVersionAt, sb.version);
  std::copy(sb.uuid.begin(), sb.uuid.end(), b.begin() + kUuidAt);
  put_le64(b, kEventsAt, sb.events);
  put_le64(b, kClearedAt, sb.events_cleared);
  put_le64(b, kSyncAt, sb.sync_size_sectors);
  put_le32(b, kStateAt, sb.state);
  put_le32(b, kChunkAt, sb.chunk_sectors);
  put_le32(b, kSleepAt, sb.daemon_sleep_s);
  put_le32(b, kBehindAt, sb.write_behind);
  put_le32(b, kReservedAt, sb.sectors_reserved);
}

Superblock decode_superblock(const std::vector<uint8_t>& b) {
  Superblock sb;
  sb.magic = get_le32(b, kMagicAt);
  sb.version = get_le32(b, kVersionAt);
  if (b.size() >= kUuidAt + 16) std::copy(b.begin() + kUuidAt, b.begin() + kUuidAt + 16, sb.uuid.begin());
  sb.events = get_le64(b, kEventsAt);
  sb.events_cleared = get_le64(b, kClearedAt);
  sb.sync_size_sectors = get_le64(b, kSyncAt);
  sb.state = get_le32(b, kStateAt);
  sb.chunk_sectors = get_le32(b, kChunkAt);
  sb.daemon_sleep_s = get_le32(b, kSleepAt);
  sb.write_behind = get_le32(b, kBehindAt);
  sb.sectors_reserved = get_le32(b, kReservedAt);
  return sb;
}

uint64_t chunk_count(disk::SectorCount sync_size, disk::SectorCount chunk) {
  SIM_ASSERT(chunk.value() > 0);
  return (sync_size.value() + chunk.value() - 1) / chunk.value();
}

// llbitmap_init: note it compares with `space`, not `space - 1024` (3.3); we
// keep the kernel rule and clamp nothing (the area check is in validate()).
disk::SectorCount chunk_sectors_for(disk::SectorCount sync_size, disk::SectorCount reserved) {
  SIM_ASSERT(sync_size.value() > 0 && reserved.value() > 0);
  uint64_t chunk = kMinChunkSectors;
  const uint64_t space = reserved.bytes();
  while (chunk_count(sync_size, disk::SectorCount(chunk)) > space) chunk <<= 1;
  return disk::SectorCount(chunk);
}

uint32_t page_count(uint64_t chunks) {
  return static_cast<uint32_t>((kDataOffsetBytes + chunks + kPageBytes - 1) / kPageBytes);
}

std::optional<std::string> validate(const Superblock& sb, const std::array<uint8_t, 16>& uuid,
                                    disk::SectorCount sync_size, disk::SectorCount reserved) {
  if (sb.magic != kBitmapMagic) return "invalid super block magic number";
  if (sb.version != kVersionLockless) return "invalid super block version";
  if (sb.uuid != uuid) return "bitmap superblock UUID mismatch";
  if (sb.state & kStateFirstUse) return std::nullopt;  // initialised at load
  const uint64_t c = sb.chunk_sectors;
  if (c == 0 || (c & (c - 1)) != 0) return "chunksize not a power of 2";
  if (chunk_count(sync_size, disk::SectorCount(c)) > reserved.bytes()) return "chunksize too small";
  if (sb.daemon_sleep_s < 1) return "daemon sleep period out of range";
  return std::nullopt;
}

}  // namespace mdsim::md::llb
