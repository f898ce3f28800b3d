// pers factory: md's find_pers(level) for the levels mdsim models.
#include "model/md/md_array.h"
#include "model/md/raid1.h"
#include "model/md/raid10.h"
#include "model/md/raid5.h"
#include "sim/assert.h"

namespace mdsim::md {

std::unique_ptr<Personality> make_personality(Mddev& md) {
  switch (md.config_.level) {
    case 1: return std::make_unique<Raid1>(md);
    case 10: return std::make_unique<Raid10>(md);
    case 5: return std::make_unique<Raid5>(md);
    default: SIM_ASSERT_MSG(false, "unsupported raid level " + std::to_string(md.config_.level));
  }
  return nullptr;
}

}  // namespace mdsim::md
