// raid10: conf, raid10d, write path, error handler (plugging: raid1_10_plug.cc).
#include "model/md/raid10.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::md {

Raid10::Raid10(Mddev& md) : md_(md), barrier_(md.sim_), raid10d_wq_(md.sim_), plugging_(md, raid10d_wq_) {
  SIM_ASSERT(md.geo_.level == 10);
}

Raid10::~Raid10() = default;

void Raid10::run() {
  stop_ = false;
  md_.sim_.spawn(raid10d());
}

void Raid10::stop() {
  stop_ = true;
  raid10d_wq_.wake_all();
}

int Raid10::slot_member(int slot) const {
  for (const Member& m : md_.members_)
    if (m.writable() && m.raid_disk == slot) return m.index;
  return -1;
}

bool Raid10::readable(int member, uint64_t a, uint64_t n) const {
  // recovery_offset is kept in array sectors for raid10 (see the header).
  const Member& m = md_.members_[member];
  if (!m.writable()) return false;
  return m.in_sync || (m.recovery_offset != Sector::max() && a + n <= m.recovery_offset.value());
}

int Raid10::degraded() const {
  int missing = 0;
  for (int r = 0; r < md_.config_.raid_disks; ++r) {
    const int m = slot_member(r);
    if (m < 0 || !md_.members_[m].in_sync) ++missing;
  }
  return missing;
}

bool Raid10::enough(int except) const {
  // Copy sets repeat every raid_disks chunks (near, far and offset alike):
  // check the copies of the first raid_disks chunks (_enough).
  const RaidGeometry& g = geo();
  for (int c = 0; c < g.raid_disks; ++c) {
    bool any = false;
    for (int k = 0; k < g.r10_copies() && !any; ++k) {
      const int m = slot_member(g.r10_slot(static_cast<uint64_t>(c) * g.chunk_sectors, k));
      any = m >= 0 && m != except && md_.members_[m].in_sync;
    }
    if (!any) return false;
  }
  return true;
}

bool Raid10::error_handler(int member) {
  // raid10_error: failing the last In_sync copy of some chunk is refused
  // (MD_BROKEN instead).
  Member& m = md_.members_.at(member);
  if (m.in_sync && !enough(member)) return false;
  m.faulty = true;
  m.in_sync = false;
  m.recovery_offset = Sector::max();
  return true;
}

void Raid10::add_disk(int member, bool fullsync) {
  (void)member;
  if (fullsync) fullsync_ = true;
}

SectorRange Raid10::member_to_intent(int member, Sector dev, SectorCount n) const {
  return geo().intent_of_member(md_.members_.at(member).raid_disk, dev.value(), n.value());
}

bool Raid10::quiet() const {
  return r10bios_ == 0 && reads_ == 0 && plugging_.pending_empty() && write_finished_.empty() &&
         !busy_;
}

sim::Task Raid10::make_request(std::unique_ptr<MasterIo> io, Plug* plug) {
  if (io->io.op == UserOp::read) co_await read_request(std::move(io));
  else co_await write_request(std::move(io), plug);
}

disk::IoRequest Raid10::data_req(disk::IoOp op, Sector dev, SectorCount n, disk::IoClass cls) const {
  disk::IoRequest r;
  r.op = op;
  r.sector = md_.data_offset() + SectorCount(dev.value());
  r.count = n;
  r.io_class = cls;
  return r;
}

// ---------------------------------------------------------------------------
// Plugging: shared with raid1 (raid1_10_plug.h).

sim::Task Raid10::finish_plug(Plug& plug) { co_await plugging_.finish_plug(plug); }

void Raid10::unplug_from_schedule(Plug& plug) { plugging_.unplug_from_schedule(plug); }

sim::Task Raid10::raid10d() {
  while (!stop_) {
    if (plugging_.pending_empty() && write_finished_.empty()) {
      co_await raid10d_wq_.wait();
      continue;
    }
    busy_ = true;
    co_await plugging_.flush_pending();
    while (!write_finished_.empty()) {
      R10Bio* r10 = write_finished_.front();
      write_finished_.pop_front();
      co_await handle_write_finished(r10);
    }
    busy_ = false;
  }
}

// ---------------------------------------------------------------------------
// Write path (raid10_write_request, raid10_end_write_request).

