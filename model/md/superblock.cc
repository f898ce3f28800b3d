#include "model/md/superblock.h"

#include <algorithm>
#include <cstring>

#include "sim/assert.h"

namespace mdsim::md {
namespace {

void put16(std::vector<uint8_t>& b, size_t off, uint16_t v) {
  for (int i = 0; i < 2; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put64(std::vector<uint8_t>& b, size_t off, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint16_t get16(const std::vector<uint8_t>& b, size_t off) {
  return static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
}
uint32_t get32(const std::vector<uint8_t>& b, size_t off) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(b[off + i]) << (8 * i);
  return v;
}
uint64_t get64(const std::vector<uint8_t>& b, size_t off) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(b[off + i]) << (8 * i);
  return v;
}

constexpr size_t kCsumOffset = 216;

// Models calc_sb_1_csum: 32-bit little-endian sum over 256 + 2*max_dev bytes
// with the checksum field taken as zero, folded to 32 bits.
uint32_t sb_csum(const std::vector<uint8_t>& b, uint32_t max_dev) {
  const size_t size = 256 + 2 * static_cast<size_t>(max_dev);
  uint64_t sum = 0;
  size_t i = 0;
  for (; i + 4 <= size; i += 4) sum += (i == kCsumOffset) ? 0 : get32(b, i);
  if (i < size) sum += get16(b, i);
  return static_cast<uint32_t>((sum & 0xffffffffull) + (sum >> 32));
}

}  // namespace

std::vector<uint8_t> encode_superblock(const Superblock1& sb) {
  SIM_ASSERT(sb.max_dev == sb.dev_roles.size());
  SIM_ASSERT(sb.max_dev <= kMaxDevRoles);
  std::vector<uint8_t> b(kSuperblockBytes, 0);
  put32(b, 0, kSbMagic);
  put32(b, 4, 1);  // major_version
  put32(b, 8, sb.feature_map);
  std::copy(sb.set_uuid.begin(), sb.set_uuid.end(), b.begin() + 16);
  std::memcpy(b.data() + 32, sb.set_name.data(), std::min<size_t>(32, sb.set_name.size()));
  put64(b, 64, sb.ctime);
  put32(b, 72, sb.level);
  put32(b, 76, sb.layout);
  put64(b, 80, sb.size);
  put32(b, 88, sb.chunksize);
  put32(b, 92, sb.raid_disks);
  put32(b, 96, static_cast<uint32_t>(sb.bitmap_offset));
  put64(b, 128, sb.data_offset);
  put64(b, 136, sb.data_size);
  put64(b, 144, sb.super_offset);
  put64(b, 152, sb.recovery_offset);
  put32(b, 160, sb.dev_number);
  put32(b, 164, sb.cnt_corrected_read);
  std::copy(sb.device_uuid.begin(), sb.device_uuid.end(), b.begin() + 168);
  b[184] = sb.devflags;
  b[185] = sb.bblog_shift;
  put16(b, 186, sb.bblog_size);
  put32(b, 188, static_cast<uint32_t>(sb.bblog_offset));
  put64(b, 192, sb.utime);
  put64(b, 200, sb.events);
  put64(b, 208, sb.resync_offset);
  put32(b, 220, sb.max_dev);
  for (uint32_t i = 0; i < sb.max_dev; ++i) put16(b, 256 + 2 * i, sb.dev_roles[i]);
  put32(b, kCsumOffset, sb_csum(b, sb.max_dev));
  return b;
}

std::optional<Superblock1> decode_superblock(const std::vector<uint8_t>& b) {
  if (b.size() < kSuperblockBytes) return std::nullopt;
  if (get32(b, 0) != kSbMagic || get32(b, 4) != 1) return std::nullopt;
  Superblock1 sb;
  sb.max_dev = get32(b, 220);
  if (sb.max_dev > kMaxDevRoles) return std::nullopt;
  if (get32(b, kCsumOffset) != sb_csum(b, sb.max_dev)) return std::nullopt;
  sb.feature_map = get32(b, 8);
  std::copy(b.begin() + 16, b.begin() + 32, sb.set_uuid.begin());
  const char* name = reinterpret_cast<const char*>(b.data() + 32);
  sb.set_name.assign(name, strnlen(name, 32));
  sb.ctime = get64(b, 64);
  sb.level = get32(b, 72);
  sb.layout = get32(b, 76);
  sb.size = get64(b, 80);
  sb.chunksize = get32(b, 88);
  sb.raid_disks = get32(b, 92);
  sb.bitmap_offset = static_cast<int32_t>(get32(b, 96));
  sb.data_offset = get64(b, 128);
  sb.data_size = get64(b, 136);
  sb.super_offset = get64(b, 144);
  sb.recovery_offset = get64(b, 152);
  sb.dev_number = get32(b, 160);
  sb.cnt_corrected_read = get32(b, 164);
  std::copy(b.begin() + 168, b.begin() + 184, sb.device_uuid.begin());
  sb.devflags = b[184];
  sb.bblog_shift = b[185];
  sb.bblog_size = get16(b, 186);
  sb.bblog_offset = static_cast<int32_t>(get32(b, 188));
  sb.utime = get64(b, 192);
  sb.events = get64(b, 200);
  sb.resync_offset = get64(b, 208);
  sb.dev_roles.resize(sb.max_dev);
  for (uint32_t i = 0; i < sb.max_dev; ++i) sb.dev_roles[i] = get16(b, 256 + 2 * i);
  return sb;
}

disk::SectorCount choose_bm_space(disk::SectorCount device) {
  const uint64_t d = device.value();
  if (d < 64) return disk::SectorCount(0);
  if (d >= 200ull * 1024 * 1024 * 2) return disk::SectorCount(256);  // >= 200 GiB: 128 KiB
  if (d > 8ull * 1024 * 1024 * 2) return disk::SectorCount(128);     // > 8 GiB: 64 KiB
  return disk::SectorCount(8);                                       // 4 KiB
}

MemberLayout mdadm_layout(disk::SectorCount device, disk::SectorCount intent_sectors) {
  MemberLayout l;
  l.sb = disk::Sector(kSbSector);
  l.intent_area = disk::Sector(kSbSector + 8);
  l.intent_sectors = intent_sectors;
  l.bblog = l.intent_area + intent_sectors;
  l.bblog_sectors = disk::SectorCount(8);
  // Headroom: 0.1% of the device, at most 128 MiB, at least 1 MiB (super1.c
  // "headroom" for later reshapes); then 12*2 sectors + intent space + headroom
  // rounded up to 1 MiB.
  uint64_t headroom = 128ull * 1024 * 2;
  while (headroom * 1024 > device.value() && headroom > 2048) headroom /= 2;
  uint64_t off = 12 * 2 + intent_sectors.value() + headroom;
  off = (off + 2047) / 2048 * 2048;
  l.data_offset = disk::Sector(off);
  SIM_ASSERT(l.bblog + l.bblog_sectors <= l.data_offset);
  SIM_ASSERT(l.data_offset.value() < device.value());
  return l;
}

}  // namespace mdsim::md
