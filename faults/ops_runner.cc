#include "faults/ops_runner.h"

#include <algorithm>
#include <sstream>

#include "faults/crash_state.h"
#include "faults/intent_window.h"
#include "faults/world.h"
#include "model/disk/disk.h"
#include "model/disk/sector_store.h"
#include "model/md/array.h"
#include "model/md/md_array.h"
#include "sim/simulator.h"

namespace mdsim::faults {

namespace {
// raid1 barrier unit (BARRIER_UNIT_SECTOR_BITS): user IO never crosses one.
constexpr uint64_t kBarrierUnitBits = 17;

// bad_block / write_error ops name member data sectors: the member's data
// area (raid1: the array size; raid10 / raid5: one member's share).
uint64_t member_data_sectors(md::Array& a) { return a.core().geo_.dev_sectors; }
}  // namespace

using disk::Disk;
using disk::DiskImage;

OpsRunner::OpsRunner(OpsSetup setup, RunOptions options)
    : setup_(std::move(setup)), options_(options) {}
OpsRunner::~OpsRunner() = default;

sim::Simulator& OpsRunner::simulator() { return *world_->sim; }
md::Array* OpsRunner::array() { return world_ ? world_->array.get() : nullptr; }
const std::vector<std::unique_ptr<Disk>>& OpsRunner::disks() const { return world_->disks; }

void OpsRunner::install_hook() {
  world_->array->set_data_write_hook([this](const md::DataWriteEvent& e) {
    online_.on_data_write(e.member, e.member_offset, e.count, e.intent_covered, e.at.ns());
  });
}

void OpsRunner::build_world() {
  world_ = create_world(setup_, worlds_built_++, options_.record_trace);
  install_hook();
}

void OpsRunner::build_world_from(std::vector<DiskImage> images, const DroppedIntent& dropped) {
  world_.reset();
  world_ = assemble_world(setup_, worlds_built_++, images, options_.record_trace);
  if (!world_->array) {
    // md refuses (every member failed; raid5 dirty and degraded, the write
    // hole it cannot close): an outcome md gives too, nothing left to check.
    dead_ = true;
    outcome_.refused = world_->decision_detail;
    return;
  }
  install_hook();
  if (!world_->array->assembly_conflict().empty()) {
    // F25: an events rollback (can_decrease_events) and a member failing
    // while that round's intent superblock write ran left two members with
    // equal events and role tables that disagree. mdadm keeps the first of
    // them and ignores a device reporting it failed; the kernel trusts a
    // tied device's own role. Either way md may assemble the stale copy:
    // md's window, not the model's. The run ends here, passing, with the
    // reason recorded (docs/verification.md F25).
    outcome_.events_tie = world_->array->assembly_conflict();
    dead_ = true;
    return;
  }
  recovery_since_crash_ = world_->decision == md::AssembleDecision::recovery;
  max_slow_factor_ = 1;  // fresh disks
  resync_owed_ = world_->decision == md::AssembleDecision::intent_resync ||
                 world_->decision == md::AssembleDecision::full_resync;
  loaded_checkpoint_ = world_->array->resync_offset();
  // Checks on the crash state itself (images, before any resync write).
  md::Array& a = *world_->array;
  const md::MemberImages view = md::images_of(trusted_slots(a), images);
  const RangeSet resync = will_resync(a, world_->decision);
  const SectorCount cs = report_chunk(&a);
  const auto written = oracle_.written_sectors();
  const auto candidates = intent_candidates(view.geo, oracle_, written, false);
  const Efficiency e = measure_efficiency(view, candidates, resync, cs);
  outcome_.efficiency.resync_sectors += e.resync_sectors;
  outcome_.efficiency.inconsistent_sectors += e.inconsistent_sectors;
  outcome_.efficiency.inconsistent_chunks += e.inconsistent_chunks;
  if (auto r = check_durability(view, oracle_, cs, written); !r.held) return fail(r);
  const auto specified = specified_intent(view.geo, oracle_, candidates);
  if (auto r = check_coverage(view, specified, resync, cs); !r.held) {
    if (!only_one_copy_window(llbitmap_copies_mark(a, images, dropped), view, specified, resync, cs))
      return fail(r);
    // A real md window (faults/intent_window.h, F31): md leaves the chunk
    // unsynced, so convergence cannot hold either. The run ends, passing.
    outcome_.intent_window = "llbitmap one-copy window: " + r.detail;
    dead_ = true;
  }
}

RunOutcome OpsRunner::run(std::span<const Op> ops) {
  ops_ = ops;
  try {
    build_world();
    size_t i = 0;
    while (i < ops.size() && !outcome_.failed && !dead_) {
      current_op_ = i;
      execute(ops, i);
      if (!outcome_.failed && !dead_) watch_write_hole();
      if (!outcome_.failed) {
        const auto online = online_.result(report_chunk(array()));
        if (!online.held) fail(online);
      }
    }
    outcome_.ops_executed = i;
    if (!outcome_.failed && !dead_ && options_.final_checks) final_checks();
  } catch (const sim::AssertionFailure& e) {
    CheckResult r;
    r.name = "engine_assertion";
    r.held = false;
    r.detail = e.what();
    fail(r);
  } catch (const std::exception& e) {  // e.g. out_of_range from .at(): an engine bug all the same
    CheckResult r;
    r.name = "engine_assertion";
    r.held = false;
    r.detail = std::string("exception: ") + e.what();
    fail(r);
  }
  outcome_.writes_checked_online = online_.writes_checked();
  if (world_ && world_->sim) outcome_.events += world_->sim->events_executed();
  return outcome_;
}

void OpsRunner::watch_write_hole() {
  // raid5 only: after an unclean crash the rows written at the crash may
  // hold parity that is not the XOR of their data until the resync rebuilds
  // it. A member lost before that (md_error, fail op) leaves such a row's
  // missing block unrecoverable: the write hole md documents and accepts
  // (it refuses a dirty degraded start for the same reason). The run ends
  // there, passing, with the reason recorded (docs/verification.md).
  md::Array* a = array();
  if (setup_.level != 5 || !a || !resync_owed_) return;
  const auto trusted = trusted_members(*a);
  const bool degraded = !std::all_of(trusted.begin(), trusted.end(), [](bool t) { return t; });
  if (degraded) {
    outcome_.write_hole = "a member was lost before the post-crash resync rebuilt the parity";
    dead_ = true;
  } else if (a->idle() && a->resync_offset() == Sector::max() && a->intent().dirty_ranges().empty()) {
    resync_owed_ = false;
  }
}

void OpsRunner::execute(std::span<const Op> ops, size_t& i) {
  const Op& op = ops[i];
  auto& sim = *world_->sim;
  switch (op.kind) {
    case OpKind::write: submit_writes(ops, i); return;  // advances i
    case OpKind::discard: submit_discard(op); break;
    case OpKind::flush: submit_flush(); break;
    case OpKind::advance: step_until(sim.now().ns() + op.ns, [] { return false; }); break;
    case OpKind::wait: {
      const int64_t limit = op.ns ? op.ns : options_.settle_limit_ns;
      step_until(sim.now().ns() + limit, [this] { return in_flight_.empty(); });
      break;
    }
    case OpKind::daemon_tick: {
      const auto d = world_->array->intent().daemon_sleep();
      step_until(sim.now().ns() + std::max<int64_t>(d.count_ns(), 1'000'000'000) + 1,
                 [] { return false; });
      break;
    }
    case OpKind::power_loss: power_loss(op.choice); break;
    default: management(op); break;
  }
  ++i;
}

void OpsRunner::wait_no_overlap(uint64_t start, uint64_t n) {
  // A file system never has two overlapping writes in flight (the page cache
  // serialises them) and md does not order them, so neither do we.
  auto overlaps = [&] {
    for (const InFlight& f : in_flight_)
      if (f.start < start + n && start < f.end) return true;
    return false;
  };
  if (!overlaps()) return;
  // Never submit over a write still in flight, even when slowed members make
  // it outlast the settle limit (F22: submitting anyway let the two race on
  // the members). Wait while the simulation progresses; a write that never
  // completes is a hang.
  constexpr int kSettlePeriods = 16;
  for (int k = 0; k < kSettlePeriods && overlaps() && !outcome_.failed; ++k)
    step_until(world_->sim->now().ns() + options_.settle_limit_ns, [&] { return !overlaps(); });
  if (overlaps() && !outcome_.failed)
    fail(CheckResult{"liveness", false, "liveness violated: user IO never completed (hang)", {}, 0});
}

void OpsRunner::user_io_done(uint64_t oracle_id, bool ok) {
  auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                         [&](const InFlight& f) { return f.id == oracle_id; });
  if (it == in_flight_.end()) return;
  const InFlight f = *it;
  in_flight_.erase(it);
  // An errored write promises nothing: never durable (a flush after it
  // does not make it so), its content may or may not be there.
  if (!ok) return oracle_.write_failed(oracle_id);
  if (f.preflush_id) flush_done(f.preflush_id);
  // A FUA write reached the members not Faulty; acknowledged while a failure
  // is not yet on the superblocks, it is in the same window as a flush (F16),
  // and the oracle cannot defer one write's promise alone: not promised.
  oracle_.write_completed(oracle_id, f.fua && !failure_unrecorded());
}

bool OpsRunner::failure_unrecorded() {
  md::Array& a = *world_->array;
  const auto members = a.members();
  const bool failed = std::any_of(members.begin(), members.end(), [](const md::MemberState& m) { return m.faulty; });
  return failed && a.sb_change_pending();
}

void OpsRunner::submit_writes(std::span<const Op> ops, size_t& i) {
  std::vector<md::UserIo> batch;
  const uint64_t capacity = world_->array->capacity().value();
  auto submit = [&] {
    if (batch.empty()) return;
    world_->array->submit_batch(std::move(batch), [this](const md::UserIo& io, const md::UserResult& r) {
      user_io_done(io.write_id, r.ok);
    });
    batch.clear();
  };
  do {
    const Op& op = ops[i];
    const uint64_t start = std::min(op.sector, capacity - 1);
    const uint64_t unit_end = ((start >> kBarrierUnitBits) + 1) << kBarrierUnitBits;
    const uint64_t n = std::clamp<uint64_t>(op.sectors, 1, std::min({capacity - start, unit_end - start,
                                                                      md::kMaxSectorsPerUserIo}));
    bool clash = false;
    for (const InFlight& f : in_flight_) clash |= f.start < start + n && start < f.end;
    if (clash) {
      submit();  // the call so far goes out; this write waits for the overlap
      wait_no_overlap(start, n);
      if (outcome_.failed) return;
    }
    md::UserIo io{md::UserOp::write, Sector(start), SectorCount(n), next_write_id_++, 0};
    io.fua = op.fua;
    io.preflush = op.preflush;
    // A PREFLUSH write carries a flush submitted with it (oracle semantics).
    const uint64_t preflush_id = op.preflush ? next_flush_id_++ : 0;
    if (preflush_id) oracle_.flush_submitted(preflush_id);
    std::vector<uint64_t> words(n);
    for (uint64_t k = 0; k < n; ++k) words[k] = md::stamp(io.write_id, k);
    oracle_.write_submitted(io.write_id, io.sector, io.count, words);
    in_flight_.push_back({io.write_id, start, start + n, op.fua, preflush_id});
    batch.push_back(io);
    ++i;
  } while (i < ops.size() && ops[i].kind == OpKind::write && ops[i].batch);
  submit();
}

void OpsRunner::submit_discard(const Op& op) {
  const uint64_t capacity = world_->array->capacity().value();
  const uint64_t start = std::min(op.sector, capacity - 1);
  const uint64_t unit_end = ((start >> kBarrierUnitBits) + 1) << kBarrierUnitBits;
  const uint64_t n = std::clamp<uint64_t>(op.sectors, 1, std::min(capacity - start, unit_end - start));
  wait_no_overlap(start, n);
  if (outcome_.failed) return;
  // Oracle ids of discards live above any write id (the array never sees them).
  const uint64_t id = (1ull << 62) + next_write_id_++;
  oracle_.discard_submitted(id, Sector(start), SectorCount(n));
  in_flight_.push_back({id, start, start + n});
  md::UserIo io{md::UserOp::discard, Sector(start), SectorCount(n), 0, id};
  world_->array->submit(io, [this](const md::UserIo& done, const md::UserResult& r) { user_io_done(done.tag, r.ok); });
}

void OpsRunner::submit_flush() {
  const uint64_t id = next_flush_id_++;
  oracle_.flush_submitted(id);
  md::UserIo io{md::UserOp::flush, Sector(0), SectorCount(0), 0, id};
  world_->array->submit(io, [this](const md::UserIo& done, const md::UserResult& r) {
    if (r.ok) flush_done(done.tag);
  });
}

void OpsRunner::flush_done(uint64_t flush_id) {
  // md_flush_request sends the empty PREFLUSH only to members not Faulty and
  // completes without waiting for MD_SB_CHANGE_PENDING (writes wait for it in
  // md_write_start; an empty flush never gets there). A member failed just
  // before keeps its cache unflushed, and until the superblock round records
  // the failure a crash lets assembly trust that member again (equal events):
  // md then resyncs from the first member, which may be the unflushed one.
  // So md's promise starts when the round completes (F16).
  if (failure_unrecorded()) deferred_flushes_.push_back(flush_id);
  else oracle_.flush_completed(flush_id);
}

void OpsRunner::settle_deferred_flushes() {
  if (world_->array->sb_change_pending()) return;
  for (uint64_t id : deferred_flushes_) oracle_.flush_completed(id);
  deferred_flushes_.clear();
}

void OpsRunner::step_until(int64_t deadline_ns, const std::function<bool()>& done) {
  auto& sim = *world_->sim;
  auto reached = std::make_shared<bool>(false);
  if (deadline_ns > sim.now().ns())
    sim.schedule_at(sim::Instant::from_ns(deadline_ns), [reached] { *reached = true; });
  else
    *reached = true;
  uint64_t n = 0;
  while (!*reached && !done() && !outcome_.failed && n++ < options_.event_limit) {
    if (!sim.step()) break;
    if (!deferred_flushes_.empty()) settle_deferred_flushes();
    if (step_hook_) step_hook_(*this);
  }
}

bool OpsRunner::write_in_flight_to_bad_stripe() {
  // raid5: analyse_stripe counts a block behind a recorded bad block as
  // failed, so a write to its row is a degraded write; a crash with it in
  // flight can leave the row's parity stale, and the resync then rebuilds
  // nothing there (handle_parity_checks5 with a failed block writes only the
  // bad block, which is skipped): the block is rebuilt from stale parity.
  // md accepts this write hole (a bad block does not make the array
  // degraded, so the dirty-degraded refusal does not apply) (L12).
  md::Mddev& md = world_->array->core();
  const md::RaidGeometry& g = md.geo_;
  const uint64_t stripe = g.chunk_sectors * static_cast<uint64_t>(g.data_disks());
  for (const InFlight& f : in_flight_) {
    for (uint64_t row = f.start / stripe; row * stripe < f.end; ++row) {
      uint64_t lo = ~0ull, hi = 0;  // the write's dev span in the row, as row_write
      for (int i = 0; i < g.data_disks(); ++i) {
        const disk::SectorRange r = g.r5_dev_span(row, i, f.start, f.end - f.start);
        if (r.empty()) continue;
        lo = std::min(lo, r.start.value());
        hi = std::max(hi, r.end().value());
      }
      if (lo >= hi) continue;
      for (const md::Member& m : md.members_)
        if (m.writable() && m.badblocks.overlaps(Sector(lo), SectorCount(hi - lo))) return true;
    }
  }
  return false;
}

void OpsRunner::power_loss(uint64_t choice) {
  if (setup_.level == 5 && write_in_flight_to_bad_stripe()) {
    outcome_.write_hole = "a write to a row degraded by a bad block was in flight at the crash";
    dead_ = true;
    return;
  }
  const CrashState state = capture(world_->const_disk_ptrs());
  CrashStateChoice pick;
  auto chooser = CrashChoiceEnumerator::random(state, sim::mix64(setup_.seed ^ sim::mix64(choice + 1)), 1);
  SIM_ASSERT(chooser.next(pick));
  std::vector<DiskImage> images = faults::apply_crash(state, pick);
  const DroppedIntent dropped = dropped_intent_writes(state, pick);
  // Writes in flight at the crash have ended: landed or not. Completing them
  // (not durable) lets later durable writes supersede them.
  oracle_.power_loss();  // deferred flushes are abandoned with the rest
  in_flight_.clear();
  deferred_flushes_.clear();
  outcome_.events += world_->sim->events_executed();
  ++outcome_.crashes;
  faults_since_crash_ = false;
  build_world_from(std::move(images), dropped);
}

void OpsRunner::management(const Op& op) {
  md::Array& a = *world_->array;
  if (op.disk < 0 || op.disk >= setup_.disks) return;
  const auto members = a.members();
  const md::MemberState& m = members[op.disk];
  switch (op.kind) {
    case OpKind::fail_disk:
      if (!m.faulty && m.raid_disk >= 0 && !a.broken()) {
        a.fail_member(op.disk);
        note_fault();
      }
      break;
    case OpKind::remove_disk:
      if (m.faulty) a.remove_member(op.disk);
      break;
    case OpKind::readd_disk:
      // mdadm --remove fails (EBUSY) while writes for the member are queued
      // in md; the re-add is then refused too (L11).
      if (m.faulty && !a.remove_member(op.disk)) break;
      if (m.faulty || m.raid_disk < 0) recovery_since_crash_ |= a.re_add_member(op.disk);
      break;
    case OpKind::bad_block: {
      const uint64_t cap = member_data_sectors(a);
      const uint64_t start = std::min(op.sector, cap - 1);
      const uint64_t n = std::clamp<uint64_t>(op.sectors, 1, cap - start);
      world_->disks[op.disk]->add_bad_range({a.data_offset() + SectorCount(start), SectorCount(n)},
                                            false);
      note_fault();
      break;
    }
    case OpKind::write_error: {
      const uint64_t cap = member_data_sectors(a);
      const uint64_t start = std::min(op.sector, cap - 1);
      const uint64_t n = std::clamp<uint64_t>(op.sectors, 1, cap - start);
      world_->disks[op.disk]->add_write_error_range({a.data_offset() + SectorCount(start), SectorCount(n)});
      note_fault();
      break;
    }
    case OpKind::slow_disk:
      // A slow member is a fault for liveness: a resync may legitimately take
      // longer than the settle limit.
      world_->disks[op.disk]->set_slow_factor(std::max<uint32_t>(op.factor, 1));
      max_slow_factor_ = std::max(max_slow_factor_, op.factor);
      if (op.factor > 1) note_fault();
      break;
    case OpKind::start_resync:
      if (a.sync_action() == md::SyncAction::idle) a.start_sync_action(md::SyncAction::resync);
      break;
    default: break;
  }
}

void OpsRunner::final_checks() {
  md::Array& a = *world_->array;
  auto& sim = *world_->sim;
  // A member left very slow (a shrunk list can drop the op restoring it) makes
  // every IO round take minutes: the settle time scales with the slowdown, so
  // only a real hang (no progress at any speed) is reported (L9e).
  const int64_t slow = std::max<int64_t>(1, static_cast<int64_t>(max_slow_factor_) / 1000);
  step_until(sim.now().ns() + options_.settle_limit_ns * slow,
             [&] { return in_flight_.empty() && a.idle(); });
  if (outcome_.failed) return;
  if (!in_flight_.empty()) {
    CheckResult r{"liveness", false, "liveness violated: user IO never completed (hang)", {}, 0};
    return fail(r);
  }
  // A member lost during the settle while the post-crash resync was owed is
  // the write hole, as between ops (the watch used to skip this phase, L15).
  watch_write_hole();
  if (dead_) return;
  const auto trusted = trusted_members(a);
  const bool all_in_sync = std::all_of(trusted.begin(), trusted.end(), [](bool t) { return t; });
  const bool faults_off = !faults_since_crash_ && all_in_sync;
  if (!a.idle() && faults_off)
    return fail(check_liveness(false, RangeSet()));
  // A slowed member can keep the post-crash resync running past the settle
  // limit: convergence is a promise about the end of the resync, so a pass
  // still running cannot be judged yet (F22; coverage was checked at the crash).
  if (a.sync_action() != md::SyncAction::idle) return;
  const SectorCount cs = report_chunk(&a);
  const auto live = live_images(a, world_->disks);
  const auto candidates = oracle_.written_sectors();
  if (auto r = check_convergence(live->view, candidates, oracle_, cs); !r.held) return fail(r);
  // After a recovery since the last crash the intent need not become clean,
  // in md too: a write the recovery has passed keeps its chunk NEEDED (bitmap
  // end_write on a degraded array, F5), and a raid10 recovery visits only the
  // recovering member's copy sets (raid10_sync_request), so bits loaded NEEDED
  // for other copy sets stay until the next assembly (docs/verification.md).
  if (!faults_off || recovery_since_crash_) return;
  // Liveness: let the daemon (and llbitmap's barrier_idle) clean everything.
  const int64_t daemon_ns = std::max<int64_t>(a.intent().daemon_sleep().count_ns(), 1'000'000'000);
  const int64_t idle_ns = std::max<int64_t>(setup_.intent.barrier_idle_s, 5) * 1'000'000'000;
  step_until(sim.now().ns() + 6 * daemon_ns + idle_ns, [] { return false; });
  if (outcome_.failed) return;
  RangeSet dirty(a.intent().dirty_ranges());
  // md_bitmap_init_from_disk marks NEEDED every dirty chunk whose END is >=
  // the resync checkpoint, and md_do_sync resumes AT the checkpoint: a chunk
  // ending exactly there stays NEEDED, in md too (md-internals 3.x load rule).
  const Sector cp = loaded_checkpoint_;
  const SectorCount ic = a.intent().chunk_sectors();
  if (setup_.intent.type == md::IntentType::bitmap && cp != Sector::max() && ic.value() > 0 &&
      cp.value() % ic.value() == 0 && cp.value() >= ic.value()) {
    // Cut exactly that chunk out (dirty ranges are merged, so it may sit
    // inside a longer one); everything else must still be clean.
    const Sector lo = cp - ic;
    std::vector<SectorRange> keep;
    for (const SectorRange& r : dirty.ranges()) {
      if (r.start < lo) keep.push_back({r.start, SectorCount(std::min(r.end(), lo).value() - r.start.value())});
      if (r.end() > cp) {
        const Sector from = std::max(r.start, cp);
        keep.push_back({from, SectorCount(r.end().value() - from.value())});
      }
    }
    dirty = RangeSet(std::move(keep));
  }
  if (auto r = check_liveness(true, dirty); !r.held) return fail(r);
}

void OpsRunner::fail(const CheckResult& r) {
  if (outcome_.failed) return;
  outcome_.failed = true;
  FailureReport rep;
  rep.property = r.name;
  rep.detail = r.detail;
  rep.failing_op = current_op_;
  rep.seed = setup_.seed;
  md::Array* a = array();
  const SectorCount cs = report_chunk(a);
  rep.chunk_sectors = cs.value();
  if (r.violation) {
    rep.chunk = r.violation->chunk;
    for (Sector s : r.violation->sectors) rep.sectors.push_back(s.value());
    rep.member_words = r.violation->words;
  }
  if (a && r.violation)
    for (int m = 0; m < setup_.disks; ++m)
      rep.member_intent.push_back(a->intent().describe_media(m, Sector(rep.chunk * cs.value())));
  const uint64_t lo = rep.chunk * cs.value(), hi = lo + cs.value();
  for (size_t k = 0; k < ops_.size() && k <= current_op_; ++k) {
    const Op& op = ops_[k];
    const bool io = op.kind == OpKind::write || op.kind == OpKind::discard ||
                    op.kind == OpKind::bad_block;
    const bool touches = io ? (op.sector < hi && lo < op.sector + op.sectors) : op.kind != OpKind::advance;
    if (touches) rep.recent_events.push_back("op " + std::to_string(k) + ": " + op_to_text(op));
  }
  if (rep.recent_events.size() > 16)
    rep.recent_events.erase(rep.recent_events.begin(), rep.recent_events.end() - 16);
  outcome_.failure = std::move(rep);
}

std::string FailureReport::replay_command() const {
  return "build/mdsim replay " + (scenario_path.empty() ? std::string("<saved scenario>") : scenario_path);
}

std::string FailureReport::text() const {
  std::ostringstream os;
  os << "property " << property << " FAILED (seed " << seed << ", after op " << failing_op << ")\n"
     << "  " << detail << "\n";
  if (!sectors.empty()) {
    os << "  chunk " << chunk << " (sectors [" << chunk * chunk_sectors << ","
       << (chunk + 1) * chunk_sectors << ")), offending sectors:";
    for (uint64_t s : sectors) os << ' ' << s;
    os << "\n";
  }
  for (size_t m = 0; m < member_words.size(); ++m)
    os << "  member" << m << " holds 0x" << std::hex << member_words[m] << std::dec
       << (m < member_intent.size() ? "; intent on media: " + member_intent[m] : "") << "\n";
  if (!recent_events.empty()) os << "  recent ops touching the chunk:\n";
  for (const auto& e : recent_events) os << "    " << e << "\n";
  os << "  replay: " << replay_command() << "\n";
  return os.str();
}

}  // namespace mdsim::faults
