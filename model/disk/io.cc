#include "model/disk/io.h"

#include "sim/prng.h"

namespace mdsim::disk {

const char* io_class_name(IoClass c) {
  switch (c) {
    case IoClass::data: return "data";
    case IoClass::intent: return "intent";
    case IoClass::superblock: return "superblock";
    case IoClass::resync: return "resync";
    case IoClass::read: return "read";
    case IoClass::badblocks: return "badblocks";
    case IoClass::count_: break;
  }
  return "?";
}

uint64_t content_word_of_bytes(const uint8_t* bytes) {
  uint64_t h = 0x6d657461ull;
  for (uint32_t i = 0; i < kSectorBytes; i += 8) {
    uint64_t w = 0;
    for (int b = 0; b < 8; ++b) w |= static_cast<uint64_t>(bytes[i + b]) << (8 * b);
    h = sim::mix64(h ^ w);
  }
  // An all-zero metadata sector reads like a never-written one: content 0.
  bool all_zero = true;
  for (uint32_t i = 0; i < kSectorBytes && all_zero; ++i) all_zero = bytes[i] == 0;
  if (all_zero) return 0;
  return h == 0 ? 1 : h;
}

}  // namespace mdsim::disk
