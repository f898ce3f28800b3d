// Picking what survives a power loss (design.md §3) from a scenario's
// PersistChoice, using the crash-choice enumerator of faults/crash_state.h:
//   random   one seeded sample (cached writes kept with probability 1/2,
//            in-flight writes absent / whole / torn);
//   none     nothing volatile survives (media only);
//   all      every cached write and every in-flight write survives whole;
//   prefix   a seeded choice among the completion-order prefixes;
//   explicit the cached writes listed in `keep`, per member.
// With torn == false, an in-flight write survives whole or not at all.
#pragma once

#include <cstdint>

#include "faults/crash_state.h"
#include "model/scenario/scenario.h"

namespace mdsim::run {

// REQUIRES: state has one entry per member. An explicit index beyond the
// captured cached writes throws std::invalid_argument (bad input).
faults::CrashStateChoice choose_crash(const faults::CrashState& state, const scenario::PersistChoice& p,
                                     uint64_t seed);

}  // namespace mdsim::run
