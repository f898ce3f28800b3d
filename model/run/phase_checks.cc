// Phases: checks, metrics and the merged trace (see phase.h).
#include <algorithm>

#include "model/run/checks.h"
#include "model/run/phase.h"
#include "sim/assert.h"

namespace mdsim::run {

namespace {
constexpr sim::TraceKind kSettleBegin("settle_begin");
constexpr sim::TraceKind kSettleEnd("settle_end");
}  // namespace

static std::vector<bool> in_array_of(const md::Array* array, size_t disks) {
  std::vector<bool> v(disks, !array);  // no array (not assembled): every member counts
  if (!array) return v;
  const auto members = array->members();
  for (size_t d = 0; d < disks && d < members.size(); ++d)
    v[d] = members[d].raid_disk >= 0 && members[d].in_sync && !members[d].faulty;
  return v;
}

// Liveness: with the work done, resync finishes and the intent record becomes
// clean within a few daemon periods (design.md §4).
void Phases::check_liveness() {
  World& w = crashed_ ? *post_ : pre_;
  CheckOutcome c;
  if (!w.array) {
    c.held = false;
    c.detail = "no running array after the crash: " + assembled_meta_.detail;
    result_.checks["liveness"] = c;
    return;
  }
  const sim::Duration daemon = w.array->intent().daemon_sleep();
  const sim::Duration settle = daemon * 4 + sim::Duration::ms(s_.array.safe_mode_delay_ms) + sim::Duration::s(1);
  w.sim->trace().record(w.sim->now(), kSettleBegin, w.runner_actor);
  drive(w, w.sim->now() + sim::Duration::ns(s_.after_crash.timeout_ns), [&w] { return w.array->idle(); });
  drive(w, w.sim->now() + settle, nullptr);
  w.sim->trace().record(w.sim->now(), kSettleEnd, w.runner_actor);
  const auto dirty = w.array->intent().dirty_ranges();
  c.held = w.array->idle() && dirty.empty() && w.array->clean();
  c.detail = c.held ? "idle, superblock clean, intent record clean after " + std::to_string(settle.count_ns()) + " ns"
                    : std::string("after settling: ") + (w.array->idle() ? "idle" : "NOT idle") + ", " +
                          std::to_string(dirty.size()) + " dirty intent ranges, superblock " +
                          (w.array->clean() ? "clean" : "active");
  result_.checks["liveness"] = c;
}

// The current images of w's disks (what a read returns now).
static std::vector<disk::DiskImage> current_images(const std::vector<disk::Disk*>& disks) {
  std::vector<disk::DiskImage> out;
  out.reserve(disks.size());
  for (const disk::Disk* d : disks) out.push_back(d->current_image());  // O(1) shared copy
  return out;
}

void Phases::evaluate_checks() {
  World& w = crashed_ ? *post_ : pre_;
  const std::vector<bool> in_array = in_array_of(w.array.get(), w.disks.size());
  // Geometry and roles: the running array, or (not assembled) the pre-crash one.
  md::Array& layout_of = w.array ? *w.array : *pre_.array;
  const bool refused = crashed_ && s_.after_crash.assemble && !post_->array;
  const CheckOutcome refused_outcome{false, "assembly refused: " + assembled_meta_.detail};
  const std::vector<disk::DiskImage> now = current_images(w.disk_ptrs());
  const md::MemberImages after = in_sync_images(layout_of, now, in_array);
  for (const std::string& name : s_.checks) {
    if (name == "liveness") continue;  // last: it lets time pass
    CheckOutcome c;
    if (name == "intent_before_data") {
      uint64_t v = pre_.array->counters().intent_violations;
      if (post_ && post_->array) v += post_->array->counters().intent_violations;
      c.held = v == 0;
      c.detail = std::to_string(v) + " member data writes were submitted before their intent was on media";
    } else if (refused) {
      c = refused_outcome;
    } else if (name == "coverage") {
      if (!crashed_) {
        c.detail = "no power loss in this run: nothing to cover";
      } else if (!s_.after_crash.assemble) {
        c.detail = "not checked: after_crash.assemble is false, no intent record was loaded";
      } else {
        const md::MemberImages at_crash = in_sync_images(*w.array, images_, in_array);
        const uint64_t chunk = std::max<uint64_t>(1, w.array->intent().chunk_sectors().value());
        const CoverageOutcome co = check_coverage(at_crash, covered_, everything_covered_,
                                                  chunk > 1 ? chunk : s_.array.intent.chunk_bytes / 512 + 1);
        c = co.check;
        result_.inconsistent_chunks = co.inconsistent_chunks;
      }
    } else if (name == "convergence") {
      if (resync_timed_out_) {
        c = {false, "resync did not finish within after_crash.timeout_ns"};
      } else {
        c = check_convergence(oracle_, after);
      }
    } else {
      SIM_ASSERT(name == "durability");
      c = check_durability(oracle_, after);
    }
    result_.checks[name] = c;
  }
  for (const std::string& name : s_.checks)
    if (name == "liveness") check_liveness();
}

void Phases::fill_metrics() {
  Result& r = result_;
  r.scenario = s_.name;
  r.seed = s_.seed;
  const md::ArrayCounters& c = pre_.array->counters();
  using disk::IoClass;
  auto idx = [](IoClass k) { return static_cast<size_t>(k); };
  r.user_writes = c.user_writes;
  r.user_write_bytes = c.user_write_bytes;
  r.data_writes = c.member_writes[idx(IoClass::data)].requests;
  r.meta_writes = c.member_writes[idx(IoClass::intent)].requests + c.member_writes[idx(IoClass::superblock)].requests;
  r.meta_write_bytes = c.member_writes[idx(IoClass::intent)].bytes + c.member_writes[idx(IoClass::superblock)].bytes;
  r.flushes = c.member_flushes;
  set_write_latency(r, c.write_latency);
  r.workload_time_ns = workload_end_ns_;
  r.member_io_table = md::format_counters(c);
  r.crash_points_checked = crashed_ ? 1 : 0;
  r.crash_states_checked = r.crash_points_checked;
  r.crash_state_failures = crashed_ && !r.passed() ? 1 : 0;
  r.resync_sectors = crashed_ ? (post_->array ? post_->array->counters().resync_sectors : 0) : c.resync_sectors;
  const uint64_t h_pre = pre_.sim->trace().hash();
  r.events = pre_.sim->trace().count();
  r.sim_time_ns = pre_.sim->now().ns();
  r.trace_hash = h_pre;
  if (post_) {
    r.events += post_->sim->trace().count();
    r.sim_time_ns += post_->sim->now().ns();
    r.trace_hash = sim::mix64(h_pre ^ sim::mix64(post_->sim->trace().hash()));
  }
}

// One trace for the output files: pre-crash actors as they are, post-crash
// actors prefixed "after-crash/", post-crash times shifted by the crash instant.
sim::Trace Phases::merged_trace() const {
  sim::Trace t;
  t.set_recording(true);
  const sim::Trace& a = pre_.sim->trace();
  for (size_t i = 0; i < a.actor_count(); ++i) t.add_actor(a.actor_name(static_cast<uint32_t>(i)));
  for (const auto& e : a.events())
    t.record(sim::Instant::from_ns(e.time_ns), *e.kind, e.actor, e.args[0], e.args[1], e.args[2], e.args[3]);
  if (!post_) return t;
  const sim::Trace& b = post_->sim->trace();
  const uint32_t base = static_cast<uint32_t>(t.actor_count());
  for (size_t i = 0; i < b.actor_count(); ++i) t.add_actor("after-crash/" + b.actor_name(static_cast<uint32_t>(i)));
  for (const auto& e : b.events())
    t.record(sim::Instant::from_ns(e.time_ns + pre_end_ns_), *e.kind, base + e.actor, e.args[0], e.args[1], e.args[2],
             e.args[3]);
  return t;
}

}  // namespace mdsim::run
