#include "faults/ops_gen.h"

#include <algorithm>

#include "faults/ops_episodes.h"

namespace mdsim::faults {

namespace {

uint64_t pick_sector(sim::Prng& rng, const GenConfig& cfg) {
  // Half the IO hits one of four hot chunks (overlap, shared bits).
  if (rng.chance(sim::Ratio{1, 2}))
    return rng.below(4) * cfg.chunk_sectors * 3 + rng.below(cfg.chunk_sectors);
  return rng.below(cfg.array_sectors);
}

uint64_t pick_len(sim::Prng& rng) {
  static constexpr uint64_t kLens[] = {1, 8, 8, 16, 32, 64};
  return kLens[rng.below(6)];
}

Op io_op(OpKind k, sim::Prng& rng, const GenConfig& cfg) {
  Op op;
  op.kind = k;
  op.sector = pick_sector(rng, cfg);
  op.sectors = pick_len(rng);
  return op;
}

Op advance_op(sim::Prng& rng) {
  // Spans the interesting periods: disk latency, safemode (200 ms),
  // barrier_idle / daemon_sleep (seconds).
  static constexpr int64_t kNs[] = {10'000, 100'000, 1'000'000, 250'000'000, 1'500'000'000,
                                    6'000'000'000};
  Op op;
  op.kind = OpKind::advance;
  op.ns = kNs[rng.below(6)];
  return op;
}

Op fault_op(sim::Prng& rng, const GenConfig& cfg) {
  Op op;
  op.disk = static_cast<int>(rng.below(static_cast<uint64_t>(cfg.disks)));
  // Without media errors: fail, re-add, remove, slow (cases 0, 1, 2, 5).
  uint64_t pick = rng.below(cfg.media_errors ? 6 : 4);
  if (!cfg.media_errors && pick == 3) pick = 5;
  switch (pick) {
    case 0: op.kind = OpKind::fail_disk; break;
    case 1: op.kind = OpKind::readd_disk; break;
    case 2: op.kind = OpKind::remove_disk; break;
    case 3:
      op.kind = OpKind::bad_block;
      op.sector = pick_sector(rng, cfg);
      op.sectors = 1 + rng.below(8);
      break;
    case 4:
      op.kind = OpKind::write_error;
      op.sector = pick_sector(rng, cfg);
      op.sectors = 1 + rng.below(8);
      break;
    default: {
      // Up to a very slow member, so writes stay in flight across daemon passes.
      static constexpr uint32_t kFactors[] = {1, 4, 64, 10'000};
      op.kind = OpKind::slow_disk;
      op.factor = kFactors[rng.below(4)];
      break;
    }
  }
  return op;
}

// A member fails, the array runs degraded (writes, daemon passes), the member
// comes back (re-add, recovery), sometimes with a power loss in the middle.
void degraded_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  const int d = static_cast<int>(rng.below(static_cast<uint64_t>(cfg.disks)));
  ops.push_back(Op{.kind = OpKind::fail_disk, .disk = d});
  for (uint64_t k = 0, n = 1 + rng.below(3); k < n; ++k) ops.push_back(io_op(OpKind::write, rng, cfg));
  for (uint64_t k = 0, n = rng.below(4); k < n; ++k) ops.push_back(Op{.kind = OpKind::daemon_tick});
  ops.push_back(Op{.kind = OpKind::readd_disk, .disk = d});
  if (cfg.power_loss && rng.chance(sim::Ratio{1, 3})) {
    ops.push_back(advance_op(rng));
    ops.push_back(Op{.kind = OpKind::power_loss, .choice = rng.below(1u << 20)});
  }
}

// A member so slow that a write stays in flight across barrier_idle and a
// daemon pass, with more writes arriving while the pass waits for the page
// to drain, sometimes a power loss with the slow write half done. Reaches the
// llbitmap barrier / daemon orderings (md-internals 3.9 items 1, 4).
void inflight_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  static constexpr uint32_t kFactors[] = {10'000, 100'000, 300'000, 1'000'000};
  const int d = static_cast<int>(rng.below(static_cast<uint64_t>(cfg.disks)));
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = kFactors[rng.below(4)]});
  for (uint64_t k = 0, n = 1 + rng.below(3); k < n; ++k) {
    ops.push_back(io_op(OpKind::write, rng, cfg));
    ops.push_back(advance_op(rng));
    if (rng.chance(sim::Ratio{1, 2})) ops.push_back(Op{.kind = OpKind::daemon_tick});
  }
  if (cfg.power_loss && rng.chance(sim::Ratio{1, 2}))
    ops.push_back(Op{.kind = OpKind::power_loss, .choice = rng.below(1u << 20)});
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = 1});
}

