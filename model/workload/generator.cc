#include "model/workload/generator.h"

#include <algorithm>

#include "sim/assert.h"
#include "sim/trace.h"

namespace mdsim::workload {
namespace {

constexpr sim::TraceKind kTraceUserSubmit{"user_submit"};
constexpr sim::TraceKind kTraceUserComplete{"user_complete"};

enum Dir : int { kDirRead = 0, kDirWrite = 1, kDirTrim = 2 };

}  // namespace

const char* user_io_op_name(UserIo::Op op) {
  switch (op) {
    case UserIo::Op::read: return "read";
    case UserIo::Op::write: return "write";
    case UserIo::Op::discard: return "discard";
    case UserIo::Op::flush: return "flush";
  }
  return "?";
}

struct WorkloadGenerator::Clone {
  Clone(sim::Simulator& sim, sim::Prng p) : prng(p), wq(sim) {}

  uint32_t index = 0;
  JobSpec spec;
  uint32_t depth = 1;
  uint32_t batch = 1;
  uint32_t complete_min = 1;
  uint64_t sync_every_writes = 0;
  uint64_t io_size_bytes = 0;
  uint64_t region_start = 0;    // sectors
  uint64_t region_sectors = 0;
  uint64_t bs_min_sectors = 0;
  uint64_t bs_max_sectors = 0;
  sim::Prng prng;
  std::optional<BlockPicker> picker;
  const Iolog* iolog = nullptr;     // replay mode (read_iolog)
  size_t iolog_pos = 0;
  uint64_t seq_pos[3] = {0, 0, 0};  // sequential position per direction, region-relative
  std::optional<UserIo> write_after_trim;
  std::vector<UserIo> pending;      // queued, not yet submitted
  uint32_t in_flight = 0;
  uint32_t in_flight_max = 0;
  uint64_t completions = 0;
  uint64_t ios_issued = 0;          // reads + writes + discards queued
  uint64_t bytes_issued = 0;
  uint64_t writes_issued = 0;
  uint64_t synced_at_writes = 0;
  uint64_t thought_at_ios = 0;
  uint64_t calls = 0;
  sim::Instant deadline = sim::Instant::max();
  sim::Instant last_queue_at;       // for the same-instant limit below
  uint64_t ios_at_last_instant = 0;
  uint32_t actor = 0;
  bool finished = false;
  RunMetrics m;
  sim::WaitQueue wq;
};

// One submission call's IOs, shared by the per-IO completion callbacks.
struct SubmittedBatch {
  std::vector<UserIo> ios;
  std::vector<uint8_t> completed;
  sim::Instant submitted;
};

WorkloadGenerator::~WorkloadGenerator() = default;

WorkloadGenerator::WorkloadGenerator(sim::Simulator& sim, IoTarget& target,
                                     std::vector<JobSpec> jobs, GeneratorOptions options)
    : sim_(sim), target_(target), options_(std::move(options)) {
  const uint64_t capacity_bytes = target_.capacity().bytes();
  for (size_t j = 0; j < jobs.size(); ++j) {
    const JobSpec& spec = jobs[j];
    validate_job(spec);
    const uint64_t base_offset = spec.offset.resolve_bytes(capacity_bytes);
    for (uint32_t k = 0; k < spec.numjobs; ++k) {
      const std::string stream = options_.stream_prefix + "/" + std::to_string(j) + "/" +
                                 std::to_string(k);
      auto c = std::make_unique<Clone>(sim_, sim_.stream(stream));
      c->index = static_cast<uint32_t>(clones_.size());
      c->spec = spec;
      c->depth = spec.effective_iodepth();
      c->batch = spec.effective_batch();
      c->complete_min = std::clamp<uint32_t>(spec.iodepth_batch_complete_min, 1, c->depth);
      c->sync_every_writes = spec.fsync_blocks ? spec.fsync_blocks : spec.fdatasync_blocks;
      if (spec.read_iolog) {
        bind_replay(*c, capacity_bytes);
        c->actor = sim_.trace().add_actor("job:" + spec.name + "." + std::to_string(k));
        clones_.push_back(std::move(c));
        continue;
      }
      const uint64_t offset = base_offset + k * spec.offset_increment_bytes;
      const uint64_t size = spec.size ? spec.size->resolve_bytes(capacity_bytes)
                                      : (offset < capacity_bytes ? capacity_bytes - offset : 0);
      if (offset + size > capacity_bytes || offset + size < offset)
        throw WorkloadError("job '" + spec.name + "': region [" + std::to_string(offset) + ", " +
                            std::to_string(offset + size) + ") bytes exceeds the target's " +
                            std::to_string(capacity_bytes) + " bytes");
      if (size < spec.bs_max_bytes)
        throw WorkloadError("job '" + spec.name + "': region of " + std::to_string(size) +
                            " bytes cannot hold one block of " +
                            std::to_string(spec.bs_max_bytes) + " bytes");
      c->region_start = offset / disk::kSectorBytes;
      c->region_sectors = size / disk::kSectorBytes;
      c->bs_min_sectors = spec.bs_min_bytes / disk::kSectorBytes;
      c->bs_max_sectors = spec.bs_max_bytes / disk::kSectorBytes;
      c->io_size_bytes = spec.io_size_bytes.value_or(size);
      if (rw_is_random(spec.rw))
        c->picker.emplace(spec.random_distribution, c->region_sectors / c->bs_min_sectors,
                          c->prng);
      c->actor = sim_.trace().add_actor("job:" + spec.name + "." + std::to_string(k));
      clones_.push_back(std::move(c));
    }
  }
}

void WorkloadGenerator::bind_replay(Clone& c, uint64_t capacity_bytes) {
  const Iolog& log = *c.spec.read_iolog;
  if (log.end_sector.value() * disk::kSectorBytes > capacity_bytes)
    throw WorkloadError("job '" + c.spec.name + "': iolog " + log.source + " reaches byte " +
                        std::to_string(log.end_sector.value() * disk::kSectorBytes) +
                        ", beyond the target's " + std::to_string(capacity_bytes) + " bytes");
  c.iolog = &log;
  c.region_start = 0;
  c.region_sectors = capacity_bytes / disk::kSectorBytes;
  c.bs_min_sectors = 1;
  c.bs_max_sectors = 1;
  c.io_size_bytes = UINT64_MAX;  // the log's length is the limit
}

void WorkloadGenerator::start() {
  SIM_ASSERT(!started_);
  started_ = true;
  for (auto& c : clones_) sim_.spawn(run_clone(*c));
  if (clones_.empty() && on_done_) on_done_();
}

bool WorkloadGenerator::limit_reached(const Clone& c) const {
  if (sim_.now() >= c.deadline) return true;
  if (c.iolog && c.iolog_pos >= c.iolog->entries.size()) return true;
  if (c.spec.number_ios != 0 && c.ios_issued >= c.spec.number_ios) return true;
  if (!c.spec.time_based && c.bytes_issued >= c.io_size_bytes) return true;
  return false;
}

sim::Task WorkloadGenerator::run_clone(Clone& c) {
  if (c.spec.startdelay > sim::Duration::zero()) co_await sim_.sleep(c.spec.startdelay);
  if (c.spec.runtime > sim::Duration::zero()) c.deadline = sim_.now() + c.spec.runtime;
  for (;;) {
    // Before the limit check, so that the last N writes get their fsync too.
    if (c.sync_every_writes != 0 && c.writes_issued != c.synced_at_writes &&
        c.writes_issued % c.sync_every_writes == 0) {
      c.synced_at_writes = c.writes_issued;
      co_await flush_and_wait(c);
      continue;
    }
    if (limit_reached(c)) break;
    if (c.iolog && c.iolog->entries[c.iolog_pos].io.op == UserIo::Op::flush &&
        c.iolog->entries[c.iolog_pos].kind == IologEntry::Kind::io) {
      ++c.iolog_pos;
      co_await flush_and_wait(c);
      continue;
    }
    if (c.iolog && c.iolog->entries[c.iolog_pos].kind == IologEntry::Kind::wait) {
      const sim::Duration wait = c.iolog->entries[c.iolog_pos++].wait;
      commit(c);
      co_await sim_.sleep(wait);
      continue;
    }
    if (c.spec.thinktime > sim::Duration::zero() && c.ios_issued != c.thought_at_ios &&
        c.ios_issued % c.spec.thinktime_blocks == 0) {
      c.thought_at_ios = c.ios_issued;
      co_await think(c);
      continue;
    }
    if (c.in_flight + c.pending.size() >= c.depth) {  // queue full: fio's wait_for_completions
      commit(c);
      co_await reap(c, c.complete_min);
      continue;
    }
    queue(c, next_io(c));
    if (c.pending.size() >= c.batch) commit(c);
  }
  commit(c);
  co_await sim::wait_event(c.wq, [&c] { return c.in_flight == 0; });
  if (c.spec.end_fsync) co_await flush_and_wait(c);
  finish(c);
}

sim::Task WorkloadGenerator::reap(Clone& c, uint32_t min_completions) {
  SIM_ASSERT(c.pending.empty());
  const uint64_t target = c.completions + std::min(min_completions, c.in_flight);
  co_await sim::wait_event(c.wq, [&c, target] { return c.completions >= target; });
}

sim::Task WorkloadGenerator::flush_and_wait(Clone& c) {
  commit(c);
  if (c.in_flight >= c.depth) co_await reap(c, 1);  // the flush needs a free slot
  const uint64_t flushes_before = c.m.user_flushes_completed;
  UserIo flush;
  flush.op = UserIo::Op::flush;
  queue(c, flush);
  commit(c);
  co_await sim::wait_event(
      c.wq, [&c, flushes_before] { return c.m.user_flushes_completed > flushes_before; });
}

sim::Task WorkloadGenerator::think(Clone& c) {
  commit(c);
  co_await sim::wait_event(c.wq, [&c] { return c.in_flight == 0; });  // fio's io_u_quiesce
  co_await sim_.sleep(c.spec.thinktime);
}

uint64_t WorkloadGenerator::next_length_sectors(Clone& c) {
  if (c.bs_min_sectors == c.bs_max_sectors) return c.bs_min_sectors;
  // fio's bsrange: a multiple of the minimum block size within [min, max].
  const uint64_t multiples = c.bs_max_sectors / c.bs_min_sectors;
  return c.bs_min_sectors * (1 + c.prng.below(multiples));
}

uint64_t WorkloadGenerator::next_offset_sectors(Clone& c, int dir, uint64_t len) {
  SIM_ASSERT(len <= c.region_sectors);
  uint64_t off = 0;
  if (c.picker) {
    off = c.picker->next(c.prng) * c.bs_min_sectors;
    // A long block near the end: move it back inside, keeping the alignment.
    if (off + len > c.region_sectors)
      off = (c.region_sectors - len) / c.bs_min_sectors * c.bs_min_sectors;
  } else {
    uint64_t& pos = c.seq_pos[dir];
    if (pos + len > c.region_sectors) pos = 0;  // wrap, as fio does when looping
    off = pos;
    pos += len;
  }
  SIM_ASSERT(off % c.bs_min_sectors == 0);
  SIM_ASSERT(off + len <= c.region_sectors);
  return c.region_start + off;
}

UserIo WorkloadGenerator::next_io(Clone& c) {
  if (c.iolog) {
    const IologEntry& e = c.iolog->entries[c.iolog_pos++];
    SIM_ASSERT(e.kind == IologEntry::Kind::io && e.io.op != UserIo::Op::flush);
    UserIo io = e.io;
    io.fua = io.op == UserIo::Op::write && c.spec.sync_writes;
    return io;
  }
  if (c.write_after_trim) {  // trimwrite: the write of the block just trimmed
    const UserIo io = *c.write_after_trim;
    c.write_after_trim.reset();
    return io;
  }
  int dir = kDirRead;
  switch (c.spec.rw) {
    case RwMode::read: case RwMode::randread: dir = kDirRead; break;
    case RwMode::write: case RwMode::randwrite: dir = kDirWrite; break;
    case RwMode::trim: case RwMode::randtrim:
    case RwMode::trimwrite: case RwMode::randtrimwrite: dir = kDirTrim; break;
    case RwMode::readwrite: case RwMode::randrw:
      dir = c.prng.chance(sim::Ratio::percent(c.spec.rwmixread)) ? kDirRead : kDirWrite;
      break;
  }
  const uint64_t len = next_length_sectors(c);
  UserIo io;
  io.sector = disk::Sector(next_offset_sectors(c, dir, len));
  io.count = disk::SectorCount(len);
  io.op = dir == kDirRead ? UserIo::Op::read
                          : (dir == kDirWrite ? UserIo::Op::write : UserIo::Op::discard);
  io.fua = io.op == UserIo::Op::write && c.spec.sync_writes;
  if (c.spec.rw == RwMode::trimwrite || c.spec.rw == RwMode::randtrimwrite) {
    UserIo w = io;
    w.op = UserIo::Op::write;
    w.fua = c.spec.sync_writes;
    c.write_after_trim = w;
  }
  return io;
}

void WorkloadGenerator::queue(Clone& c, const UserIo& io) {
  SIM_ASSERT(c.in_flight + c.pending.size() < c.depth);
  // A target completing IOs in zero time would let a time_based job spin forever
  // at one instant: bound it.
  if (sim_.now() != c.last_queue_at) {
    c.last_queue_at = sim_.now();
    c.ios_at_last_instant = 0;
  }
  SIM_ASSERT_MSG(++c.ios_at_last_instant <= kIosPerInstantMax,
                 "a job issued too many IOs at one simulated instant (zero-latency target?)");
  if (io.op != UserIo::Op::flush) {
    SIM_ASSERT(io.sector.value() >= c.region_start);
    SIM_ASSERT(io.sector.value() + io.count.value() <= c.region_start + c.region_sectors);
    ++c.ios_issued;
    c.bytes_issued += io.count.bytes();
    if (io.op == UserIo::Op::write) ++c.writes_issued;
  }
  c.pending.push_back(io);
}

void WorkloadGenerator::commit(Clone& c) {
  if (c.pending.empty()) return;
  SIM_ASSERT(c.pending.size() <= c.batch || c.pending.back().op == UserIo::Op::flush);
  auto batch = std::make_shared<SubmittedBatch>();
  batch->ios.swap(c.pending);
  batch->completed.assign(batch->ios.size(), 0);
  batch->submitted = sim_.now();
  const int64_t now_ns = sim_.now().ns();
  if (!c.m.first_submit_ns) c.m.first_submit_ns = now_ns;
  for (const UserIo& io : batch->ios) {
    switch (io.op) {
      case UserIo::Op::read: ++c.m.user_reads; c.m.user_read_bytes += io.count.bytes(); break;
      case UserIo::Op::write:
        ++c.m.user_writes;
        c.m.user_write_bytes += io.count.bytes();
        if (io.fua) ++c.m.user_fua_writes;
        break;
      case UserIo::Op::discard:
        ++c.m.user_discards;
        c.m.user_discard_bytes += io.count.bytes();
        break;
      case UserIo::Op::flush: ++c.m.user_flushes; break;
    }
    sim_.trace().record(sim_.now(), kTraceUserSubmit, c.actor, static_cast<uint64_t>(io.op),
                        io.sector.value(), io.count.value(), c.calls);
    if (options_.record_ios && issued_.size() < options_.record_ios_max)
      issued_.push_back(IssuedIo{.clone = c.index, .call = c.calls, .submit_ns = now_ns, .io = io});
  }
  ++c.calls;
  ++c.m.submit_calls;
  c.in_flight += static_cast<uint32_t>(batch->ios.size());
  c.in_flight_max = std::max(c.in_flight_max, c.in_flight);
  SIM_ASSERT(c.in_flight <= c.depth);
  target_.submit_batch(batch->ios, [this, &c, batch](size_t i, const UserIoCompletion& done) {
    SIM_ASSERT(i < batch->ios.size());
    SIM_ASSERT_MSG(!batch->completed[i], "an IO completed twice");
    batch->completed[i] = 1;
    on_complete(c, batch->ios[i], batch->submitted, done);
  });
}

void WorkloadGenerator::on_complete(Clone& c, const UserIo& io, sim::Instant submitted,
                                    const UserIoCompletion& done) {
  SIM_ASSERT(c.in_flight > 0);
  SIM_ASSERT(done.completed_at >= submitted);
  SIM_ASSERT(done.completed_at <= sim_.now());
  --c.in_flight;
  ++c.completions;
  const sim::Duration latency = done.completed_at - submitted;
  if (done.status != disk::IoStatus::ok) ++c.m.user_io_errors;
  switch (io.op) {
    case UserIo::Op::read:
      ++c.m.user_reads_completed;
      c.m.user_completed_bytes += io.count.bytes();
      c.m.read_lat.record(latency);
      break;
    case UserIo::Op::write:
      ++c.m.user_writes_completed;
      c.m.user_completed_bytes += io.count.bytes();
      c.m.write_lat.record(latency);
      c.m.last_write_completion_ns = done.completed_at.ns();
      break;
    case UserIo::Op::discard:
      ++c.m.user_discards_completed;
      c.m.user_completed_bytes += io.count.bytes();
      c.m.discard_lat.record(latency);
      break;
    case UserIo::Op::flush:
      ++c.m.user_flushes_completed;
      c.m.flush_lat.record(latency);
      break;
  }
  if (!c.m.last_completion_ns || done.completed_at.ns() > *c.m.last_completion_ns)
    c.m.last_completion_ns = done.completed_at.ns();
  sim_.trace().record(sim_.now(), kTraceUserComplete, c.actor, static_cast<uint64_t>(io.op),
                      io.sector.value(), io.count.value(), static_cast<uint64_t>(done.status));
  c.wq.wake_all();
}

void WorkloadGenerator::finish(Clone& c) {
  SIM_ASSERT(!c.finished);
  SIM_ASSERT(c.in_flight == 0 && c.pending.empty());
  c.finished = true;
  ++clones_finished_;
  if (done() && on_done_) on_done_();
}

RunMetrics WorkloadGenerator::metrics() const {
  RunMetrics total;
  for (const auto& c : clones_) total.merge_user_side(c->m);
  return total;
}

const RunMetrics& WorkloadGenerator::clone_metrics(size_t clone) const {
  SIM_ASSERT(clone < clones_.size());
  return clones_[clone]->m;
}

uint32_t WorkloadGenerator::clone_in_flight(size_t clone) const {
  SIM_ASSERT(clone < clones_.size());
  return clones_[clone]->in_flight;
}

uint32_t WorkloadGenerator::clone_in_flight_max(size_t clone) const {
  SIM_ASSERT(clone < clones_.size());
  return clones_[clone]->in_flight_max;
}

}  // namespace mdsim::workload
