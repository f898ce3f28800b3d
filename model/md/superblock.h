// The v1.2 md superblock (mdp_superblock_1, include/uapi/linux/raid/md_p.h) in
// its real little-endian on-disk layout, and mdadm's v1.2 placement rules
// (super1.c). Byte offsets are given next to each field.
//
// Invariants:
//  (1) encode() produces exactly kSuperblockBytes bytes (one 512-byte sector:
//      256 bytes + 2 bytes per device role, max_dev <= 128);
//  (2) decode(encode(sb)) == sb for every field we use, and the checksum
//      (calc_sb_1_csum) verifies.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::md {

inline constexpr uint32_t kSbMagic = 0xa92b4efc;        // MD_SB_MAGIC
inline constexpr uint64_t kSbSector = 8;                // v1.2: 4 KiB from the start
inline constexpr uint32_t kSuperblockBytes = 512;
inline constexpr uint32_t kMaxDevRoles = 128;           // fits one sector
inline constexpr uint16_t kRoleSpare = 0xffff;
inline constexpr uint16_t kRoleFaulty = 0xfffe;
inline constexpr uint32_t kFeatureBitmapOffset = 1;     // MD_FEATURE_BITMAP_OFFSET
inline constexpr uint32_t kFeatureRecoveryOffset = 2;   // MD_FEATURE_RECOVERY_OFFSET
inline constexpr uint32_t kFeatureBadBlocks = 8;        // MD_FEATURE_BAD_BLOCKS
inline constexpr uint32_t kFeatureRecoveryBitmap = 128; // MD_FEATURE_RECOVERY_BITMAP
inline constexpr uint8_t kDevflagWriteMostly = 1;       // WriteMostly1

struct Superblock1 {
  // offset: field
  uint32_t feature_map = 0;          //   8
  std::array<uint8_t, 16> set_uuid{};//  16
  std::string set_name;              //  32 (32 bytes)
  uint64_t ctime = 0;                //  64
  uint32_t level = 1;                //  72
  uint32_t layout = 0;               //  76
  uint64_t size = 0;                 //  80 per-member data sectors used
  uint32_t chunksize = 0;            //  88
  uint32_t raid_disks = 0;           //  92
  int32_t bitmap_offset = 0;         //  96 signed, sectors from the sb
  uint64_t data_offset = 0;          // 128
  uint64_t data_size = 0;            // 136
  uint64_t super_offset = 0;         // 144
  uint64_t recovery_offset = 0;      // 152
  uint32_t dev_number = 0;           // 160
  uint32_t cnt_corrected_read = 0;   // 164
  std::array<uint8_t, 16> device_uuid{};  // 168
  uint8_t devflags = 0;              // 184
  uint8_t bblog_shift = 0;           // 185
  uint16_t bblog_size = 0;           // 186 sectors
  int32_t bblog_offset = 0;          // 188 sectors from the sb
  uint64_t utime = 0;                // 192
  uint64_t events = 0;               // 200
  uint64_t resync_offset = 0;        // 208
  uint32_t max_dev = 0;              // 220
  std::vector<uint16_t> dev_roles;   // 256, max_dev entries

  bool operator==(const Superblock1&) const = default;
};

// REQUIRES: sb.max_dev == sb.dev_roles.size() <= kMaxDevRoles.
std::vector<uint8_t> encode_superblock(const Superblock1& sb);
// nullopt if the magic, major version or checksum is wrong.
std::optional<Superblock1> decode_superblock(const std::vector<uint8_t>& bytes);

// mdadm v1.2 placement (super1.c): what goes where on a member of `device`
// sectors.
struct MemberLayout {
  disk::Sector sb;                 // 8
  disk::Sector intent_area;        // sb + 8 (bitmap_offset = +8)
  disk::SectorCount intent_sectors;// choose_bm_space (or 128 KiB for llbitmap)
  disk::Sector bblog;              // after the intent area
  disk::SectorCount bblog_sectors; // 8
  disk::Sector data_offset;        // 12*2 + intent space + headroom, 1 MiB aligned
};
// choose_bm_space(devsize): 0 / 4 KiB / 64 KiB (>8 GiB) / 128 KiB (>=200 GiB).
disk::SectorCount choose_bm_space(disk::SectorCount device);
// REQUIRES: device large enough for the metadata plus some data.
MemberLayout mdadm_layout(disk::SectorCount device, disk::SectorCount intent_sectors);

}  // namespace mdsim::md
