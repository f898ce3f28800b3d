// raid1: conf, raid1d, plug flushing, error handler.
#include "model/md/raid1.h"

#include "sim/assert.h"

namespace mdsim::md {

Raid1::Raid1(Mddev& md)
    : md_(md),
      barrier_(md.sim_),
      raid1d_wq_(md.sim_),
      behind_wq_(md.sim_),
      blocked_wq_(md.sim_),
      plugging_(md, raid1d_wq_) {}

Raid1::~Raid1() = default;

void Raid1::run() {
  stop_ = false;
  daemon_exited_ = false;
  md_.spawn(raid1d());
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
  return r1bios_ == 0 && plugging_.pending_empty() && retry_list_.empty() &&
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
  // Not a coroutine: it hands back the path's own task (one frame less per IO).
  if (io->io.op == UserOp::read) return read_request(std::move(io));
  return write_request(std::move(io), plug);
}

// ---------------------------------------------------------------------------
// Plugging: shared with raid10 (raid1_10_plug.h).

sim::Task Raid1::finish_plug(Plug& plug) { co_await plugging_.finish_plug(plug); }

void Raid1::unplug_from_schedule(Plug& plug) { plugging_.unplug_from_schedule(plug); }

// ---------------------------------------------------------------------------
// raid1d: pending writes (flush_pending_writes), write errors, read errors.

sim::Task Raid1::raid1d() {
  while (!stop_) {
    if (plugging_.pending_empty() && retry_list_.empty() && write_finished_.empty()) {
      co_await raid1d_wq_.wait();
      continue;
    }
    raid1d_busy_ = true;
    co_await plugging_.flush_pending();
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
