#include "model/run/crash.h"

#include <stdexcept>

#include "sim/assert.h"
#include "sim/prng.h"

namespace mdsim::run {

static faults::CrashStateChoice first_of(faults::CrashChoiceEnumerator e) {
  faults::CrashStateChoice c;
  const bool any = e.next(c);
  SIM_ASSERT(any);
  return c;
}

static faults::CrashStateChoice everything(const faults::CrashState& state) {
  faults::CrashStateChoice out(state.disks.size());
  for (size_t d = 0; d < state.disks.size(); ++d) {
    const auto& layers = state.disks[d];
    for (uint32_t i = 0; i < layers.cached.size(); ++i) out[d].cached_kept.push_back(i);
    for (uint32_t i = 0; i < layers.in_flight.size(); ++i) {
      const auto& w = *layers.in_flight[i];
      const uint64_t blocks = (w.count.value() + layers.block_sectors - 1) / layers.block_sectors;
      faults::TornWrite t;
      t.write_index = i;
      for (uint32_t b = 0; b < blocks; ++b) t.blocks.push_back(b);
      if (!t.blocks.empty()) out[d].torn.push_back(std::move(t));
    }
  }
  return out;
}

faults::CrashStateChoice choose_crash(const faults::CrashState& state, const scenario::PersistChoice& p,
                                      uint64_t seed) {
  faults::CrashStateChoice c;
  if (p.mode == "random") {
    c = first_of(faults::CrashChoiceEnumerator::random(state, p.choice.value_or(seed), 1));
  } else if (p.mode == "none") {
    c = faults::CrashStateChoice(state.disks.size());
  } else if (p.mode == "all") {
    c = everything(state);
  } else if (p.mode == "prefix") {
    auto e = faults::CrashChoiceEnumerator::completion_prefixes(state);
    std::vector<faults::CrashStateChoice> all;
    faults::CrashStateChoice one;
    while (e.next(one)) all.push_back(one);
    SIM_ASSERT(!all.empty());
    sim::Prng rng(seed);
    c = all[rng.below(all.size())];
  } else {
    SIM_ASSERT(p.mode == "explicit");
    SIM_ASSERT(p.keep.size() == state.disks.size());
    c = faults::CrashStateChoice(state.disks.size());
    for (size_t d = 0; d < p.keep.size(); ++d) {
      for (uint64_t idx : p.keep[d]) {
        if (idx >= state.disks[d].cached.size())
          throw std::invalid_argument("power_loss keep: member " + std::to_string(d) + " has only " +
                                      std::to_string(state.disks[d].cached.size()) + " cached writes, index " +
                                      std::to_string(idx) + " does not exist");
        c[d].cached_kept.push_back(static_cast<uint32_t>(idx));
      }
    }
  }
  if (!p.torn) {  // keep in-flight writes that survive whole, drop partial ones
    for (size_t d = 0; d < c.size(); ++d) {
      const auto& layers = state.disks[d];
      std::erase_if(c[d].torn, [&](const faults::TornWrite& t) {
        const auto& w = *layers.in_flight[t.write_index];
        return t.blocks.size() != (w.count.value() + layers.block_sectors - 1) / layers.block_sectors;
      });
    }
  }
  return c;
}

}  // namespace mdsim::run
