// One run of a scenario, in two simulations (internal to the runner).
//
//  pre-crash:  Simulator(seed); disks; Array::create; fault plan armed;
//              workload generator and/or ops; runs to the power loss (time,
//              event count or op) or until the work is done.
//  post-crash: the crash layers of every member are captured, a persisted
//              subset is chosen (crash.h), and a NEW Simulator builds disks
//              from those images and assembles the array from them alone
//              (the old engine's memory is never consulted), resyncs, and
//              runs the ops after the power loss.
// The pre-crash objects stay alive (never stepped again) until the end: their
// pending events point into them.
//
// trace_hash = mix of the two simulations' hashes (pre-crash only when there
// is no crash); events = the sum of both traces' counts.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "faults/oracle.h"
#include "model/disk/disk.h"
#include "model/md/array.h"
#include "model/run/build.h"
#include "model/run/runner.h"
#include "model/workload/generator.h"
#include "sim/simulator.h"

namespace mdsim::run {

class Phases {
 public:
  Phases(const scenario::Scenario& s, const RunOptions& opt);
  ~Phases();
  RunOutput run();

 private:
  struct World {  // one simulation's objects
    std::unique_ptr<sim::Simulator> sim;
    std::vector<std::unique_ptr<disk::Disk>> disks;
    std::unique_ptr<md::Array> array;
    std::unique_ptr<ArrayTarget> target;
    uint32_t runner_actor = 0;
    std::vector<disk::Disk*> disk_ptrs() const;
  };

  void build_pre_crash();
  void arm_faults();
  // Runs until `deadline`, the crash trigger, or `until()` holds; true if it
  // stopped because of the crash trigger.
  bool drive(World& w, sim::Instant deadline, const std::function<bool()>& until);
  size_t run_ops(World& w, size_t from);  // returns the index of a power_loss op, or ops.size()
  void apply_disk_op(World& w, const scenario::Op& o);
  void crash_and_assemble(const scenario::PersistChoice& persist);
  void settle_resync();
  void evaluate_checks();
  void check_liveness();
  void fill_metrics();
  sim::Trace merged_trace() const;

  const scenario::Scenario& s_;
  const RunOptions& opt_;
  faults::Oracle oracle_;
  World pre_;
  std::optional<World> post_;
  std::unique_ptr<workload::WorkloadGenerator> gen_;
  std::vector<disk::DiskImage> images_;
  md::Array::Assembled assembled_meta_;  // decision and detail (array moved to post_)
  std::vector<disk::SectorRange> covered_;
  bool everything_covered_ = false;
  bool crash_trigger_ = false;
  bool crashed_ = false;
  bool resync_timed_out_ = false;
  int64_t pre_end_ns_ = 0;
  int64_t workload_end_ns_ = 0;
  Result result_;
};

}  // namespace mdsim::run
