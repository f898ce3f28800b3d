// The fio-like workload generator: one coroutine process per job clone
// (numjobs clones of each JobSpec), submitting UserIos to an IoTarget.
//
// Queueing follows fio's main loop (backend.c do_io with an async engine such
// as libaio), which decides how IOs group into submission calls and therefore
// into block plugs:
//  1. IOs are generated one at a time and queued (not yet submitted).
//  2. When iodepth_batch_submit IOs are queued, they are submitted in one
//     call (IoTarget::submit_batch = io_submit = one plug).
//  3. When queued + in flight reach iodepth (the queue is full), the queued
//     IOs are submitted (a smaller call), then the job waits for at least
//     min(iodepth_batch_complete_min, in flight) completions.
//  4. When the job runs out of IOs it submits what is queued and waits for
//     every IO to complete.
// So at iodepth 32 with batch 16 the first two calls carry 16 IOs each, and in
// steady state each call carries as many IOs as completions were reaped. To
// get "wait until a whole batch of slots is free, then submit a full batch",
// set iodepth_batch_complete_min = iodepth_batch_submit (a fio key too).
//
// Limits: a job stops issuing at number_ios IOs, at io_size bytes (default:
// size; not with time_based) or at runtime after its start (after
// startdelay), whichever comes first; IOs in flight then complete normally.
// thinktime: after every thinktime_blocks issued IOs, submit what is queued,
// wait for all IOs in flight (fio's io_u_quiesce), then sleep thinktime.
// fsync=N / fdatasync=N: after every N writes issued, submit what is queued,
// then a flush UserIo alone in its own call (it needs a free depth slot), and
// the job waits for the flush before generating more (fio's libaio engine runs
// the fsync synchronously while other IOs stay in flight).
//
// Replay (read_iolog): the log's IOs are issued in order through the same
// queueing (iodepth, batches); its sync lines are flushes as with fsync=N, its
// wait lines submit what is queued and idle; offsets are absolute on the target.
//
// Determinism: every clone draws from its own stream
// sim.stream("<prefix>/<job index>/<clone>"); nothing else is random.
//
// Invariants (per clone): in flight <= effective iodepth; every call carries
// 1..effective_batch() IOs (a flush call exactly 1); offsets are aligned to the
// minimum block size relative to the region start and lie inside
// [offset, offset + size).
//
// REQUIRES (lifetime): the generator and the target outlive every IO in
// flight (the completion callbacks point into the generator).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/workload/distribution.h"
#include "model/workload/io_target.h"
#include "model/workload/job.h"
#include "model/workload/metrics.h"
#include "sim/simulator.h"
#include "sim/task.h"
#include "sim/wait_queue.h"

namespace mdsim::workload {

// Most IOs one clone may queue without simulated time advancing.
inline constexpr uint64_t kIosPerInstantMax = uint64_t{1} << 24;

struct GeneratorOptions {
  std::string stream_prefix = "workload";
  bool record_ios = false;           // keep every submitted IO in issued()
  uint64_t record_ios_max = 1'000'000;  // limit on the issued() log
};

// One submitted IO, for previews and tests.
struct IssuedIo {
  uint32_t clone = 0;       // index into the generator's clones (job-major order)
  uint64_t call = 0;        // submission call number of this clone (0-based)
  int64_t submit_ns = 0;
  UserIo io;
};

class WorkloadGenerator {
 public:
  // Resolves each job's region against target.capacity().
  // REQUIRES: every job passes validate_job. Throws WorkloadError if a region
  // does not fit the target or cannot hold one block of bs_max.
  WorkloadGenerator(sim::Simulator& sim, IoTarget& target, std::vector<JobSpec> jobs,
                    GeneratorOptions options = {});
  ~WorkloadGenerator();
  WorkloadGenerator(const WorkloadGenerator&) = delete;
  WorkloadGenerator& operator=(const WorkloadGenerator&) = delete;

  // Spawns one process per clone. REQUIRES: called once.
  void start();
  // Called once, when every clone has finished and nothing is in flight.
  void set_on_done(std::function<void()> fn) { on_done_ = std::move(fn); }

  bool done() const { return clones_finished_ == clones_.size(); }
  size_t clone_count() const { return clones_.size(); }
  // User-side metrics summed over all clones.
  RunMetrics metrics() const;
  const RunMetrics& clone_metrics(size_t clone) const;
  uint32_t clone_in_flight(size_t clone) const;
  // Largest number of IOs one clone had in flight at once.
  uint32_t clone_in_flight_max(size_t clone) const;
  const std::vector<IssuedIo>& issued() const { return issued_; }

 private:
  struct Clone;
  sim::Task run_clone(Clone& c);
  sim::Task flush_and_wait(Clone& c);
  sim::Task reap(Clone& c, uint32_t min_completions);
  sim::Task think(Clone& c);
  UserIo next_io(Clone& c);
  uint64_t next_length_sectors(Clone& c);
  uint64_t next_offset_sectors(Clone& c, int dir, uint64_t len_sectors);
  bool limit_reached(const Clone& c) const;
  void queue(Clone& c, const UserIo& io);
  void commit(Clone& c);
  void on_complete(Clone& c, const UserIo& io, sim::Instant submitted,
                   const UserIoCompletion& done);
  void finish(Clone& c);
  void bind_replay(Clone& c, uint64_t capacity_bytes);

  sim::Simulator& sim_;
  IoTarget& target_;
  GeneratorOptions options_;
  std::vector<std::unique_ptr<Clone>> clones_;
  std::vector<IssuedIo> issued_;
  size_t clones_finished_ = 0;
  bool started_ = false;
  std::function<void()> on_done_;
};

}  // namespace mdsim::workload
