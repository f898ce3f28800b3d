// The md core (struct mddev and md.c): members, the v1.2 superblock rounds,
// the events counter, the clean/active (safemode) transitions, the md thread
// (md_check_recovery), the sync thread loop (md_do_sync), md_error, assembly
// and re-add. The personality (raid1) and the intent backend plug into it.
//
// Files: md_array.cc (core, user IO entry, member IO accounting),
// md_sb.cc (superblock rounds, safemode), md_assemble.cc, md_sync.cc.
//
// Invariants:
//  (1) in_sync (clean) is only set while writes_pending == 0;
//  (2) a user write proceeds past md_write_start only when the superblock on
//      disk says "active" (no MD_SB_CHANGE_PENDING);
//  (3) every member request goes through submit_member (accounting, checks).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "model/disk/disk.h"
#include "model/md/array.h"
#include "model/md/intent_backend.h"
#include "model/md/member.h"
#include "model/md/personality.h"
#include "model/md/plug.h"
#include "model/md/raid_geometry.h"
#include "model/md/superblock.h"
#include "sim/simulator.h"
#include "sim/task.h"
#include "sim/wait_queue.h"

namespace mdsim::md {

class Mddev final : public IntentHost {
 public:
  Mddev(sim::Simulator& sim, std::vector<disk::Disk*> disks, const ArrayConfig& config);
  ~Mddev() override;

  // --- IntentHost ------------------------------------------------------------
  sim::Simulator& sim() override { return sim_; }
  int level() const override { return config_.level; }
  SectorCount sync_size() const override { return sync_size_; }
  uint64_t events() const override { return events_; }
  bool degraded() const override;
  const std::array<uint8_t, 16>& uuid() const override { return config_.uuid; }
  uint32_t logical_block_bytes() const override;
  Sector intent_area_start() const override { return layout_.intent_area; }
  SectorCount intent_area_sectors() const override { return layout_.intent_sectors; }
  std::vector<int> metadata_write_targets() const override;
  std::vector<int> metadata_read_sources() const override;
  disk::Disk& member_disk(int member) override { return *members_.at(member).disk; }
  sim::Task write_metadata(SectorCount offset, std::vector<uint8_t> bytes,
                           disk::IoClass cls) override;
  sim::ValueTask<disk::IoResult> read_metadata(int member, SectorCount offset,
                                               SectorCount count) override;
  void request_resync() override;
  // A process tracked by the array: destroyed with it if still suspended.
  void spawn(sim::Task task) override;

  // --- lifecycle (md_array.cc / md_assemble.cc) ------------------------------
  sim::Task create_task();
  sim::Task assemble_task(const AssembleOptions& opts, AssembleDecision& decision,
                          std::string& detail);
  // Appends to assembly_conflict_ (md_assemble.cc).
  void note_conflict(int member, int fresh, const char* what);
  sim::Task stop_task();
  bool running() const { return running_; }

  // --- user IO ---------------------------------------------------------------
  void submit_batch(std::vector<UserIo> ios, UserDone done, SubmitOptions opts);
  // An empty vector for a submission call, with capacity when one was recycled.
  std::vector<UserIo> take_io_vector();
  void complete_user(MasterIo& mio, bool ok);
  // md_flush_request: an empty PREFLUSH to every writable member; `done` runs
  // once all completed (at once when there is none).
  void flush_members(std::function<void()> done);
  uint64_t next_write_id() const { return next_write_id_; }

  // md_write_start / md_write_end (safemode, clean -> active).
  void write_start_begin();
  bool write_start_blocked() const { return sb_change_pending_; }
  sim::Task wait_sb_written();
  void md_write_end();

  // --- member IO (accounting + online check) --------------------------------
  // `offset` is in intent space (member sector - data_offset) for data IO.
  // By rvalue reference: no request or callback moves on the way to the disk.
  void submit_member(int member, disk::IoRequest&& req, disk::Disk::Done&& done);
  // The completion context of one member request: submit_member's callback to
  // the disk captures only a pointer to it (so std::function stores it inline
  // instead of allocating). Recycled through free_slot_; owned by io_slots_.
  struct MemberIoSlot {
    Mddev* md = nullptr;
    int member = 0;
    disk::Disk::Done done;
    MemberIoSlot* next_free = nullptr;
  };
  // Awaitable: `disk::IoResult r = co_await md.member_io(m, req);`. A plain
  // awaiter, not a coroutine (avoids a g++ 12 temporary-in-co_await issue).
  struct MemberIoAwaiter {
    Mddev& md;
    int member;
    disk::IoRequest req;
    disk::IoResult result;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) {
      md.submit_member(member, std::move(req), [this, h](disk::IoResult r) {
        result = std::move(r);
        h.resume();
      });
    }
    disk::IoResult await_resume() { return std::move(result); }
  };
  MemberIoAwaiter member_io(int member, disk::IoRequest req) {
    return MemberIoAwaiter{*this, member, std::move(req), {}};
  }
  Sector data_offset() const { return layout_.data_offset; }