// Writes left half done by a power loss, then a SLOW resync of them that is
// interrupted: by time passing (checkpoints, daemon passes), by a member
// failing (aborted resync) and coming back (recovery while rebuilding), and by
// a second power loss. Reaches end_sync on an aborted chunk, cond_end_sync
// mid-chunk and assembly while a member rebuilds (3.9 items 3, 4).
void resync_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  if (!cfg.power_loss) return;
  for (uint64_t k = 0, n = 1 + rng.below(3); k < n; ++k) ops.push_back(io_op(OpKind::write, rng, cfg));
  ops.push_back(Op{.kind = OpKind::power_loss, .choice = rng.below(1u << 20)});
  static constexpr uint32_t kFactors[] = {100, 1'000, 10'000, 100'000};
  const int d = static_cast<int>(rng.below(static_cast<uint64_t>(cfg.disks)));
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = kFactors[rng.below(4)]});
  ops.push_back(advance_op(rng));
  if (cfg.faults && rng.chance(sim::Ratio{1, 2})) {
    const int f = static_cast<int>(rng.below(static_cast<uint64_t>(cfg.disks)));
    ops.push_back(Op{.kind = OpKind::fail_disk, .disk = f});
    for (uint64_t k = 0, n = rng.below(3); k < n; ++k) ops.push_back(Op{.kind = OpKind::daemon_tick});
    ops.push_back(Op{.kind = OpKind::readd_disk, .disk = f});
    ops.push_back(advance_op(rng));
  }
  for (uint64_t k = 0, n = rng.below(3); k < n; ++k) ops.push_back(Op{.kind = OpKind::daemon_tick});
  if (rng.chance(sim::Ratio{2, 3})) ops.push_back(Op{.kind = OpKind::power_loss, .choice = rng.below(1u << 20)});
  ops.push_back(Op{.kind = OpKind::slow_disk, .disk = d, .factor = 1});
}

// raid5: writes into different data chunks of one row (partial-stripe,
// read-modify-write and reconstruct-write), a power loss while they are in
// flight, then sometimes a member failure before or after the resync.
void parity_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops) {
  if (!cfg.power_loss || cfg.disks < 3) return;
  const uint64_t chunk = cfg.raid_chunk_sectors;
  const uint64_t row_sectors = chunk * static_cast<uint64_t>(cfg.disks - 1);
  const uint64_t rows = std::max<uint64_t>(1, cfg.array_sectors / row_sectors);
  const uint64_t row = rng.below(std::min<uint64_t>(rows, 4));
  for (uint64_t k = 0, n = 1 + rng.below(3); k < n; ++k) {
    Op w = io_op(OpKind::write, rng, cfg);
    w.sector = row * row_sectors + rng.below(static_cast<uint64_t>(cfg.disks - 1)) * chunk + rng.below(chunk);
    w.batch = k > 0 && rng.chance(sim::Ratio{1, 2});
    ops.push_back(w);
  }
  if (rng.chance(sim::Ratio{1, 2})) ops.push_back(Op{.kind = OpKind::advance, .ns = 10'000});
  ops.push_back(Op{.kind = OpKind::power_loss, .choice = rng.below(1u << 20)});
  if (cfg.faults && rng.chance(sim::Ratio{1, 3})) {
    if (rng.chance(sim::Ratio{1, 2})) ops.push_back(Op{.kind = OpKind::wait});
    ops.push_back(Op{.kind = OpKind::fail_disk, .disk = static_cast<int>(rng.below(static_cast<uint64_t>(cfg.disks)))});
  }
}

}  // namespace

std::vector<Op> generate_ops(sim::Prng& rng, const GenConfig& cfg) {
  std::vector<Op> ops;
  const uint64_t n = 1 + rng.below(cfg.max_ops);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t r = rng.below(100);
    if (r < 40) {
      Op w = io_op(OpKind::write, rng, cfg);
      w.batch = !ops.empty() && ops.back().kind == OpKind::write && rng.chance(sim::Ratio{1, 3});
      if (cfg.user_flags) {
        const uint64_t f = rng.below(8);
        w.fua = f == 0;
        w.preflush = f == 1;
      }
      ops.push_back(w);
    } else if (r < 45) {
      ops.push_back(io_op(OpKind::discard, rng, cfg));
    } else if (r < 53) {
      ops.push_back(Op{.kind = OpKind::flush});
    } else if (r < 60) {
      ops.push_back(Op{.kind = OpKind::wait});
    } else if (r < 75) {
      ops.push_back(advance_op(rng));
    } else if (r < 80) {
      ops.push_back(Op{.kind = OpKind::daemon_tick});
    } else if (r < 83) {
      ops.push_back(Op{.kind = OpKind::start_resync});
    } else if (r < 92) {
      if (cfg.level == 5 && rng.chance(sim::Ratio{1, 2})) parity_episode(rng, cfg, ops);
      else if (cfg.power_loss) ops.push_back(Op{.kind = OpKind::power_loss, .choice = rng.below(1u << 20)});
    } else if (!cfg.faults) {
      continue;
    } else if (const uint64_t e = rng.below(11); e < 4) {
      ops.push_back(fault_op(rng, cfg));
    } else if (e < 6) {
      degraded_episode(rng, cfg, ops);
    } else if (e < 7) {
      inflight_episode(rng, cfg, ops);
    } else if (e < 8) {
      resync_episode(rng, cfg, ops);
    } else {
      more_episodes(e - 8, rng, cfg, ops);  // faults/ops_episodes.h
    }
  }
  return ops;
}

