// md core: choosing and running the sync thread (md_check_recovery's
// remove_and_add_spares + md_start_sync, then md_do_sync).
#include <algorithm>

#include "model/md/md_array.h"
#include "sim/assert.h"

namespace mdsim::md {

namespace {
const sim::TraceKind kTraceSyncStart("md.sync_start");
const sim::TraceKind kTraceSyncEnd("md.sync_end");
// md_do_sync records a checkpoint every 1/16 of the device (or 5 minutes).
constexpr int kCheckpointShift = 4;
const sim::Duration kCheckpointInterval = sim::Duration::s(300);
}  // namespace

const char* sync_action_name(SyncAction a) {
  switch (a) {
    case SyncAction::idle: return "idle";
    case SyncAction::resync: return "resync";
    case SyncAction::recover: return "recover";
    case SyncAction::check: return "check";
    case SyncAction::repair: return "repair";
  }
  return "?";
}

void Mddev::account_mismatch(const std::vector<uint64_t>& base, const disk::IoResult& other) {
  // process_checks (raid1) / sync_request_write (raid10) add to
  // resync_mismatches. md adds the whole window; the model counts sectors.
  uint64_t diff = base.size();
  if (other.ok()) {
    SIM_ASSERT(other.words.size() == base.size());
    diff = 0;
    for (size_t i = 0; i < base.size(); ++i) diff += other.words[i] != base[i];
  }
  counters_.mismatch_sectors += diff;
}

void Mddev::start_sync_action(SyncAction a) {
  // action_store: check / repair set MD_RECOVERY_REQUESTED; resync restarts
  // a resync from the checkpoint.
  SIM_ASSERT(a != SyncAction::idle && a != SyncAction::recover);
  requested_action_ = a;
  if (a == SyncAction::resync && resync_offset_ == Sector::max()) resync_offset_ = Sector(0);
  recovery_needed_ = true;
  wake_thread();
}

void Mddev::decide_sync() {
  // Recovery first (a member is being rebuilt), then resync, then requested
  // check/repair; nothing when the array is clean and no member recovers.
  recovery_needed_ = false;
  recovery_intr_ = false;
  bool recovering = false;
  for (const Member& m : members_)
    if (m.writable() && !m.in_sync) recovering = true;
  // md_choose_sync_action: an unfinished resync (recovery_cp) comes before
  // any recovery. Its writes reach rebuilding members too, so a chunk left
  // inconsistent by a crash is copied to them even below their
  // recovery_offset (which a recovery would skip).
  SyncKind kind;
  if (resync_offset_ != Sector::max()) {
    kind = SyncKind::resync;
  } else if (recovering && degraded()) {
    kind = SyncKind::recovery;
  } else if (intent_ && intent_->needs_sync()) {
    kind = SyncKind::resync;
  } else if (requested_action_ == SyncAction::check) {
    kind = SyncKind::check;
  } else if (requested_action_ == SyncAction::repair) {
    kind = SyncKind::repair;
  } else {
    requested_action_ = SyncAction::idle;
    idle_wq_.wake_all();
    return;
  }
  requested_action_ = SyncAction::idle;
  sync_running_ = true;
  spawn(md_do_sync(kind));
}

sim::Task Mddev::md_do_sync(SyncKind kind) {
  const Sector max = Sector(sync_size_.value());
  Sector j(0);
  current_action_ = kind == SyncKind::resync     ? SyncAction::resync
                    : kind == SyncKind::recovery ? SyncAction::recover
                    : kind == SyncKind::check    ? SyncAction::check
                                                 : SyncAction::repair;
  sync_requested_ = kind == SyncKind::check || kind == SyncKind::repair;
  if (kind == SyncKind::resync && resync_offset_ != Sector::max()) j = resync_offset_;
  // The members this recovery rebuilds. md adds a spare (a re-add included)
  // only when no sync runs (remove_and_add_spares from md_check_recovery),
  // so one re-added during this pass waits for the next; the model puts it
  // in its slot at once, and must not let this pass's progress (which
  // started past its first chunks) mark it recovered (L9a).
  std::vector<uint8_t>& rebuilding = sync_pass_members_;
  rebuilding.assign(members_.size(), 0);
  if (kind == SyncKind::recovery) {
    j = max;
    for (const Member& m : members_)
      if (m.writable() && !m.in_sync) {
        j = std::min(j, m.recovery_offset == Sector::max() ? Sector(0) : m.recovery_offset);
        rebuilding[m.index] = 1;
      }
  }
  sim_.trace().record(sim_.now(), kTraceSyncStart, actor_, static_cast<uint64_t>(kind), j.value());
  Sector checkpoint = j;
  sim::Instant checkpoint_at = sim_.now();
  sim::Instant mark_at = sim_.now();
  Sector mark = j;
  const uint64_t max_sectors_per_s = config_.sync_speed_max_kib_s * 2;
  while (j < max && !recovery_intr_) {
    const SectorCount n = co_await pers_->sync_request(j, max, kind);
    SIM_ASSERT(n.value() > 0);
    j = std::min(max, j + n);
    // Checkpoint (curr_resync_completed): a restarted resync resumes here.
    if ((j - checkpoint).value() > (sync_size_.value() >> kCheckpointShift) ||
        sim_.now() - checkpoint_at >= kCheckpointInterval) {
      checkpoint = j;
      checkpoint_at = sim_.now();
      if (intent_) co_await intent_->cond_end_sync(j, true);
      if (kind == SyncKind::resync) resync_offset_ = j;
      if (kind == SyncKind::recovery)
        for (Member& m : members_)
          if (m.writable() && !m.in_sync && rebuilding[m.index]) m.recovery_offset = j;
      set_sb_change(false);
    }
    // sync_speed_max: sleep until the average since the mark is under the limit.
    if (max_sectors_per_s > 0) {
      const uint64_t done = (j - mark).value();
      const sim::Instant allowed =
          mark_at + sim::Duration::ns(static_cast<int64_t>(done * 1'000'000'000ull / max_sectors_per_s));
      if (allowed > sim_.now()) co_await sim_.sleep(allowed - sim_.now());
      if (sim_.now() - mark_at > sim::Duration::s(3)) {
        mark_at = sim_.now();
        mark = j;
      }
    }
  }
  const bool completed = j >= max;
  if (intent_) {
    if (!completed) intent_->end_sync(j, true);
    intent_->close_sync();
  }
  if (kind == SyncKind::resync) resync_offset_ = completed ? Sector::max() : j;
  bool devs = false;
  if (kind == SyncKind::recovery) {
    for (Member& m : members_) {
      if (!m.writable() || m.in_sync || !rebuilding[m.index]) continue;
      if (completed) {
        m.in_sync = true;
        m.recovery_offset = Sector::max();
        m.bitmap_sync = false;
        devs = true;
      } else {
        m.recovery_offset = j;
      }
    }
    if (completed) fullsync_ = false;
  }
  sim_.trace().record(sim_.now(), kTraceSyncEnd, actor_, static_cast<uint64_t>(kind), j.value(),
                      completed);
  sync_running_ = false;
  sync_requested_ = false;
  current_action_ = SyncAction::idle;
  set_sb_change(devs);
  // md_reap_sync_thread: look again (another member may need recovery).
  if (!recovery_intr_) {
    for (const Member& m : members_)
      if (m.writable() && !m.in_sync) recovery_needed_ = true;
    if (resync_offset_ != Sector::max()) recovery_needed_ = true;
  } else if (running_ && !thread_stop_) {
    recovery_needed_ = true;  // interrupted by md_error: restart (recovery/resync)
  }
  wake_thread();
  idle_wq_.wake_all();
}

}  // namespace mdsim::md
