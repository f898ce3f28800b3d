// md core: construction, IntentHost, user IO entry (md_submit_bio), member IO
// accounting and the online intent-before-data check, the md thread.
#include "model/md/md_array.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::md {

namespace {
const sim::TraceKind kTraceUserDone("md.user_done");
const sim::TraceKind kTraceViolation("md.intent_violation");
}  // namespace

void tally_member_io(ArrayCounters& c, const disk::IoRequest& req) {
  const int cls = static_cast<int>(req.io_class);
  switch (req.op) {
    case disk::IoOp::write:
    case disk::IoOp::discard:
      c.member_writes[cls].requests++;
      c.member_writes[cls].bytes += req.count.bytes();
      break;
    case disk::IoOp::read:
      c.member_reads[cls].requests++;
      c.member_reads[cls].bytes += req.count.bytes();
      break;
    case disk::IoOp::flush:
      c.member_flushes++;
      break;
  }
}

Mddev::Mddev(sim::Simulator& sim, std::vector<disk::Disk*> disks, const ArrayConfig& config)
    : sim_(sim), config_(config), sb_wait_(sim), thread_wq_(sim), idle_wq_(sim) {
  // [raid: changed] raid1, raid10 (near) and raid5 (left-symmetric).
  SIM_ASSERT(config_.level == 1 || config_.level == 10 || config_.level == 5);
  SIM_ASSERT(static_cast<int>(disks.size()) == config_.raid_disks);
  SIM_ASSERT(config_.raid_disks >= 1 && config_.raid_disks <= static_cast<int>(kMaxDevRoles));
  for (size_t i = 0; i < disks.size(); ++i) {
    SIM_ASSERT(disks[i] != nullptr);
    Member m;
    m.disk = disks[i];
    m.index = static_cast<int>(i);
    members_.push_back(std::move(m));
  }
  actor_ = sim_.trace().add_actor("md");
}

Mddev::~Mddev() {
  // Power loss or teardown: processes still suspended (the md thread, raid1d,
  // submitters, sync, metadata writes) are destroyed with their nested frames.
  // No event of this array may run afterwards (the simulator is not stepped
  // again with these disks).
  for (auto& h : procs_) {
    if (h) {
      auto dead = h;
      h = {};
      dead.destroy();
    }
  }
}

void Mddev::spawn(sim::Task task) {
  const size_t slot = reserve_proc();
  start_proc(slot, tracked(std::move(task), slot));
}

size_t Mddev::reserve_proc() {
  if (free_procs_.empty()) {
    procs_.emplace_back();
    return procs_.size() - 1;
  }
  const size_t slot = free_procs_.back();
  free_procs_.pop_back();
  return slot;
}

void Mddev::start_proc(size_t slot, sim::Task task) {
  // As Simulator::spawn, but the array keeps the handle (even before the
  // process first runs) so that it can destroy it.
  std::coroutine_handle<> h = task.detach();
  procs_[slot] = h;
  sim_.schedule(sim::Duration::zero(), [h] { h.resume(); });
}

void Mddev::release_proc(size_t slot) {
  procs_[slot] = {};
  free_procs_.push_back(slot);
}

sim::Task Mddev::tracked(sim::Task task, size_t slot) {
  co_await std::move(task);
  release_proc(slot);
}

bool Mddev::degraded() const { return pers_ && pers_->degraded() > 0; }

uint32_t Mddev::logical_block_bytes() const {
  uint32_t lb = 512;
  for (const Member& m : members_) lb = std::max(lb, m.disk->config().logical_block_bytes);
  return lb;
}

std::vector<int> Mddev::metadata_write_targets() const {
  std::vector<int> out;
  for (const Member& m : members_)
    if (m.writable()) out.push_back(m.index);
  return out;
}

std::vector<int> Mddev::metadata_read_sources() const {
  std::vector<int> out;
  for (const Member& m : members_)
    if (m.writable() && (m.in_sync || config_.mutants.on(Mutant::load_from_rebuilding)))
      out.push_back(m.index);
  if (config_.mutants.on(Mutant::load_from_rebuilding))  // mutant: a rebuilding member first
    std::stable_partition(out.begin(), out.end(), [&](int i) { return !members_[i].in_sync; });
  return out;
}

