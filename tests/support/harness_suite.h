// Shared settings of the harness property suites (tests/faults/*_prop_test.cc):
// the environment overrides for long campaigns and the crash exploration
// every suite runs on its short generated lists.
#pragma once

#include <cstdint>
#include <cstdlib>

#include "faults/explore.h"

namespace mdsim::testing {

// An integer from the environment (MDSIM_PROP_CASES, ...), or `dflt` when unset.
inline int env_int(const char* name, int dflt) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : dflt;
}

// Sampled crash points, two random choices and a bounded number of choices per
// point, a deep (resynced) state every `deep_every` states, and every second
// deep state crashed again during its resync.
inline faults::ExploreConfig suite_explore_config(uint64_t crash_points, uint64_t choices_per_point_max,
                                                  uint64_t deep_every) {
  faults::ExploreConfig cfg;
  cfg.crash_points = crash_points;
  cfg.random_samples = 2;
  cfg.choices_per_point_max = choices_per_point_max;
  cfg.deep_every = deep_every;
  cfg.double_crash_every = 2;
  return cfg;
}

}  // namespace mdsim::testing
