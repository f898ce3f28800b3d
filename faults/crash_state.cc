#include "faults/crash_state.h"

#include <algorithm>
#include <utility>

#include "sim/assert.h"

namespace mdsim::faults {

namespace {

// A kept block of an in-flight PREFLUSH write means its flush completed first:
// every cached write with completion_seq <= the result is on media too (F13).
// 0 when the choice keeps no block of a PREFLUSH write.
uint64_t flushed_through(const Disk::CrashLayers& layers, const CrashChoice& choice) {
  uint64_t seq = 0;
  for (const TornWrite& t : choice.torn) {
    SIM_ASSERT(t.write_index < layers.in_flight.size());
    if (!t.blocks.empty()) seq = std::max(seq, layers.in_flight[t.write_index]->preflush_cutoff_seq);
  }
  return seq;
}

}  // namespace

void keep_preflushed(const Disk::CrashLayers& layers, CrashChoice& choice) {
  const uint64_t flushed = flushed_through(layers, choice);
  if (flushed == 0) return;
  std::vector<uint32_t> kept;
  size_t next = 0;
  for (uint32_t idx = 0; idx < layers.cached.size(); ++idx) {
    const bool chosen = next < choice.cached_kept.size() && choice.cached_kept[next] == idx;
    if (chosen) ++next;
    if (chosen || layers.cached[idx]->completion_seq <= flushed) kept.push_back(idx);
  }
  choice.cached_kept = std::move(kept);
}

DiskImage apply_crash(const Disk::CrashLayers& layers, const CrashChoice& choice) {
  DiskImage img = layers.media;  // O(1): shares the tree until written
  const uint64_t flushed = flushed_through(layers, choice);
  uint64_t last = 0;
  size_t next_kept = 0;
  for (size_t idx = 0; idx < layers.cached.size(); ++idx) {
    const bool chosen = next_kept < choice.cached_kept.size() && choice.cached_kept[next_kept] == idx;
    if (chosen) {
      SIM_ASSERT(next_kept == 0 || idx > last);
      last = idx;
      ++next_kept;
    }
    if (chosen || layers.cached[idx]->completion_seq <= flushed) layers.cached[idx]->apply(img);
  }
  SIM_ASSERT(next_kept == choice.cached_kept.size());  // indices valid and ascending
  const uint64_t bs = layers.block_sectors;
  SIM_ASSERT(bs >= 1);
  for (const TornWrite& t : choice.torn) {
    SIM_ASSERT(t.write_index < layers.in_flight.size());
    const Disk::PendingWrite& w = *layers.in_flight[t.write_index];
    const uint64_t blocks = w.count.value() / bs;
    // Runs of consecutive kept blocks become one set_range call each.
    size_t i = 0;
    while (i < t.blocks.size()) {
      size_t j = i + 1;
      while (j < t.blocks.size() && t.blocks[j] == t.blocks[j - 1] + 1) ++j;
      SIM_ASSERT(t.blocks[j - 1] < blocks);
      SIM_ASSERT(i == 0 || t.blocks[i] > t.blocks[i - 1]);
      w.apply(img, t.blocks[i] * bs, (j - i) * bs);
      i = j;
    }
  }
  return img;
}

CrashState capture(const std::vector<const Disk*>& disks) {
  CrashState s;
  s.disks.reserve(disks.size());
  for (const Disk* d : disks) {
    SIM_ASSERT(d != nullptr);
    s.disks.push_back(d->capture());
  }
  return s;
}

std::vector<DiskImage> apply_crash(const CrashState& state, const CrashStateChoice& choice) {
  SIM_ASSERT(choice.size() == state.disks.size());
  std::vector<DiskImage> out;
  out.reserve(state.disks.size());
  for (size_t d = 0; d < state.disks.size(); ++d) {
    out.push_back(apply_crash(state.disks[d], choice[d]));
  }
  return out;
}

std::vector<std::unique_ptr<Disk>> make_post_crash_disks(
    sim::Simulator& sim, const std::vector<std::string>& names,
    const std::vector<disk::DiskConfig>& configs, const std::vector<DiskImage>& images) {
  SIM_ASSERT(names.size() == images.size());
  SIM_ASSERT(configs.size() == images.size());
  std::vector<std::unique_ptr<Disk>> disks;
  disks.reserve(images.size());
  for (size_t i = 0; i < images.size(); ++i) {
    disks.push_back(std::make_unique<Disk>(sim, names[i], configs[i], images[i]));
  }
  return disks;
}

CrashChoiceEnumerator::CrashChoiceEnumerator(const CrashState& state, Mode mode,
                                             uint64_t choices_max)
    : state_(&state), mode_(mode), choices_max_(choices_max) {
  for (uint32_t d = 0; d < state.disks.size(); ++d) {
    const Disk::CrashLayers& l = state.disks[d];
    SIM_ASSERT(l.block_sectors >= 1);
    for (uint32_t i = 0; i < l.cached.size(); ++i) units_.push_back({d, i, false, 0});
    for (uint32_t i = 0; i < l.in_flight.size(); ++i) {
      const uint64_t blocks = l.in_flight[i]->count.value() / l.block_sectors;
      for (uint32_t b = 0; b < blocks; ++b) units_.push_back({d, i, true, b});
    }
  }
}

CrashChoiceEnumerator CrashChoiceEnumerator::all_subsets(const CrashState& state, uint32_t kept_max,
                                                         uint64_t choices_max) {
  CrashChoiceEnumerator e(state, Mode::subsets, choices_max);
  e.k_max_ = kept_max;
  return e;
}

CrashChoiceEnumerator CrashChoiceEnumerator::all_subsets_dropping(const CrashState& state,
                                                                  uint32_t dropped_max,
                                                                  uint64_t choices_max) {
  CrashChoiceEnumerator e(state, Mode::subsets_dropping, choices_max);
  e.k_max_ = dropped_max;
  return e;
}

CrashChoiceEnumerator CrashChoiceEnumerator::completion_prefixes(const CrashState& state,
                                                                 uint64_t choices_max) {
  CrashChoiceEnumerator e(state, Mode::prefixes, choices_max);
  for (const Unit& u : e.units_) {
    if (!u.in_flight) e.order_.push_back(u);
  }
  // One log of all members in completion order; ties by member, then per-disk order.
  std::stable_sort(e.order_.begin(), e.order_.end(), [&state](const Unit& a, const Unit& b) {
    const sim::Instant ta = state.disks[a.disk].cached[a.write_index]->completed_at;
    const sim::Instant tb = state.disks[b.disk].cached[b.write_index]->completed_at;
    if (ta != tb) return ta < tb;
    if (a.disk != b.disk) return a.disk < b.disk;
    return a.write_index < b.write_index;
  });
  return e;
}

CrashChoiceEnumerator CrashChoiceEnumerator::random(const CrashState& state, uint64_t seed,
                                                    uint64_t samples) {
  CrashChoiceEnumerator e(state, Mode::random, samples);
  e.rng_ = sim::Prng(seed).derive("crash-choice");
  return e;
}

bool CrashChoiceEnumerator::next(CrashStateChoice& out) {
  if (produced_ >= choices_max_) return false;
  bool ok = true;
  switch (mode_) {
    case Mode::subsets:
    case Mode::subsets_dropping:
      ok = next_subset(out);
      break;
    case Mode::prefixes:
      ok = next_prefix(out);
      break;
    case Mode::random:
      next_random(out);
      break;
  }
  if (ok) {
    ++produced_;
    for (size_t d = 0; d < out.size(); ++d) keep_preflushed(state_->disks[d], out[d]);
  }
  return ok;
}

bool CrashChoiceEnumerator::next_subset(CrashStateChoice& out) {
  const auto n = static_cast<uint32_t>(units_.size());
  // Combinations of size k_ in lexicographic order, k_ = 0, 1, ..., k_max_.
  for (;;) {
    if (first_of_k_) {
      if (k_ > k_max_ || k_ > n) return false;
      comb_.resize(k_);
      for (uint32_t i = 0; i < k_; ++i) comb_[i] = i;
      first_of_k_ = false;
      break;
    }
    int64_t i = static_cast<int64_t>(k_) - 1;
    while (i >= 0 && comb_[i] == n - k_ + static_cast<uint32_t>(i)) --i;
    if (i < 0) {
      ++k_;
      first_of_k_ = true;
      continue;
    }
    ++comb_[i];
    for (uint32_t j = static_cast<uint32_t>(i) + 1; j < k_; ++j) comb_[j] = comb_[j - 1] + 1;
    break;
  }
  const bool dropping = mode_ == Mode::subsets_dropping;
  std::vector<uint8_t> kept(n, dropping ? 1 : 0);
  for (uint32_t u : comb_) kept[u] = dropping ? 0 : 1;
  build_from_units(kept, out);
  return true;
}

bool CrashChoiceEnumerator::next_prefix(CrashStateChoice& out) {
  if (produced_ > order_.size()) return false;
  out.assign(state_->disks.size(), CrashChoice{});
  for (uint64_t i = 0; i < produced_; ++i) {
    out[order_[i].disk].cached_kept.push_back(order_[i].write_index);
  }
  for (CrashChoice& c : out) std::sort(c.cached_kept.begin(), c.cached_kept.end());
  return true;
}

void CrashChoiceEnumerator::next_random(CrashStateChoice& out) {
  const sim::Ratio half{1, 2};
  out.assign(state_->disks.size(), CrashChoice{});
  for (size_t d = 0; d < state_->disks.size(); ++d) {
    const Disk::CrashLayers& l = state_->disks[d];
    for (uint32_t i = 0; i < l.cached.size(); ++i) {
      if (rng_.chance(half)) out[d].cached_kept.push_back(i);
    }
    for (uint32_t i = 0; i < l.in_flight.size(); ++i) {
      const auto blocks = static_cast<uint32_t>(l.in_flight[i]->count.value() / l.block_sectors);
      const uint64_t shape = rng_.below(3);  // 0 absent, 1 whole, 2 torn
      TornWrite t{i, {}};
      for (uint32_t b = 0; b < blocks && shape != 0; ++b) {
        if (shape == 1 || rng_.chance(half)) t.blocks.push_back(b);
      }
      if (!t.blocks.empty()) out[d].torn.push_back(std::move(t));
    }
  }
}

void CrashChoiceEnumerator::build_from_units(const std::vector<uint8_t>& kept,
                                             CrashStateChoice& out) const {
  SIM_ASSERT(kept.size() == units_.size());
  out.assign(state_->disks.size(), CrashChoice{});
  for (size_t i = 0; i < units_.size(); ++i) {
    if (!kept[i]) continue;
    const Unit& u = units_[i];
    CrashChoice& c = out[u.disk];
    if (!u.in_flight) {
      c.cached_kept.push_back(u.write_index);
      continue;
    }
    if (c.torn.empty() || c.torn.back().write_index != u.write_index) {
      c.torn.push_back(TornWrite{u.write_index, {}});
    }
    c.torn.back().blocks.push_back(u.block);
  }
}

}  // namespace mdsim::faults
