// On-disk layout of "epochmap", our intent design (docs/intent-ours.md).
//
// Intent area of every member, in io_size blocks:
//   block 0        superblock: magic, version, uuid, events, events_cleared,
//                  sync_size, chunk, group, chunks_per_block, blocks,
//                  clean_epoch, state
//   blocks 1..N    region blocks: 16-byte header {tag u32, pad u32, epoch u64}
//                  then one bit per chunk (bit set = chunk may be inconsistent)
//
// A region block counts only if its tag matches the array and its epoch is
// greater than the superblock's clean_epoch: advancing clean_epoch with ONE
// superblock write cleans every block stamped with an older epoch.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::md::epm {

inline constexpr uint32_t kMagic = 0x504d5045;  // "EPMP"
inline constexpr uint32_t kVersion = 1;
inline constexpr uint32_t kHeaderBytes = 16;
inline constexpr uint64_t kMinChunkSectors = 128;          // 64 KiB
inline constexpr uint64_t kGroupSectors = 131072;          // 64 MiB: fallback group
inline constexpr int64_t kDefaultDaemonSleepS = 1;
inline constexpr int64_t kDefaultCleanIdleS = 2;
inline constexpr uint32_t kStateStale = 1;

struct Superblock {
  uint32_t magic = kMagic;
  uint32_t version = kVersion;
  std::array<uint8_t, 16> uuid{};
  uint64_t events = 0;
  uint64_t events_cleared = 0;
  uint64_t sync_size_sectors = 0;
  uint32_t io_size_bytes = 512;
  uint32_t chunk_sectors = 0;
  uint32_t group_chunks = 0;
  uint32_t chunks_per_block = 0;
  uint32_t blocks = 0;
  uint32_t state = 0;
  uint64_t clean_epoch = 0;
};
std::vector<uint8_t> encode_superblock(const Superblock& sb, uint32_t io_size);
Superblock decode_superblock(const std::vector<uint8_t>& bytes);
std::optional<std::string> validate(const Superblock& sb, const std::array<uint8_t, 16>& uuid,
                                    uint32_t io_size);

struct Geometry {
  uint32_t io_size = 512;
  uint64_t chunk_sectors = 0;
  uint32_t group_chunks = 0;      // infect unit = the classic bitmap's chunk
  uint32_t chunks_per_block = 0;  // a multiple of group_chunks
  uint32_t blocks = 0;
  uint64_t chunks = 0;
  uint64_t block_offset_sectors(uint32_t b) const { return (1ull + b) * (io_size / 512); }
};
// The group (infect unit, the coarsest thing ours ever resyncs for a write)
// is the chunk the classic bitmap would use for the same array and option
// (choose_bitmap_chunk); the bit chunk is min(64 KiB, group), doubled (and
// the group with it) until the blocks fit the area.
uint64_t group_sectors_for(disk::SectorCount sync_size, disk::SectorCount area, uint64_t chunk_bytes);
// REQUIRES: the area holds at least 2 blocks.
Geometry plan(disk::SectorCount sync_size, disk::SectorCount area, uint32_t io_size,
              uint64_t chunk_bytes);
Geometry geometry_of(const Superblock& sb, disk::SectorCount sync_size);

uint32_t block_tag(const std::array<uint8_t, 16>& uuid);
// Header of a block's bytes.
uint32_t tag_of(const uint8_t* block);
uint64_t epoch_of(const uint8_t* block);
void stamp(uint8_t* block, uint32_t tag, uint64_t epoch);

}  // namespace mdsim::md::epm