sim::Task Mddev::write_metadata(SectorCount offset, std::vector<uint8_t> bytes,
                                disk::IoClass cls) {
  // md_write_metadata to every active rdev, then md_super_wait.
  SIM_ASSERT(bytes.size() % disk::kSectorBytes == 0);
  SIM_ASSERT(offset + SectorCount::from_bytes(bytes.size()) <= layout_.intent_sectors);
  auto targets = metadata_write_targets();
  auto left = std::make_shared<size_t>(targets.size());
  auto done = std::make_shared<sim::Completion>(sim_);
  if (targets.empty()) co_return;
  for (int t : targets) {
    disk::IoRequest req;
    req.op = disk::IoOp::write;
    req.sector = layout_.intent_area + offset;
    req.count = SectorCount::from_bytes(bytes.size());
    req.fua = !config_.mutants.on(Mutant::metadata_no_fua);
    req.preflush = !config_.mutants.on(Mutant::metadata_no_fua);
    req.io_class = cls;
    req.payload.bytes = bytes;
    submit_member(t, std::move(req), [this, t, left, done](disk::IoResult r) {
      if (!r.ok()) md_error(t);
      if (--*left == 0) done->complete();
    });
  }
  co_await done->wait();
}

sim::ValueTask<disk::IoResult> Mddev::read_metadata(int member, SectorCount offset,
                                                    SectorCount count) {
  SIM_ASSERT(offset + count <= layout_.intent_sectors);
  disk::IoRequest req;
  req.op = disk::IoOp::read;
  req.sector = layout_.intent_area + offset;
  req.count = count;
  req.io_class = disk::IoClass::intent;
  req.want_bytes = true;
  disk::IoResult r = co_await member_io(member, std::move(req));
  co_return r;
}

void Mddev::request_resync() {
  recovery_needed_ = true;
  wake_thread();
}

// ---------------------------------------------------------------------------
// Member IO.

void Mddev::submit_member(int member, disk::IoRequest&& req, disk::Disk::Done&& done) {
  Member& m = members_.at(member);
  const bool data_write = req.io_class == disk::IoClass::data &&
                          (req.op == disk::IoOp::write || req.op == disk::IoOp::discard);
  if (data_write && (config_.check_intent_before_data || data_write_hook_)) {
    SIM_ASSERT(req.sector >= layout_.data_offset);
    DataWriteEvent ev;
    ev.member = member;
    // [raid: changed] intent space of the member range (raid10: array sectors).
    const SectorRange ir = pers_->member_to_intent(
        member, Sector((req.sector - layout_.data_offset).value()), req.count);
    ev.member_offset = ir.start;
    ev.count = ir.count;
    ev.at = sim_.now();
    if (config_.check_intent_before_data) {
      // A member discard needs no intent: md promises nothing about discarded
      // content (llbitmap_start_discard rounds to whole chunks and marks them
      // Unwritten; a partial chunk is left alone), so only writes are checked.
      ev.intent_covered = req.op == disk::IoOp::discard ||
                          intent_->media_covers(member, ev.member_offset, ev.count);
      if (!ev.intent_covered) {
        counters_.intent_violations++;
        sim_.trace().record(sim_.now(), kTraceViolation, actor_, member,
                            ev.member_offset.value(), req.count.value());
        SIM_ASSERT_MSG(!config_.fatal_intent_violation,
                       "data write before its intent reached media: member " +
                           std::to_string(member) + " sector " +
                           std::to_string(ev.member_offset.value()) + ": " +
                           intent_->describe_media(member, ev.member_offset));
      }
    }
    if (data_write_hook_) data_write_hook_(ev);
  }
  tally_member_io(counters_, req);
  if (member_io_hook_) member_io_hook_(member, req);
  ++m.nr_pending;
  MemberIoSlot* slot = free_slot_;
  if (slot != nullptr) free_slot_ = slot->next_free;
  else slot = &io_slots_.emplace_back();
  slot->md = this;
  slot->member = member;
  slot->done = std::move(done);
  m.disk->submit(std::move(req), [slot](disk::IoResult r) {
    Mddev& md = *slot->md;
    --md.members_[slot->member].nr_pending;
    disk::Disk::Done cb = std::move(slot->done);
    slot->done = nullptr;
    slot->next_free = md.free_slot_;
    md.free_slot_ = slot;
    cb(std::move(r));
  });
}

// ---------------------------------------------------------------------------
// User IO (md_submit_bio -> pers->make_request), one submission call.

