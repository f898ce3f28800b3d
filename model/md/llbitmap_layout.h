// llbitmap on-disk layout (md-internals 3.2, 3.3): a 1 KiB bitmap_super_t area
// (version 6 = BITMAP_MAJOR_LOCKLESS) at the start of the intent area, then one
// byte per chunk holding the llb::State number. Cached in memory as 4 KiB
// pages, written in io_size (= array logical block size) blocks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::md::llb {

inline constexpr uint32_t kBitmapMagic = 0x6d746962;  // "bitm"
inline constexpr uint32_t kVersionLockless = 6;
inline constexpr uint32_t kDataOffsetBytes = 1024;    // BITMAP_DATA_OFFSET
inline constexpr uint32_t kPageBytes = 4096;
inline constexpr uint64_t kMinChunkSectors = 128;     // 64 KiB
inline constexpr int64_t kDefaultDaemonSleepS = 30;
inline constexpr int64_t kDefaultBarrierIdleS = 5;

// bitmap_super_t state bits used by llbitmap.
inline constexpr uint32_t kStateStale = 1u << 1;
inline constexpr uint32_t kStateFirstUse = 1u << 3;
inline constexpr uint32_t kStateClean = 1u << 4;

struct Superblock {
  uint32_t magic = kBitmapMagic;
  uint32_t version = kVersionLockless;
  std::array<uint8_t, 16> uuid{};
  uint64_t events = 0;
  uint64_t events_cleared = 0;
  uint64_t sync_size_sectors = 0;
  uint32_t state = 0;
  uint32_t chunk_sectors = 0;
  uint32_t daemon_sleep_s = 0;
  uint32_t write_behind = 0;
  uint32_t sectors_reserved = 0;
};

// Field offsets follow bitmap_super_t (md-bitmap.h).
void encode_superblock(const Superblock& sb, std::vector<uint8_t>& area_bytes);
Superblock decode_superblock(const std::vector<uint8_t>& area_bytes);

// Chunk size rule of llbitmap_init: 64 KiB doubling while chunks > space bytes.
// REQUIRES: sync_size > 0, reserved > 0.
disk::SectorCount chunk_sectors_for(disk::SectorCount sync_size, disk::SectorCount reserved);
uint64_t chunk_count(disk::SectorCount sync_size, disk::SectorCount chunk);
uint32_t page_count(uint64_t chunks);  // ceil((1024 + chunks) / 4096)

// Validation of a stored superblock; returns an error text or nullopt.
std::optional<std::string> validate(const Superblock& sb, const std::array<uint8_t, 16>& uuid,
                                    disk::SectorCount sync_size, disk::SectorCount reserved);

}  // namespace mdsim::md::llb
