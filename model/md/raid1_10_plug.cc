// Plugging shared by raid1 and raid10 (raid1-10.c).
#include "model/md/raid1_10_plug.h"

namespace mdsim::md {

void Raid1_10Plugging::add_bio(MemberBio&& bio, Plug* plug) {
  ++md_.members_.at(bio.member).queued_writes;  // until submit_bio
  if (!md_.intent_->enabled()) {
    submit_bio(bio);  // no bitmap: nothing to order against, submit at once
    return;
  }
  if (plug == nullptr) {
    // No plug in this context: conf->pending_bio_list and wake the daemon.
    pending_bio_list_.push_back(std::move(bio));
    daemon_wq_.wake_all();
    return;
  }
  plug->bios.push_back(std::move(bio));
  ++plug->count;
}

sim::Task Raid1_10Plugging::finish_plug(Plug& plug) {
  if (plug.bios.empty()) co_return;
  std::vector<MemberBio> bios;
  bios.swap(plug.bios);
  plug.count = 0;
  co_await flush_bio_list(std::move(bios));
}

void Raid1_10Plugging::unplug_from_schedule(Plug& plug) {
  if (plug.bios.empty()) return;
  for (auto& b : plug.bios) pending_bio_list_.push_back(std::move(b));
  plug.bios.clear();
  plug.count = 0;
  daemon_wq_.wake_all();
}

sim::Task Raid1_10Plugging::flush_pending() {
  // Not a coroutine: the list's flush task itself (one frame less per round).
  std::vector<MemberBio> bios;
  bios.swap(pending_bio_list_);
  pending_bio_list_.swap(spare_list_);  // empty, with the spare's capacity
  return flush_bio_list(std::move(bios));
}

sim::Task Raid1_10Plugging::flush_bio_list(std::vector<MemberBio> bios) {
  if (bios.empty()) co_return;  // nothing pending: no unplug
  // raid1_prepare_flush_writes: the intent unplug persists every intent set so
  // far and waits; only then do the data bios go out.
  md_.counters_.intent_unplugs++;
  const bool early = md_.config_.mutants.on(Mutant::data_before_unplug);
  if (early)
    for (auto& b : bios) submit_bio(b);
  if (!md_.intent_->try_unplug()) co_await md_.intent_->unplug();
  if (!early)
    for (auto& b : bios) submit_bio(b);
  bios.clear();
  if (bios.capacity() > spare_list_.capacity()) spare_list_.swap(bios);
}

void Raid1_10Plugging::submit_bio(MemberBio& bio) {
  Member& m = md_.members_.at(bio.member);
  SIM_ASSERT(m.queued_writes > 0);
  --m.queued_writes;
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

}  // namespace mdsim::md