void Mddev::submit_batch(std::vector<UserIo> ios, UserDone done, SubmitOptions opts) {
  SIM_ASSERT(running_);
  const bool plug = opts.plug < 0 ? ios.size() > config_.plug_threshold : opts.plug > 0;
  user_inflight_ += ios.size();
  // Tracked like spawn(), but the submitter releases its own slot (no
  // wrapping frame per user IO).
  const size_t slot = reserve_proc();
  start_proc(slot, submitter(std::move(ios), std::move(done), plug, slot));
}

std::vector<UserIo> Mddev::take_io_vector() {
  if (spare_io_vectors_.empty()) return {};
  std::vector<UserIo> v = std::move(spare_io_vectors_.back());
  spare_io_vectors_.pop_back();
  return v;
}

sim::Task Mddev::submitter(std::vector<UserIo> ios, UserDone done, bool plug, size_t slot) {
  Plug p;
  Plug* pp = plug ? &p : nullptr;
  for (UserIo& io : ios) {
    auto mio = std::make_unique<MasterIo>();
    mio->io = io;
    // The last IO takes the callback (one IO per call is the common case).
    if (&io == &ios.back()) mio->done = std::move(done);
    else mio->done = done;
    mio->result.submitted = sim_.now();
    mio->result.tag = io.tag;
    SIM_ASSERT(io.count.value() <= kMaxSectorsPerUserIo);
    SIM_ASSERT(io.sector + io.count <= Sector(pers_->array_sectors().value()));
    SIM_ASSERT(io.op == UserOp::write || (!io.fua && !io.preflush));
    if (io.op == UserOp::flush) {
      counters_.user_flushes++;
      auto shared = std::shared_ptr<MasterIo>(std::move(mio));
      flush_members([this, shared] { complete_user(*shared, true); });
      continue;
    }
    if (io.preflush) {
      // A PREFLUSH with data (submit_flushes, then md_submit_flush_data): the
      // members are flushed first, then the write goes on without the flag.
      if (pp) pers_->unplug_from_schedule(p);
      auto flushed = std::make_shared<sim::Completion>(sim_);
      flush_members([flushed] { flushed->complete(); });
      co_await flushed->wait();
      mio->io.preflush = false;
    }
    if (io.op == UserOp::write || io.op == UserOp::discard) {
      if (io.op == UserOp::write && io.write_id == 0) mio->io.write_id = next_write_id_++;
      if (io.op == UserOp::write) next_write_id_ = std::max(next_write_id_, mio->io.write_id + 1);
      mio->result.write_id = mio->io.write_id;
      // md_write_start: the first write after clean waits for the active sb.
      write_start_begin();
      mio->write_started = true;
      if (write_start_blocked()) {
        if (pp) pers_->unplug_from_schedule(p);
        co_await wait_sb_written();
      }
    }
    co_await pers_->make_request(std::move(mio), pp);
  }
  if (pp) co_await pers_->finish_plug(p);
  constexpr size_t kSpareIoVectors = 64;
  if (spare_io_vectors_.size() < kSpareIoVectors) {
    ios.clear();
    spare_io_vectors_.push_back(std::move(ios));
  }
  release_proc(slot);  // last: the frame ends here
}

void Mddev::flush_members(std::function<void()> done) {
  // md_flush_request: an empty PREFLUSH to every member not Faulty.
  auto left = std::make_shared<int>(1);
  auto cb = std::make_shared<std::function<void()>>(std::move(done));
  for (const Member& m : members_) {
    if (!m.writable()) continue;
    if (config_.mutants.on(Mutant::flush_first_member_only) && *left > 1) continue;
    ++*left;
    disk::IoRequest req;
    req.op = disk::IoOp::flush;
    req.io_class = disk::IoClass::data;
    submit_member(m.index, std::move(req), [left, cb](disk::IoResult) {
      if (--*left == 0) (*cb)();
    });
  }
  if (--*left == 0) (*cb)();
}

