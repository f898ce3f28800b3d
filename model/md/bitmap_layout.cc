#include "model/md/bitmap_layout.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::md {
namespace {
void put32(uint8_t* b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put64(uint8_t* b, size_t off, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t get32(const uint8_t* b, size_t off) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(b[off + i]) << (8 * i);
  return v;
}
uint64_t get64(const uint8_t* b, size_t off) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(b[off + i]) << (8 * i);
  return v;
}
}  // namespace

void encode_bitmap_super(const BitmapSuper& sb, uint8_t* out) {
  std::fill(out, out + kBitmapSuperBytes, uint8_t{0});
  put32(out, 0, kBitmapMagic);
  put32(out, 4, sb.version);
  std::copy(sb.uuid.begin(), sb.uuid.end(), out + 8);
  put64(out, 24, sb.events);
  put64(out, 32, sb.events_cleared);
  put64(out, 40, sb.sync_size);
  put32(out, 48, sb.state);
  put32(out, 52, sb.chunksize);
  put32(out, 56, sb.daemon_sleep);
  put32(out, 60, sb.write_behind);
  put32(out, 64, sb.sectors_reserved);
}

std::optional<BitmapSuper> decode_bitmap_super(const uint8_t* in) {
  if (get32(in, 0) != kBitmapMagic) return std::nullopt;
  BitmapSuper sb;
  sb.version = get32(in, 4);
  if (sb.version < 3 || sb.version > 5) return std::nullopt;  // read_sb
  std::copy(in + 8, in + 24, sb.uuid.begin());
  sb.events = get64(in, 24);
  sb.events_cleared = get64(in, 32);
  sb.sync_size = get64(in, 40);
  sb.state = get32(in, 48);
  sb.chunksize = get32(in, 52);
  sb.daemon_sleep = get32(in, 56);
  sb.write_behind = get32(in, 60);
  sb.sectors_reserved = get32(in, 64);
  if (sb.chunksize < 512 || (sb.chunksize & (sb.chunksize - 1)) != 0) return std::nullopt;
  return sb;
}

BitmapChunkChoice choose_bitmap_chunk(disk::SectorCount member_data, disk::SectorCount reserved,
                                      uint64_t requested_bytes) {
  BitmapChunkChoice c;
  uint64_t room = reserved.value();
  if (requested_bytes == 0) room = std::min<uint64_t>(room, 256);  // 128 KiB cap
  if (room * 512 <= kBitmapSuperBytes) {
    c.error = "no room for a bitmap";
    return c;
  }
  const uint64_t max_bits = (room * 512 - kBitmapSuperBytes) * 8;
  const uint64_t bytes = member_data.bytes();
  uint64_t min_chunk = 4096;
  while ((bytes + min_chunk - 1) / min_chunk > max_bits) min_chunk *= 2;
  if (requested_bytes == 0) {
    c.chunk_bytes = std::max(min_chunk, kDefaultBitmapChunkBytes);
    return c;
  }
  if ((requested_bytes & (requested_bytes - 1)) != 0 || requested_bytes < 512 ||
      requested_bytes < min_chunk) {
    c.error = "Given bitmap chunk size not supported.";
    return c;
  }
  c.chunk_bytes = requested_bytes;
  return c;
}

}  // namespace mdsim::md
