// The classic bitmap's on-disk record: bitmap_super_t (md-bitmap.h, 256 bytes,
// little-endian) followed by one bit per chunk, and mdadm's chunk-size rule
// (super1.c add_internal_bitmap1).
//
// Invariants:
//  (1) encode_bitmap_super() writes exactly kBitmapSuperBytes bytes;
//  (2) bit b of the bitmap lives at byte 256 + b/8, bit b%8 (little-endian);
//  (3) decode(encode(x)) == x.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::md {

inline constexpr uint32_t kBitmapMagic = 0x6d746962;  // BITMAP_MAGIC
inline constexpr uint32_t kBitmapMajorHi = 4;          // BITMAP_MAJOR_HI
inline constexpr uint32_t kBitmapSuperBytes = 256;
inline constexpr uint32_t kBitmapPageBytes = 4096;     // PAGE_SIZE
inline constexpr uint32_t kBitmapStateStale = 1u << 1; // BITMAP_STALE
inline constexpr uint64_t kDefaultBitmapChunkBytes = 64ull << 20;  // mdadm: 64 MiB
inline constexpr uint32_t kDefaultDaemonSleepS = 5;    // DEFAULT_BITMAP_DELAY

struct BitmapSuper {
  // offset: field
  uint32_t version = kBitmapMajorHi;  //   4
  std::array<uint8_t, 16> uuid{};     //   8
  uint64_t events = 0;                //  24
  uint64_t events_cleared = 0;        //  32
  uint64_t sync_size = 0;             //  40 sectors
  uint32_t state = 0;                 //  48
  uint32_t chunksize = 0;             //  52 bytes
  uint32_t daemon_sleep = 0;          //  56 seconds
  uint32_t write_behind = 0;          //  60
  uint32_t sectors_reserved = 0;      //  64
  bool operator==(const BitmapSuper&) const = default;
};

void encode_bitmap_super(const BitmapSuper& sb, uint8_t* out256);
// nullopt unless magic and version 3..5 and a power-of-two chunksize >= 512.
std::optional<BitmapSuper> decode_bitmap_super(const uint8_t* in256);

struct BitmapChunkChoice {
  uint64_t chunk_bytes = 0;
  std::string error;  // non-empty: refused (mdadm's message)
};
// add_internal_bitmap1: room = reserved sectors (capped at 128 KiB when no
// chunk is given); max_bits = (room*512 - 256)*8; the smallest power-of-two
// chunk >= 4 KiB whose bit count fits; default max(that, 64 MiB). A given
// chunk that does not fit is refused: "Given bitmap chunk size not supported".
BitmapChunkChoice choose_bitmap_chunk(disk::SectorCount member_data,
                                      disk::SectorCount reserved, uint64_t requested_bytes);

}  // namespace mdsim::md
