#include "faults/ops_episodes.h"

#include <algorithm>

namespace mdsim::faults {

namespace {

int pick_disk(sim::Prng& rng, const GenConfig& cfg) {
  return static_cast<int>(rng.below(static_cast<uint64_t>(cfg.disks)));
}

Op write_at(uint64_t sector, uint64_t sectors) {
  return Op{.kind = OpKind::write, .sector = sector, .sectors = sectors};
}

Op advance_ns(int64_t ns) { return Op{.kind = OpKind::advance, .ns = ns}; }

Op power_loss(sim::Prng& rng) { return Op{.kind = OpKind::power_loss, .choice = rng.below(1u << 20)}; }

}  // namespace

void drain_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  // llbitmap's daemon does not run while degraded: bring every member back
  // (a no-op for one in the array) at full speed and let recovery finish.
  for (int m = 0; m < cfg.disks; ++m) {
    ops.push_back(Op{.kind = OpKind::slow_disk, .disk = m, .factor = 1});
    ops.push_back(Op{.kind = OpKind::readd_disk, .disk = m});
  }
  ops.push_back(advance_ns(1'500'000'000));
  // A fast write whose intent block reaches the media, so later chunks of the
  // block start Clean once a daemon pass cleaned them.
  const uint64_t slots = cfg.array_sectors / 8;
  const uint64_t first = rng.below(slots);
  ops.push_back(write_at(first * 8, 8));
  ops.push_back(Op{.kind = OpKind::wait});
  // nvme: a FUA intent write takes ~60 s at 2 * 10^6 (media program ~30 us),
  // a data write into the cache ~30 s: writes stay active across passes.
  const int d = pick_disk(rng, cfg);
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = 2'000'000});
  // Gaps longer than barrier_idle (5 s), up to a daemon period (30 s), over
  // at least two passes; distinct 8-sector slots (no write waits for another).
  static constexpr int64_t kGapS[] = {6, 10, 14, 20, 30};
  const uint64_t n = 3 + rng.below(4);
  for (uint64_t k = 1; k <= n; ++k) {
    ops.push_back(write_at((first + k * 7919) % slots * 8, 8));
    ops.push_back(advance_ns(kGapS[rng.below(5)] * 1'000'000'000));
  }
  ops.push_back(write_at((first + (n + 1) * 7919) % slots * 8, 8));
  if (cfg.power_loss && rng.chance(sim::Ratio{1, 4})) ops.push_back(power_loss(rng));
  ops.push_back(Op{.kind = OpKind::wait});
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = 1});
}

void aborted_resync_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  if (!cfg.power_loss || !cfg.faults) return;
  constexpr uint64_t kRegion = 512;  // 256 KiB
  const uint64_t regions = std::max<uint64_t>(1, cfg.array_sectors / kRegion);
  // Mostly the first regions: the resync reaches them first.
  const uint64_t base = (rng.chance(sim::Ratio{3, 4}) ? rng.below(4) : rng.below(regions)) % regions * kRegion;
  for (uint64_t w = 0; w < 4; ++w) {
    Op op = write_at(base + w * 128 + rng.below(64), 64);
    op.batch = w > 0 && rng.chance(sim::Ratio{1, 2});
    ops.push_back(op);
  }
  ops.push_back(power_loss(rng));
  static constexpr uint32_t kFactors[] = {100, 1'000, 10'000};
  static constexpr int64_t kNs[] = {1'000'000, 10'000'000, 100'000'000, 300'000'000};
  const int slow = pick_disk(rng, cfg);
  const uint32_t factor = kFactors[rng.below(3)];
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = slow, .factor = factor});
  ops.push_back(advance_ns(kNs[rng.below(4)] * factor / 1000));
  const int f = pick_disk(rng, cfg);
  ops.push_back(Op{.kind = OpKind::fail_disk, .disk = f});
  if (rng.chance(sim::Ratio{1, 2})) ops.push_back(Op{.kind = OpKind::daemon_tick});
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = slow, .factor = 1});
  ops.push_back(Op{.kind = OpKind::readd_disk, .disk = f});
  ops.push_back(Op{.kind = OpKind::wait});
}

void rebuild_crash_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  if (!cfg.power_loss || !cfg.faults) return;
  const int d = pick_disk(rng, cfg);
  ops.push_back(Op{.kind = OpKind::fail_disk, .disk = d});
  for (uint64_t k = 0, n = 1 + rng.below(3); k < n; ++k)
    ops.push_back(write_at(rng.below(cfg.array_sectors / 8) * 8, 8 << rng.below(4)));
  ops.push_back(Op{.kind = OpKind::wait});
  if (rng.chance(sim::Ratio{1, 2})) ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = 1000});
  ops.push_back(Op{.kind = OpKind::readd_disk, .disk = d});
  static constexpr int64_t kNs[] = {100'000, 1'000'000, 10'000'000, 50'000'000, 100'000'000};
  ops.push_back(advance_ns(kNs[rng.below(5)]));
  ops.push_back(power_loss(rng));
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = 1});
  ops.push_back(Op{.kind = OpKind::wait});
}

void more_episodes(uint64_t which, sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  switch (which) {
    case 0: drain_episode(rng, cfg, ops); break;
    case 1: aborted_resync_episode(rng, cfg, ops); break;
    default: rebuild_crash_episode(rng, cfg, ops); break;
  }
}

}  // namespace mdsim::faults
