// A block plug (struct blk_plug with raid1's plug callback, raid1-10.c
// raid1_plug_cb): member bios collected during one submission call, flushed
// together so they share one intent unplug.
#pragma once

#include <cstdint>
#include <vector>

#include "model/disk/disk.h"

namespace mdsim::md {

inline constexpr uint32_t kMaxPlugBio = 32;  // MAX_PLUG_BIO

// A member write waiting for submission (a cloned bio).
struct MemberBio {
  int member = 0;
  disk::IoRequest req;
  disk::Disk::Done done;
};

class Plug {
 public:
  std::vector<MemberBio> bios;
  uint32_t count = 0;  // bios added since the plug was (re)started
};

}  // namespace mdsim::md
