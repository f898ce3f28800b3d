#include "support/disk_script.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::testing {

namespace {
constexpr uint32_t kRegionBlocks = 64;
}

ScriptRunner::ScriptRunner(sim::Simulator& sim, disk::Disk& d, std::vector<ScriptStep> steps)
    : sim_(sim), disk_(d), steps_(std::move(steps)) {}

uint64_t ScriptRunner::region_sectors() const {
  return uint64_t{kRegionBlocks} * disk_.config().logical_block_bytes / disk::kSectorBytes;
}

sim::Instant ScriptRunner::schedule() {
  sim::Instant t = sim_.now();
  for (size_t i = 0; i < steps_.size(); ++i) {
    t = t + sim::Duration::ns(steps_[i].gap_ns);
    sim_.schedule_at(t, [this, i] { submit_step(i); });
  }
  return t;
}

bool ScriptRunner::durable(size_t i) const {
  const WriteRecord& w = writes_[i];
  if (!w.completed) return false;
  if (w.fua) return true;
  if (disk_.config().cache == disk::CacheMode::write_through) return true;
  return w.completion_order <= durable_through_;
}

void ScriptRunner::submit_step(size_t i) {
  const ScriptStep& st = steps_[i];
  const uint64_t bs = disk_.config().logical_block_bytes / disk::kSectorBytes;
  const uint32_t first = st.block % kRegionBlocks;
  const uint32_t n = std::min(std::max(st.blocks, 1u), kRegionBlocks - first);
  disk::IoRequest req;
  req.sector = disk::Sector(first * bs);
  req.count = disk::SectorCount(n * bs);
  if (st.op == ScriptOp::flush) {
    req.op = disk::IoOp::flush;
    const uint64_t cutoff = completions_;
    disk_.submit(std::move(req), [this, cutoff](disk::IoResult r) {
      if (!r.ok()) ++errors_;
      durable_through_ = std::max(durable_through_, cutoff);
    });
    return;
  }
  if (st.op == ScriptOp::read) {
    req.op = disk::IoOp::read;
    const uint64_t seen_through = completions_;
    disk_.submit(std::move(req), [this, first, bs, seen_through](disk::IoResult r) {
      if (!r.ok()) ++errors_;
      auto seen = [&](size_t i) {
        return writes_[i].completed && writes_[i].completion_order <= seen_through;
      };
      for (size_t k = 0; k < r.words.size(); ++k) {
        if (!allowed(first * bs + k, r.words[k], seen)) ++read_mismatches_;
      }
    });
    return;
  }
  const size_t wi = writes_.size();
  WriteRecord rec{req.sector,
                  req.count,
                  st.op != ScriptOp::write && st.op != ScriptOp::discard,
                  st.op == ScriptOp::discard,
                  false,
                  0,
                  completions_};
  writes_.push_back(rec);
  req.op = rec.discard ? disk::IoOp::discard : disk::IoOp::write;
  req.fua = rec.fua;
  req.preflush = st.op == ScriptOp::preflush_fua_write;
  for (uint64_t k = 0; k < req.count.value() && !rec.discard; ++k) {
    req.payload.stamps.push_back(stamp(wi, k));
  }
  const uint64_t cutoff = completions_;
  const bool preflush = req.preflush;
  disk_.submit(std::move(req), [this, wi, cutoff, preflush](disk::IoResult r) {
    if (!r.ok()) ++errors_;
    WriteRecord& w = writes_[wi];
    w.completed = true;
    w.completion_order = ++completions_;
    if (preflush) durable_through_ = std::max(durable_through_, cutoff);
  });
}

}  // namespace mdsim::testing