void Mddev::complete_user(MasterIo& mio, bool ok) {
  mio.result.ok = ok;
  mio.result.completed = sim_.now();
  switch (mio.io.op) {
    case UserOp::write:
      counters_.user_writes++;
      counters_.user_write_bytes += mio.io.count.bytes();
      if (ok) counters_.write_latency.record(mio.result.completed - mio.result.submitted);
      break;
    case UserOp::read: counters_.user_reads++; break;
    case UserOp::discard: counters_.user_discards++; break;
    case UserOp::flush: break;
  }
  if (!ok) counters_.user_errors++;
  if (mio.write_started) {
    mio.write_started = false;
    md_write_end();
  }
  SIM_ASSERT(user_inflight_ > 0);
  --user_inflight_;
  sim_.trace().record(sim_.now(), kTraceUserDone, actor_, static_cast<uint64_t>(mio.io.op),
                      mio.io.sector.value(), mio.io.count.value(), ok);
  if (mio.done) mio.done(mio.io, mio.result);
  if (user_inflight_ == 0) idle_wq_.wake_all();
}

// ---------------------------------------------------------------------------
// The md thread (md_check_recovery runs here; the bitmap daemon too).

void Mddev::wake_thread() {
  thread_wakeup_ = true;
  thread_wq_.wake_all();
}

sim::Task Mddev::md_thread() {
  thread_exited_ = false;
  while (!thread_stop_) {
    if (!thread_wakeup_) {
      sim::Duration timeout = sim::Duration::s(3600);
      if (intent_ && intent_->daemon_sleep() > sim::Duration::zero())
        timeout = std::max(sim::Duration::zero(), daemon_next_ - sim_.now());
      co_await thread_wq_.wait_for(timeout);
    }
    thread_wakeup_ = false;
    if (thread_stop_) break;
    co_await md_check_recovery();
  }
  thread_exited_ = true;
  idle_wq_.wake_all();
}

sim::Task Mddev::md_check_recovery() {
  // bitmap_ops->daemon_work first, when daemon_sleep has elapsed.
  if (intent_ && intent_->daemon_sleep() > sim::Duration::zero() && sim_.now() >= daemon_next_) {
    daemon_next_ = sim_.now() + intent_->daemon_sleep();
    co_await intent_->daemon_work();
  }
  if (safemode_ == 1 && writes_pending_ == 0 && !in_sync_) {
    // set_in_sync: the array goes clean; the "clean" round is written below.
    in_sync_ = true;
    sb_change_clean_ = true;
    sb_change_pending_ = true;
  }
  if (sb_change_clean_ || sb_change_devs_) co_await md_update_sb();
  // MD_BROKEN does not stop a pending sync in md: md_error refused on the last
  // In_sync copy only skips MD_RECOVERY_NEEDED, and a resync owed from before
  // still runs (raid10 skips the copy sets left without two copies). raid5
  // fails the member in md and skips every sync once degraded beyond
  // max_degraded; the model keeps that member, so it syncs nothing either.
  const bool sync_allowed = !broken_ || config_.level != 5;
  if (!sync_running_ && recovery_needed_ && sync_allowed) decide_sync();
}

void Mddev::start_threads() {
  running_ = true;
  thread_stop_ = false;
  daemon_next_ = sim_.now() + (intent_ ? intent_->daemon_sleep() : sim::Duration::zero());
  spawn(md_thread());
  pers_->run();
  wake_thread();
}

// ---------------------------------------------------------------------------
// Errors and membership.

void Mddev::set_geometry(SectorCount dev_sectors) {
  dev_sectors_ = SectorCount(RaidGeometry::round_dev_sectors(config_, dev_sectors.value()));
  geo_ = RaidGeometry::from(config_, dev_sectors_.value());
  sync_size_ = SectorCount(geo_.intent_sectors());
}

void Mddev::md_error(int member) {
  Member& m = members_.at(member);
  if (m.faulty || !m.present || m.raid_disk < 0) return;
  if (!pers_->error_handler(member)) {
    broken_ = true;  // MD_BROKEN: last In_sync member is never failed
    return;
  }
  SIM_ASSERT(m.faulty);
  recovery_intr_ = true;  // MD_RECOVERY_INTR
  set_sb_change(true);
}

bool Mddev::remove(int member) {
  Member& m = members_.at(member);
  SIM_ASSERT_MSG(m.faulty || m.raid_disk < 0, "only a faulty or spare member can be removed");
  // raid1/raid10_remove_disk: -EBUSY while bios chosen for the member are
  // pending; a re-add then would let them reach it before its bitmap (L11).
  if (m.queued_writes > 0) return false;
  if (m.raid_disk >= 0) m.saved_raid_disk = m.raid_disk;
  m.raid_disk = -1;
  m.in_sync = false;
  m.present = false;
  set_sb_change(true);
  return true;
}

}  // namespace mdsim::md