namespace {

// One simplification of op i, or false if it is already simplest.
bool simplify(Op& op) {
  if (op.batch) { op.batch = false; return true; }
  if (op.fua) { op.fua = false; return true; }
  if (op.preflush) { op.preflush = false; return true; }
  if ((op.kind == OpKind::write || op.kind == OpKind::discard) && op.sectors > 1) {
    op.sectors = std::max<uint64_t>(1, op.sectors / 4);
    return true;
  }
  if (op.kind == OpKind::advance && op.ns > 10'000) { op.ns /= 8; return true; }
  if (op.kind == OpKind::power_loss && op.choice != 0) { op.choice = 0; return true; }
  return false;
}

}  // namespace

std::vector<Op> shrink_ops(std::vector<Op> ops, const std::function<bool(const std::vector<Op>&)>& fails,
                           uint64_t budget) {
  uint64_t calls = 0;
  auto try_it = [&](const std::vector<Op>& cand) { return calls++ < budget && fails(cand); };
  // 1. Delete chunks, halving the chunk size (ddmin without complements).
  for (size_t chunk = std::max<size_t>(1, ops.size() / 2); chunk >= 1 && calls < budget;) {
    bool removed = false;
    for (size_t start = 0; start < ops.size() && calls < budget;) {
      std::vector<Op> cand;
      cand.reserve(ops.size());
      for (size_t k = 0; k < ops.size(); ++k)
        if (k < start || k >= start + chunk) cand.push_back(ops[k]);
      if (!cand.empty() && try_it(cand)) {
        ops = std::move(cand);
        removed = true;
      } else {
        start += chunk;
      }
    }
    if (!removed) {
      if (chunk == 1) break;
      chunk /= 2;
    }
  }
  // 2. Adjacent advances become one (same total time, one op fewer).
  for (size_t k = 0; k + 1 < ops.size() && calls < budget;) {
    if (ops[k].kind != OpKind::advance || ops[k + 1].kind != OpKind::advance) {
      ++k;
      continue;
    }
    std::vector<Op> cand = ops;
    cand[k].ns += cand[k + 1].ns;
    cand.erase(cand.begin() + static_cast<ptrdiff_t>(k) + 1);
    if (try_it(cand)) ops = std::move(cand);
    else ++k;
  }
  // 3. Simpler parameters, one op at a time.
  for (size_t k = 0; k < ops.size() && calls < budget; ++k) {
    for (;;) {
      std::vector<Op> cand = ops;
      if (!simplify(cand[k])) break;
      if (!try_it(cand)) break;
      ops = std::move(cand);
    }
  }
  return ops;
}

}  // namespace mdsim::faults
