// Plugging and the pending-bio list shared by raid1 and raid10
// (drivers/md/raid1-10.c: raid1_add_bio_to_plug, raid1_unplug,
// raid1_prepare_flush_writes; flush_bio_list / flush_pending_writes in each
// personality). One instance per personality; the personality's daemon
// (raid1d / raid10d) drains the pending list with flush_pending().
//
// Invariants:
//  (1) with an enabled intent backend, a member data bio is submitted only
//      after the intent unplug that follows its queuing completed (unless the
//      data_before_unplug mutant is on);
//  (2) without an enabled backend every bio is submitted at once (nothing to
//      order against).
#pragma once

#include <vector>

#include "model/md/md_array.h"
#include "model/md/plug.h"
#include "sim/task.h"
#include "sim/wait_queue.h"

namespace mdsim::md {

class Raid1_10Plugging {
 public:
  // REQUIRES: md and daemon_wq outlive this object.
  Raid1_10Plugging(Mddev& md, sim::WaitQueue& daemon_wq) : md_(md), daemon_wq_(daemon_wq) {}

  // raid1_add_bio_to_plug: into the submitter's plug, else onto the pending
  // list (waking the daemon), or straight out when nothing is tracked.
  void add_bio(MemberBio&& bio, Plug* plug);
  // blk_finish_plug -> raid1_unplug(from_schedule = false).
  sim::Task finish_plug(Plug& plug);
  // raid1_unplug(from_schedule = true): the submitter sleeps, the daemon
  // takes its bios.
  void unplug_from_schedule(Plug& plug);
  // The daemon's flush_pending_writes: one intent unplug for the whole list.
  sim::Task flush_pending();
  bool pending_empty() const { return pending_bio_list_.empty(); }
  // raid1_submit_write: a Faulty or missing member fails the bio at once.
  void submit_bio(MemberBio& bio);

 private:
  sim::Task flush_bio_list(std::vector<MemberBio> bios);

  Mddev& md_;
  sim::WaitQueue& daemon_wq_;
  std::vector<MemberBio> pending_bio_list_;
  // An emptied list kept for its capacity: the daemon takes the pending list
  // at every round, and a fresh one allocated and grew again at the next bio
  // (with `bitmap`, ~570 instructions per user write).
  std::vector<MemberBio> spare_list_;
};

}  // namespace mdsim::md