  // --- superblock (md_sb.cc) -------------------------------------------------
  void set_sb_change(bool devs);   // MD_SB_CHANGE_CLEAN / _DEVS + PENDING, wake
  sim::Task md_update_sb();
  Superblock1 build_sb(const Member& m) const;

  // --- md thread --------------------------------------------------------------
  void wake_thread();
  sim::Task md_thread();
  sim::Task md_check_recovery();

  // --- sync (md_sync.cc) ---------------------------------------------------------
  sim::Task md_do_sync(SyncKind kind);
  void start_sync_action(SyncAction a);
  bool sync_busy() const { return sync_running_ || recovery_needed_; }
  bool sync_interrupted() const { return recovery_intr_; }
  bool fullsync() const { return fullsync_; }
  bool sync_requested() const { return sync_requested_; }

  // --- errors and membership ------------------------------------------------------
  // [raid: added] dev_sectors_, geo_ and sync_size_ from the level's rules.
  void set_geometry(SectorCount dev_sectors);
  void md_error(int member);
  // check / repair found copy `other` of a sync window differing from the
  // source's `base`: adds the differing sectors (every sector when `other`
  // failed to read) to resync_mismatches.
  // REQUIRES: other.words.size() == base.size() when other read.
  void account_mismatch(const std::vector<uint64_t>& base, const disk::IoResult& other);
  bool re_add(int member);
  bool remove(int member);  // false: busy (queued writes), nothing changed

  // --- state (read by raid1 and the Array facade) -------------------------
  sim::Simulator& sim_;
  ArrayConfig config_;
  MemberLayout layout_;
  RaidGeometry geo_;                // [raid: added] set_geometry()
  SectorCount sync_size_;           // intent space (raid10: array sectors)
  SectorCount dev_sectors_;         // [raid: added] per-member data size (sb size)
  std::vector<Member> members_;
  std::unique_ptr<IntentBackend> intent_;
  std::unique_ptr<Personality> pers_;
  ArrayCounters counters_;
  DataWriteHook data_write_hook_;
  MemberIoHook member_io_hook_;

  uint64_t events_ = 0;
  bool can_decrease_events_ = false;
  bool in_sync_ = true;              // clean
  int safemode_ = 0;                 // 1: timer expired
  uint64_t writes_pending_ = 0;
  bool sb_change_clean_ = false;
  bool sb_change_devs_ = false;
  bool sb_change_pending_ = false;
  bool sb_writing_ = false;
  bool broken_ = false;
  Sector resync_offset_ = Sector::max();  // recovery_cp
  // Set by assembly when two members tie on events with role tables that
  // disagree about one of them (events rollback + failure mid-round, F25).
  std::string assembly_conflict_;
  bool recovery_needed_ = false;
  bool recovery_intr_ = false;
  bool sync_running_ = false;
  // Per member: rebuilt by the running recovery pass (set when it starts; a
  // re-add during the pass clears it: that member waits for the next pass).
  std::vector<uint8_t> sync_pass_members_;
  bool sync_requested_ = false;      // check / repair (MD_RECOVERY_REQUESTED)
  SyncAction requested_action_ = SyncAction::idle;
  SyncAction current_action_ = SyncAction::idle;
  bool fullsync_ = false;            // conf->fullsync (new member)
  uint64_t next_write_id_ = 1;
  uint64_t user_inflight_ = 0;

  sim::WaitQueue sb_wait_;           // sb written, writes_pending changes
  sim::WaitQueue thread_wq_;
  sim::WaitQueue idle_wq_;           // sync / stop progress
  bool thread_wakeup_ = false;
  bool thread_stop_ = false;
  bool thread_exited_ = true;
  bool running_ = false;
  sim::Instant daemon_next_;
  sim::Instant safemode_deadline_;
  sim::EventId safemode_timer_;
  uint32_t actor_ = 0;

 private:
  // Tracked processes: a slot in procs_ from reserve_proc, the started frame
  // stored by start_proc, freed by release_proc when the process ends.
  size_t reserve_proc();
  void start_proc(size_t slot, sim::Task task);
  void release_proc(size_t slot);
  sim::Task tracked(sim::Task task, size_t slot);
  std::vector<std::coroutine_handle<>> procs_;  // live tracked processes
  std::vector<size_t> free_procs_;
  std::deque<MemberIoSlot> io_slots_;    // stable addresses
  MemberIoSlot* free_slot_ = nullptr;
  // REQUIRES: slot from reserve_proc; the submitter releases it at its end.
  sim::Task submitter(std::vector<UserIo> ios, UserDone done, bool plug, size_t slot);
  // Emptied submission vectors kept for the next call (Array::submit builds a
  // one-element vector per user IO: no allocation once warm). Bounded.
  std::vector<std::vector<UserIo>> spare_io_vectors_;
  void arm_safemode_timer();
  void safemode_fire();
  void start_threads();
  void decide_sync();
};

// Counts an IO on the member counters of the array.
void tally_member_io(ArrayCounters& c, const disk::IoRequest& req);

}  // namespace mdsim::md
