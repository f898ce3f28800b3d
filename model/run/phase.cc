#include "model/run/phase.h"

#include <algorithm>

#include "faults/crash_state.h"
#include "faults/fault_plan.h"
#include "model/run/checks.h"
#include "model/run/crash.h"
#include "sim/assert.h"

namespace mdsim::run {

namespace {
constexpr sim::TraceKind kPowerLoss("power_loss");
constexpr sim::TraceKind kWorkloadBegin("workload_begin");
constexpr sim::TraceKind kWorkloadEnd("workload_end");
constexpr sim::TraceKind kResyncBegin("resync_begin");
constexpr sim::TraceKind kResyncEnd("resync_end");
constexpr sim::TraceKind kAssembled("assembled");
constexpr sim::Duration kSlice = sim::Duration::ms(10);  // progress / limit granularity
constexpr uint64_t kPostCrashSalt = 0x706f73742d637261ull;
}  // namespace

std::vector<disk::Disk*> Phases::World::disk_ptrs() const {
  std::vector<disk::Disk*> v;
  for (const auto& d : disks) v.push_back(d.get());
  return v;
}

Phases::Phases(const scenario::Scenario& s, const RunOptions& opt) : s_(s), opt_(opt) {}

Phases::~Phases() {
  // The generator's processes reference the pre-crash target: destroy it first.
  gen_.reset();
}

void Phases::build_pre_crash() {
  pre_.sim = std::make_unique<sim::Simulator>(s_.seed);
  pre_.sim->trace().set_recording(opt_.record_trace);
  pre_.runner_actor = pre_.sim->trace().add_actor("runner");
  for (uint32_t d = 0; d < s_.array.disks; ++d) {
    const uint64_t seed = pre_.sim->stream("disk/" + std::to_string(d)).next_u64();
    pre_.disks.push_back(std::make_unique<disk::Disk>(*pre_.sim, "disk" + std::to_string(d), disk_config(s_, d, seed)));
    if (s_.disk.members[d].slow_factor > 1) pre_.disks.back()->set_slow_factor(s_.disk.members[d].slow_factor);
  }
  pre_.array = md::Array::create(*pre_.sim, pre_.disk_ptrs(), array_config(s_));
  SIM_ASSERT(pre_.array != nullptr);
  pre_.target = std::make_unique<ArrayTarget>(*pre_.array, oracle_);
}

void Phases::arm_faults() {
  faults::FaultPlan plan;
  const sim::Instant t0 = pre_.sim->now();
  const disk::Sector base = pre_.array->data_offset();
  for (const scenario::Fault& f : s_.faults) {
    if (f.type == scenario::FaultType::power_loss) continue;
    faults::Fault x;
    x.at = t0 + sim::Duration::ns(f.at_ns.value_or(0));
    x.disk = static_cast<uint32_t>(f.disk);
    x.range = disk::SectorRange{base + disk::SectorCount(f.sector), disk::SectorCount(f.sectors)};
    x.sticky = f.sticky;
    switch (f.type) {
      case scenario::FaultType::bad_block: x.kind = faults::FaultKind::bad_range; break;
      case scenario::FaultType::write_error: x.kind = faults::FaultKind::write_error; break;
      case scenario::FaultType::fail_disk: x.kind = faults::FaultKind::fail; break;
      case scenario::FaultType::remove_disk: x.kind = faults::FaultKind::remove; break;
      case scenario::FaultType::readd_disk: x.kind = faults::FaultKind::readd; break;
      case scenario::FaultType::slow_disk: x.kind = faults::FaultKind::slow; x.slow_factor = f.factor; break;
      default:
        x.kind = faults::FaultKind::latency_spike;
        x.extra = sim::Duration::ns(f.extra_ns);
        x.spike_len = sim::Duration::ns(f.duration_ns);
        break;
    }
    plan.add(x);
  }
  plan.arm(*pre_.sim, pre_.disk_ptrs());
  // mdadm --re-add after the device is back (same instant, scheduled later).
  for (const scenario::Fault& f : s_.faults) {
    if (f.type != scenario::FaultType::readd_disk) continue;
    const int d = f.disk;
    pre_.sim->schedule_at(t0 + sim::Duration::ns(*f.at_ns), [this, d] {
      if (pre_.array->members()[static_cast<size_t>(d)].faulty && !pre_.array->remove_member(d)) return;
      pre_.array->re_add_member(d);
    });
  }
}

bool Phases::drive(World& w, sim::Instant deadline, const std::function<bool()>& until) {
  const sim::Instant limit = sim::Instant::from_ns(std::min<int64_t>(deadline.ns(), s_.limits.time_ns_max));
  auto done = [&] { return until && until(); };
  w.target->set_after_completion([&w, &done] {
    if (done()) w.sim->stop();
  });
  while (!done()) {
    if (crash_trigger_) break;
    if (w.sim->now() >= limit) break;
    w.sim->run_until(std::min(limit, w.sim->now() + kSlice));
    if (w.sim->events_executed() > s_.limits.events_max)
      throw std::runtime_error("limits.events_max (" + std::to_string(s_.limits.events_max) + ") reached at t=" +
                               std::to_string(w.sim->now().ns()) + " ns");
    if (opt_.progress) opt_.progress(static_cast<uint64_t>(w.sim->now().ns()), static_cast<uint64_t>(limit.ns()));
  }
  w.target->set_after_completion(nullptr);
  if (!done() && !crash_trigger_ && until && deadline.ns() > s_.limits.time_ns_max)
    throw std::runtime_error("limits.time_ns_max (" + std::to_string(s_.limits.time_ns_max) + " ns) reached");
  return crash_trigger_;
}

void Phases::apply_disk_op(World& w, const scenario::Op& o) {
  disk::Disk& d = *w.disks[static_cast<size_t>(o.disk)];
  const disk::Sector base = w.array ? w.array->data_offset() : pre_.array->data_offset();
  const disk::SectorRange r{base + disk::SectorCount(o.sector), disk::SectorCount(o.sectors)};
  switch (o.type) {
    case scenario::OpType::fail_disk: d.set_failed(true); break;
    case scenario::OpType::remove_disk: d.set_missing(true); break;
    case scenario::OpType::readd_disk:
      d.set_failed(false);
      d.set_missing(false);
      if (w.array) {
        if (!w.array->members()[static_cast<size_t>(o.disk)].faulty || w.array->remove_member(o.disk))
          w.array->re_add_member(o.disk);
      }
      break;
    case scenario::OpType::bad_block: d.add_bad_range(r, o.sticky); break;
    default: SIM_ASSERT(o.type == scenario::OpType::write_error); d.add_write_error_range(r); break;
  }
}

size_t Phases::run_ops(World& w, size_t from) {
  for (size_t i = from; i < s_.ops.size(); ++i) {
    const scenario::Op& o = s_.ops[i];
    workload::UserIo io;
    io.sector = disk::Sector(o.sector);
    io.count = disk::SectorCount(o.sectors);
    io.fua = o.type == scenario::OpType::write && o.fua;
    io.preflush = o.type == scenario::OpType::write && o.preflush;
    switch (o.type) {
      case scenario::OpType::power_loss: return i;
      case scenario::OpType::write: io.op = workload::UserIo::Op::write; break;
      case scenario::OpType::read: io.op = workload::UserIo::Op::read; break;
      case scenario::OpType::discard: io.op = workload::UserIo::Op::discard; break;
      case scenario::OpType::flush: io.op = workload::UserIo::Op::flush; break;
      case scenario::OpType::wait:
        drive(w, o.ns > 0 ? w.sim->now() + sim::Duration::ns(o.ns) : sim::Instant::max(),
              [&w] { return w.target->outstanding() == 0; });
        continue;
      case scenario::OpType::slow_disk: w.disks[static_cast<size_t>(o.disk)]->set_slow_factor(o.factor); continue;
      case scenario::OpType::advance: drive(w, w.sim->now() + sim::Duration::ns(o.ns), nullptr); continue;
      case scenario::OpType::daemon_tick:
        drive(w, w.sim->now() + std::max(w.array->intent().daemon_sleep(), sim::Duration::ns(1)), nullptr);
        continue;
      case scenario::OpType::start_resync:
        if (w.array->sync_action() == md::SyncAction::idle) w.array->start_sync_action(md::SyncAction::resync);
        continue;
      default: apply_disk_op(w, o); continue;
    }
    // Consecutive writes marked "batch" share the first one's submission call.
    std::vector<workload::UserIo> call{io};
    while (io.op == workload::UserIo::Op::write && i + 1 < s_.ops.size() &&
           s_.ops[i + 1].type == scenario::OpType::write && s_.ops[i + 1].batch) {
      ++i;
      workload::UserIo more = io;
      more.sector = disk::Sector(s_.ops[i].sector);
      more.count = disk::SectorCount(s_.ops[i].sectors);
      more.fua = s_.ops[i].fua;
      more.preflush = s_.ops[i].preflush;
      call.push_back(more);
    }
    w.target->submit_batch(call, [](size_t, const workload::UserIoCompletion&) {});
  }
  return s_.ops.size();
}

void Phases::crash_and_assemble(const scenario::PersistChoice& persist) {
  crashed_ = true;
  crash_trigger_ = false;  // the trigger stopped the pre-crash world; the post-crash one runs freely
  pre_end_ns_ = pre_.sim->now().ns();
  pre_.sim->trace().record(pre_.sim->now(), kPowerLoss, pre_.runner_actor);
  std::vector<const disk::Disk*> cdisks(pre_.disks.size());
  for (size_t d = 0; d < pre_.disks.size(); ++d) cdisks[d] = pre_.disks[d].get();
  const faults::CrashState state = faults::capture(cdisks);
  const faults::CrashStateChoice choice = choose_crash(state, persist, pre_.sim->stream("crash-choice").next_u64());
  images_ = faults::apply_crash(state, choice);
  World w;
  w.sim = std::make_unique<sim::Simulator>(sim::mix64(s_.seed ^ kPostCrashSalt));
  w.sim->trace().set_recording(opt_.record_trace);
  w.runner_actor = w.sim->trace().add_actor("runner");
  for (size_t d = 0; d < images_.size(); ++d) {
    const uint64_t seed = w.sim->stream("disk/" + std::to_string(d)).next_u64();
    w.disks.push_back(std::make_unique<disk::Disk>(*w.sim, "disk" + std::to_string(d), disk_config(s_, d, seed), images_[d]));
  }
  post_ = std::move(w);
  if (!s_.after_crash.assemble) return;
  md::AssembleOptions ao;
  ao.runtime = array_config(s_);
  md::Array::Assembled a = md::Array::assemble(*post_->sim, post_->disk_ptrs(), ao);
  assembled_meta_.decision = a.decision;
  assembled_meta_.detail = a.detail;
  post_->array = std::move(a.array);
  post_->sim->trace().record(post_->sim->now(), kAssembled, post_->runner_actor, static_cast<uint64_t>(a.decision));
  if (!post_->array) return;
  post_->target = std::make_unique<ArrayTarget>(*post_->array, oracle_);
  // Recovery first, then the owed resync (md_check_recovery): with no intent
  // record that resync is full too.
  everything_covered_ = a.decision == md::AssembleDecision::full_resync ||
                        (a.decision == md::AssembleDecision::recovery && !post_->array->intent().enabled() &&
                         post_->array->resync_offset() == disk::Sector(0));
  if (a.decision == md::AssembleDecision::intent_resync || a.decision == md::AssembleDecision::recovery)
    covered_ = post_->array->intent().dirty_ranges();
}

void Phases::settle_resync() {
  if (!post_ || !post_->array || !s_.after_crash.resync) return;
  World& w = *post_;
  w.sim->trace().record(w.sim->now(), kResyncBegin, w.runner_actor);
  drive(w, w.sim->now() + sim::Duration::ns(s_.after_crash.timeout_ns), [&w] { return w.array->idle(); });
  resync_timed_out_ = !w.array->idle();
  w.sim->trace().record(w.sim->now(), kResyncEnd, w.runner_actor);
}

RunOutput Phases::run() {
  build_pre_crash();
  arm_faults();
  const sim::Instant t0 = pre_.sim->now();
  pre_.sim->trace().record(t0, kWorkloadBegin, pre_.runner_actor);
  const scenario::Fault* crash_fault = nullptr;
  for (const auto& f : s_.faults)
    if (f.type == scenario::FaultType::power_loss) crash_fault = &f;
  if (crash_fault && crash_fault->at_event) {
    const uint64_t n = *crash_fault->at_event;
    pre_.sim->trace().set_observer([this, n](const sim::TraceEvent&) {
      if (!crash_trigger_ && pre_.sim->trace().count() >= n) {
        crash_trigger_ = true;
        pre_.sim->stop();
      }
    });
  }
  if (s_.workload) {
    gen_ = std::make_unique<workload::WorkloadGenerator>(*pre_.sim, *pre_.target,
                                                         std::vector<workload::JobSpec>{job_spec(*s_.workload)});
    gen_->start();
  }
  auto work_done = [this] { return (!gen_ || gen_->done()) && pre_.target->outstanding() == 0; };
  const size_t crash_op = run_ops(pre_, 0);
  if (crash_op < s_.ops.size()) {
    workload_end_ns_ = pre_.sim->now().ns() - t0.ns();
    crash_and_assemble(s_.ops[crash_op].persist);
    if (post_->array) run_ops(*post_, crash_op + 1);
  } else if (crash_fault) {
    const sim::Instant at = crash_fault->at_ns ? t0 + sim::Duration::ns(*crash_fault->at_ns) : sim::Instant::max();
    drive(pre_, at, nullptr);
    if (crash_fault->at_event && !crash_trigger_)
      throw std::runtime_error("power_loss at_event " + std::to_string(*crash_fault->at_event) +
                               " was never reached (the run ended first)");
    pre_.sim->trace().set_observer(nullptr);
    workload_end_ns_ = pre_.sim->now().ns() - t0.ns();
    crash_and_assemble(crash_fault->persist);
  } else {
    drive(pre_, sim::Instant::max(), work_done);
    workload_end_ns_ = pre_.sim->now().ns() - t0.ns();
  }
  pre_.sim->trace().record(pre_.sim->now(), kWorkloadEnd, pre_.runner_actor);
  settle_resync();
  evaluate_checks();
  fill_metrics();
  RunOutput out;
  out.result = result_;
  if (opt_.record_trace) out.trace = merged_trace();
  return out;
}

}  // namespace mdsim::run