sim::Task Raid10::write_request(std::unique_ptr<MasterIo> io, Plug* plug) {
  const uint64_t s = io->io.sector.value();
  const uint64_t n = io->io.count.value();
  const bool discard = io->io.op == UserOp::discard;
  SIM_ASSERT(n > 0);
  if (!barrier_.try_wait_barrier(Sector(kRaid10BarrierKey))) {
    if (plug) unplug_from_schedule(*plug);
    co_await barrier_.wait_barrier(Sector(kRaid10BarrierKey));
  }
  // wait_blocked_rdev: unacknowledged bad blocks must reach the sb first.
  for (bool blocked = true; blocked;) {
    blocked = false;
    for (const Member& m : md_.members_)
      if (m.writable() && m.badblocks.has_unacked()) blocked = true;
    if (!blocked) break;
    if (plug) unplug_from_schedule(*plug);
    md_.set_sb_change(false);
    co_await md_.wait_sb_written();
  }
  IntentBackend& intent = *md_.intent_;
  if (discard) co_await intent.start_discard(Sector(s), SectorCount(n));
  else co_await intent.start_write(Sector(s), SectorCount(n));
  R10Bio* r10 = live_bios_.make();
  ++r10bios_;
  r10->master = std::move(io);
  r10->sector = Sector(s);
  r10->count = SectorCount(n);
  r10->discard = discard;
  const uint64_t id = r10->master->io.write_id;
  const RaidGeometry& g = geo();
  std::vector<MemberBio> bios;
  size_t piece = 0;
  for (uint64_t a = s; a < s + n; ++piece) {
    const uint64_t len = badblock_cut(a, std::min(s + n, (a / g.chunk_sectors + 1) * g.chunk_sectors) - a);
    r10->piece_ok.push_back(0);
    for (int k = 0; k < g.r10_copies(); ++k) {
      const int m = slot_member(g.r10_slot(a, k));
      const Sector dev(g.r10_dev(a, k));
      if (m < 0 || md_.members_[m].badblocks.overlaps(dev, SectorCount(len))) continue;
      MemberBio b;
      b.member = m;
      b.req = data_req(discard ? disk::IoOp::discard : disk::IoOp::write, dev, SectorCount(len),
                       disk::IoClass::data);
      if (!discard) {
        b.req.fua = r10->master->io.fua;  // the clone keeps REQ_FUA (raid10_write_one_disk)
        b.req.payload.stamps.resize(len);
        for (uint64_t i = 0; i < len; ++i) b.req.payload.stamps[i] = stamp(id, a - s + i);
      }
      b.done = [this, r10, piece, m, dev, len](disk::IoResult r) {
        end_write(r10, piece, m, dev, SectorCount(len), r);
      };
      bios.push_back(std::move(b));
    }
    a += len;
  }
  r10->remaining = static_cast<int>(bios.size());
  if (bios.empty()) {
    close_write(r10);
    co_return;
  }
  for (auto& b : bios) plugging_.add_bio(std::move(b), plug);
  // raid1_add_bio_to_plug: flush early at MAX_PLUG_BIO x copies.
  if (plug && plug->count / kMaxPlugBio >= static_cast<uint32_t>(g.r10_copies()))
    co_await finish_plug(*plug);
}

uint64_t Raid10::badblock_cut(uint64_t a, uint64_t n) const {
  // raid10_write_request: a copy whose range starts with a known bad block
  // is skipped for those bad sectors, one with a bad block further in is
  // written up to it; the r10bio covers the shortest such prefix and the rest
  // goes on as the next piece. (Skipping the copy for the whole piece left
  // it stale outside its bad range: L7.)
  const RaidGeometry& g = geo();
  uint64_t max = n;
  for (int k = 0; k < g.r10_copies(); ++k) {
    const int m = slot_member(g.r10_slot(a, k));
    if (m < 0) continue;
    const uint64_t dev = g.r10_dev(a, k);
    const auto bad = md_.members_[m].badblocks.first_overlap(Sector(dev), SectorCount(max));
    if (!bad) continue;
    const uint64_t first = bad->start.value(), end = first + bad->count.value();
    max = std::min(max, first <= dev ? end - dev : first - dev);
  }
  return max;
}

void Raid10::end_write(R10Bio* r10, size_t piece, int member, Sector dev, SectorCount n,
                       const disk::IoResult& res) {
  Member& m = md_.members_.at(member);
  if (res.ok()) {
    r10->piece_ok[piece] = 1;
  } else if (res.status == disk::IoStatus::media_error && !m.faulty) {
    m.write_error_seen = true;
    r10->failed.push_back({member, dev, n});
  } else {
    md_.md_error(member);
  }
  SIM_ASSERT(r10->remaining > 0);
  if (--r10->remaining > 0) return;
  if (!r10->failed.empty()) {
    write_finished_.push_back(r10);
    raid10d_wq_.wake_all();
    return;
  }
  close_write(r10);
}

sim::Task Raid10::handle_write_finished(R10Bio* r10) {
  // Simplified narrow_write_error: the whole failed range becomes a bad block
  // (no per-block rewrite); a full list fails the member.
  bool recorded = false;
  for (const auto& f : r10->failed) {
    Member& m = md_.members_.at(f.member);
    if (m.faulty) continue;
    if (m.badblocks.set(f.dev, f.count)) recorded = true;
    else md_.md_error(f.member);
  }
  r10->failed.clear();
  if (recorded) md_.set_sb_change(false);
  if (recorded || md_.sb_change_pending_) co_await md_.wait_sb_written();
  close_write(r10);
}

void Raid10::close_write(R10Bio* r10) {
  if (r10->discard) md_.intent_->end_discard(r10->sector, r10->count);
  else md_.intent_->end_write(r10->sector, r10->count);
  barrier_.allow_barrier(Sector(kRaid10BarrierKey));
  bool ok = true;
  for (uint8_t p : r10->piece_ok) ok = ok && p != 0;
  md_.complete_user(*r10->master, ok);
  --r10bios_;
  live_bios_.done(r10);
}

}  // namespace mdsim::md
