// On-disk format of the intent journal (seed 000, last section; every choice
// the seed leaves open is pinned in docs/intent-journal.md).
//
// Intent area of every member (identical copies), in io_size blocks (the
// array's logical block size, 512 B or 4 KiB):
//   block 0                  journal superblock
//   blocks 1 .. 1+ring       the ring: one slot per block, one plug-round each
//   then                     the missing set: 1 bit per missing-chunk, written
//                            only while the array is degraded
//
// Slot: 16-byte header {tag u32, count u16, reserved u16, seq u64} then `count`
// 64-bit entries; a slot whose tag does not match the array is empty (zeroed
// slots are empty). Entry: chunk_seq in bits 63..16 (48 bits, first journal
// chunk), nr_chunks in bits 15..0 (1..65535; 0 = no entry).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::md::jrnl {

inline constexpr uint32_t kMagic = 0x4c4a444d;  // "MDJL"
inline constexpr uint32_t kVersion = 1;
inline constexpr uint32_t kSlotHeaderBytes = 16;
inline constexpr uint64_t kMaxChunkSeq = (1ull << 48) - 1;
inline constexpr uint32_t kMaxNrChunks = 0xffff;
inline constexpr uint64_t kEntryChunkSectors = 8;   // 4 KiB: the finest user write
inline constexpr uint64_t kMinMissingChunkSectors = 128;  // 64 KiB, doubling to fit
inline constexpr uint32_t kDefaultRingBytes = 64 * 1024;
inline constexpr uint32_t kStateStale = 1;

struct Entry {
  uint64_t chunk_seq = 0;
  uint32_t nr_chunks = 0;
  constexpr auto operator<=>(const Entry&) const = default;
};
uint64_t pack(const Entry& e);
Entry unpack(uint64_t word);

struct Superblock {
  uint32_t magic = kMagic;
  uint32_t version = kVersion;
  std::array<uint8_t, 16> uuid{};
  uint64_t events = 0;
  uint64_t events_cleared = 0;
  uint64_t sync_size_sectors = 0;
  uint32_t io_size_bytes = 512;
  uint32_t ring_slots = 0;
  uint32_t missing_chunk_sectors = 0;
  uint32_t missing_blocks = 0;
  uint32_t state = 0;
};
std::vector<uint8_t> encode_superblock(const Superblock& sb, uint32_t io_size);
Superblock decode_superblock(const std::vector<uint8_t>& bytes);
std::optional<std::string> validate(const Superblock& sb, const std::array<uint8_t, 16>& uuid,
                                    uint32_t io_size);

// The tag makes slots of another array (or stale garbage) read as empty.
uint32_t slot_tag(const std::array<uint8_t, 16>& uuid);
uint32_t entries_per_slot(uint32_t io_size);
std::vector<uint8_t> encode_slot(uint32_t tag, uint64_t seq, const std::vector<Entry>& entries,
                                 uint32_t io_size);
// Entries of a slot, or empty if the slot is empty / not ours / malformed.
std::vector<Entry> decode_slot(const uint8_t* bytes, uint32_t io_size, uint32_t tag);

// Splits a sector range into entries of at most kMaxNrChunks journal chunks.
void entries_for(disk::Sector offset, disk::SectorCount sectors, std::vector<Entry>& out);

struct Geometry {
  uint32_t io_size = 512;
  uint32_t ring_slots = 0;
  uint64_t missing_chunk_sectors = 0;
  uint32_t missing_blocks = 0;
  uint64_t ring_offset_sectors() const { return io_size / 512; }
  uint64_t missing_offset_sectors() const { return (1ull + ring_slots) * (io_size / 512); }
};
// REQUIRES: the area holds the superblock, >= 4 slots and the missing set.
Geometry plan(disk::SectorCount sync_size, disk::SectorCount area, uint32_t io_size,
              uint64_t ring_bytes);

}  // namespace mdsim::md::jrnl
