// raid1: conf, raid1d, plug flushing, error handler.
#include "model/md/raid1.h"

#include "sim/assert.h"

namespace mdsim::md {

Raid1::Raid1(Mddev& md)
    : md_(md),
      barrier_(md.sim_),
      raid1d_wq_(md.sim_),
      behind_wq_(md.sim_),
      blocked_wq_(md.sim_) {}

Raid1::~Raid1() = default;

void Raid1::run() {
  stop_ = false;
  daemon_exited_ = false;
  md_.sim_.spawn(raid1d());
}

void Raid1::stop() {
  stop_ = true;
  raid1d_wq_.wake_all();
}

int Raid1::degraded() const {
  // Slots without an In_sync, non-faulty member.
  int working = 0;
  for (int r = 0; r < md_.config_.raid_disks; ++r) {
    for (const Member& m : md_.members_)
      if (m.writable() && m.in_sync && m.raid_disk == r) {
        ++working;
        break;
      }
  }
  return md_.config_.raid_disks - working;
}

bool Raid1::quiet() const {
  return r1bios_ == 0 && pending_bio_list_.empty() && retry_list_.empty() &&
         write_finished_.empty() && !raid1d_busy_;
}

bool Raid1::error_handler(int member) {
  // raid1_error: the last In_sync member is never failed (MD_BROKEN instead).
  Member& m = md_.members_.at(member);
  if (m.in_sync && md_.config_.raid_disks - degraded() == 1) return false;
  m.faulty = true;
  m.in_sync = false;
  m.recovery_offset = Sector::max();
  blocked_wq_.wake_all();
  return true;
}

void Raid1::add_disk(int member, bool fullsync) {
  // raid1_add_disk: a member without a saved role gets a full sync.
  (void)member;
  if (fullsync) fullsync_ = true;
}

sim::Task Raid1::make_request(std::unique_ptr<MasterIo> io, Plug* plug) {
  // raid1_make_request: reads and writes; bios never cross a barrier unit.
  if (io->io.op == UserOp::read) {
    co_await read_request(std::move(io));
  } else {
    co_await write_request(std::move(io), plug);
  }
}

// ---------------------------------------------------------------------------
// Plugging (raid1_add_bio_to_plug, raid1_unplug, flush_bio_list).

void Raid1::add_bio(MemberBio bio, Plug* plug) {
  if (!md_.intent_->enabled()) {
    submit_bio(bio);  // no bitmap: nothing to order against, submit at once
    return;
  }
  if (plug == nullptr) {
    // No plug in this context: conf->pending_bio_list and wake raid1d.
    pending_bio_list_.push_back(std::move(bio));
    raid1d_wq_.wake_all();
    return;
  }
  plug->bios.push_back(std::move(bio));
  ++plug->count;
}

sim::Task Raid1::finish_plug(Plug& plug) {
  // blk_finish_plug -> raid1_unplug(from_schedule = false) -> flush_bio_list.
  if (plug.bios.empty()) co_return;
  std::vector<MemberBio> bios;
  bios.swap(plug.bios);
  plug.count = 0;
  co_await flush_bio_list(std::move(bios));
}

void Raid1::unplug_from_schedule(Plug& plug) {
  // The submitter sleeps: its bios go to raid1d (raid1_unplug from_schedule).
  if (plug.bios.empty()) return;
  for (auto& b : plug.bios) pending_bio_list_.push_back(std::move(b));
  plug.bios.clear();
  plug.count = 0;
  raid1d_wq_.wake_all();
}

sim::Task Raid1::flush_bio_list(std::vector<MemberBio> bios) {
  // raid1_prepare_flush_writes: the intent unplug persists every intent set so
  // far and waits; only then do the data bios go out.
  md_.counters_.intent_unplugs++;
  if (md_.config_.mutants.on(Mutant::data_before_unplug))
    for (auto& b : bios) submit_bio(b);
  co_await md_.intent_->unplug();
  if (!md_.config_.mutants.on(Mutant::data_before_unplug))
    for (auto& b : bios) submit_bio(b);
}

void Raid1::submit_bio(MemberBio& bio) {
  // raid1_submit_write: a Faulty member fails the bio at once.
  const Member& m = md_.members_.at(bio.member);
  if (m.faulty || !m.present) {
    auto done = std::move(bio.done);
    md_.sim_.schedule(sim::Duration::zero(), [done = std::move(done)] {
      disk::IoResult r;
      r.status = disk::IoStatus::device_failed;
      done(std::move(r));
    });
    return;
  }
  md_.submit_member(bio.member, std::move(bio.req), std::move(bio.done));
}

// ---------------------------------------------------------------------------
// raid1d: pending writes (flush_pending_writes), write errors, read errors.

sim::Task Raid1::raid1d() {
  while (!stop_) {
    if (pending_bio_list_.empty() && retry_list_.empty() && write_finished_.empty()) {
      co_await raid1d_wq_.wait();
      continue;
    }
    raid1d_busy_ = true;
    if (!pending_bio_list_.empty()) {
      std::vector<MemberBio> bios;
      bios.swap(pending_bio_list_);
      co_await flush_bio_list(std::move(bios));
    }
    while (!write_finished_.empty()) {
      R1Bio* r1 = write_finished_.front();
      write_finished_.pop_front();
      barrier_.queued(r1->sector, -1);
      co_await handle_write_finished(r1);
    }
    while (!retry_list_.empty()) {
      R1Bio* r1 = retry_list_.front();
      retry_list_.pop_front();
      barrier_.queued(r1->sector, -1);
      co_await handle_read_error(r1);
    }
    raid1d_busy_ = false;
  }
  daemon_exited_ = true;
}

}  // namespace mdsim::md
