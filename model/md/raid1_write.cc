// raid1 write path: raid1_write_request, raid1_end_write_request,
// r1_bio_write_done, handle_write_finished / narrow_write_error.
#include <algorithm>
#include <array>
#include <memory>

#include "model/md/raid1.h"
#include "sim/assert.h"
#include "sim/frame_pool.h"

namespace mdsim::md {

namespace {

// Allocates the control block of a shared MasterIo from the frame pool (like
// the MasterIo itself): a shared_ptr made from a unique_ptr otherwise costs
// one malloc per user write.
template <class T>
struct FramePoolAlloc {
  using value_type = T;
  FramePoolAlloc() = default;
  template <class U>
  FramePoolAlloc(const FramePoolAlloc<U>&) noexcept {}  // NOLINT: rebinding
  T* allocate(std::size_t n) { return static_cast<T*>(sim::detail::frame_alloc(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { sim::detail::frame_free(p, n * sizeof(T)); }
  friend bool operator==(const FramePoolAlloc&, const FramePoolAlloc&) { return true; }
};

std::shared_ptr<MasterIo> share(std::unique_ptr<MasterIo> io) {
  return std::shared_ptr<MasterIo>(io.release(), std::default_delete<MasterIo>(),
                                   FramePoolAlloc<MasterIo>());
}

// The members one write goes to: inline up to 8 (no heap allocation per
// write for ordinary arrays), a vector beyond.
class Targets {
 public:
  void push_back(int m) {
    if (n_ < buf_.size()) buf_[n_] = m;
    else more_.push_back(m);
    ++n_;
  }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  void truncate(size_t n) {
    SIM_ASSERT(n <= n_);
    n_ = n;
    more_.resize(n > buf_.size() ? n - buf_.size() : 0);
  }
  int operator[](size_t i) const { return i < buf_.size() ? buf_[i] : more_[i - buf_.size()]; }

 private:
  std::array<int, 8> buf_{};
  std::vector<int> more_;
  size_t n_ = 0;
};

}  // namespace

bool Raid1::rdev_blocked(Sector s, SectorCount n) const {
  // A mirror with WriteErrorSeen and unacknowledged bad blocks in the range
  // blocks the writer until the bad-block list is on disk.
  for (const Member& m : md_.members_)
    if (m.writable() && m.write_error_seen && m.badblocks.has_unacked() &&
        m.badblocks.overlaps(s, n))
      return true;
  return false;
}

sim::Task Raid1::wait_blocked_rdev(Sector s, SectorCount n, Plug* plug) {
  for (;;) {
    if (!rdev_blocked(s, n)) co_return;
    if (plug) unplug_from_schedule(*plug);
    co_await md_.wait_sb_written();
    if (md_.sb_change_pending_) continue;
    bool still = false;
    for (const Member& m : md_.members_)
      if (m.writable() && m.badblocks.has_unacked() && m.badblocks.overlaps(s, n)) still = true;
    if (still) co_await md_.sim_.yield();
  }
}

sim::Task Raid1::write_request(std::unique_ptr<MasterIo> io, Plug* plug) {
  // raid1_make_request splits writes so no part crosses a barrier unit. Not a
  // coroutine: a write within one unit is its one part's task (a frame less).
  const Sector s = io->io.sector;
  const SectorCount n = io->io.count;
  SIM_ASSERT(n.value() > 0);
  constexpr uint64_t kUnit = 1ull << kBarrierUnitSectorBits;
  const uint64_t first_end = (s.value() / kUnit + 1) * kUnit;
  if (s.value() + n.value() <= first_end) return write_part(share(std::move(io)), s, n, 0, plug);
  return write_split(share(std::move(io)), plug);
}

sim::Task Raid1::write_split(std::shared_ptr<MasterIo> master, Plug* plug) {
  const Sector s = master->io.sector;
  const SectorCount n = master->io.count;
  constexpr uint64_t kUnit = 1ull << kBarrierUnitSectorBits;
  master->parts = 0;
  uint64_t off = 0;
  while (off < n.value()) {
    const uint64_t at = s.value() + off;
    const uint64_t len = std::min(n.value() - off, (at / kUnit + 1) * kUnit - at);
    ++master->parts;
    off += len;
  }
  for (off = 0; off < n.value();) {
    const uint64_t at = s.value() + off;
    const uint64_t len = std::min(n.value() - off, (at / kUnit + 1) * kUnit - at);
    co_await write_part(master, Sector(at), SectorCount(len), off, plug);
    off += len;
  }
}

void Raid1::complete_part(MasterIo& io, bool ok) {
  io.parts_ok = io.parts_ok && ok;
  SIM_ASSERT(io.parts > 0);
  if (--io.parts == 0) md_.complete_user(io, io.parts_ok);
}

SectorCount Raid1::badblock_cut(Sector s, SectorCount n) const {
  // raid1_write_request: a mirror whose range starts with a known bad block is
  // skipped for those bad sectors; one with a bad block further in is written
  // up to it. The r1bio covers the shortest such prefix.
  uint64_t max = n.value();
  for (const Member& m : md_.members_) {
    if (!m.writable()) continue;
    const auto bad = m.badblocks.first_overlap(s, SectorCount(max));
    if (!bad) continue;
    const uint64_t first = bad->start.value(), end = first + bad->count.value();
    max = std::min(max, first <= s.value() ? end - s.value() : first - s.value());
  }
  return SectorCount(max);
}

sim::Task Raid1::write_part(std::shared_ptr<MasterIo> io, Sector s, SectorCount whole,
                            uint64_t stamp_off, Plug* plug) {
  const bool discard = io->io.op == UserOp::discard;
  SIM_ASSERT((s.value() >> kBarrierUnitSectorBits) ==
             ((s + whole).value() - 1) >> kBarrierUnitSectorBits);
  if (!barrier_.try_wait_barrier(s)) {
    if (plug) unplug_from_schedule(*plug);
    co_await barrier_.wait_barrier(s);
  }
  // The check first: the waiting coroutine (a frame) only when blocked.
  if (rdev_blocked(s, whole)) co_await wait_blocked_rdev(s, whole, plug);
  // Bad blocks cut the write (bio_split); the rest is resubmitted below as a
  // new r1bio, so every mirror gets every sector it can hold.
  const SectorCount n = badblock_cut(s, whole);
  std::shared_ptr<MasterIo> rest;
  if (n < whole) {
    rest = io;
    ++io->parts;
  }
  IntentBackend& intent = *md_.intent_;
  // Targets: every writable member with no known bad block in [s, s+n).
  Targets targets;
  bool behind_ok = false;
  for (const Member& m : md_.members_) {
    if (!m.writable()) continue;
    if (m.badblocks.overlaps(s, n)) continue;
    targets.push_back(m.index);
  }
  if (md_.config_.mutants.on(Mutant::skip_second_mirror) && targets.size() > 1) targets.truncate(1);
  const uint32_t wb = md_.config_.intent.write_behind;
  if (!discard && wb > 0 && intent.supports_behind_writes()) {
    behind_ok = true;
    if (behind_writes_ >= wb) {
      if (plug) unplug_from_schedule(*plug);
      while (behind_writes_ >= wb) co_await behind_wq_.wait();
    }
  }
  // md_account_bio -> bitmap start_write / start_discard.
  if (discard) co_await intent.start_discard(s, n);
  else if (!intent.try_start_write(s, n)) co_await intent.start_write(s, n);
  R1Bio* r1 = live_bios_.make();
  r1->conf = this;
  ++r1bios_;
  r1->master = std::move(io);
  r1->sector = s;
  r1->stamp_offset = stamp_off;
  r1->count = n;
  r1->discard = discard;
  r1->remaining = static_cast<int>(targets.size());
  disk::Stamps stamps;  // inline for a 4 KiB write: no allocation
  if (!discard) {
    stamps.resize(n.value());
    const uint64_t id = r1->master->io.write_id;
    for (uint64_t i = 0; i < n.value(); ++i) stamps[i] = stamp(id, stamp_off + i);
  }
  if (targets.empty()) {
    write_done(r1);
    if (rest) co_await write_part(std::move(rest), s + n, whole - n, stamp_off + n.value(), plug);
    co_return;
  }
  for (size_t k = 0; k < targets.size(); ++k) {
    const int t = targets[k];
    const bool behind = behind_ok && md_.members_[t].write_mostly;
    if (behind) {
      ++r1->behind_remaining;
      ++r1->behind_count;
      ++behind_writes_;
      intent.start_behind_write();
    }
    MemberBio b;
    b.member = t;
    b.req.op = discard ? disk::IoOp::discard : disk::IoOp::write;
    b.req.sector = md_.data_offset() + SectorCount(s.value());
    b.req.count = n;
    b.req.io_class = disk::IoClass::data;
    if (!discard) {
      if (k + 1 == targets.size()) b.req.payload.stamps = std::move(stamps);
      else b.req.payload.stamps = stamps;
      b.req.fua = r1->master->io.fua;  // the clone keeps REQ_FUA (raid1_write_request)
    }
    // Two words of capture, so std::function keeps it inline (no allocation).
    const uint64_t tag = static_cast<uint64_t>(t) << 1 | (behind ? 1u : 0u);
    b.done = [r1, tag](disk::IoResult r) {
      r1->conf->end_write_request(r1, static_cast<int>(tag >> 1), (tag & 1) != 0, r);
    };
    plugging_.add_bio(std::move(b), plug);
  }
  // raid1_add_bio_to_plug: flush early once the plug holds 32 x copies bios.
  const uint32_t copies = static_cast<uint32_t>(md_.config_.raid_disks) * 2;
  if (plug && plug->count / kMaxPlugBio >= copies) co_await finish_plug(*plug);
  if (rest) co_await write_part(std::move(rest), s + n, whole - n, stamp_off + n.value(), plug);
}

void Raid1::end_write_request(R1Bio* r1, int member, bool behind, const disk::IoResult& res) {
  Member& m = md_.members_.at(member);
  if (res.ok() || (md_.config_.mutants.on(Mutant::write_error_ignored) &&
                   res.status == disk::IoStatus::media_error)) {
    r1->uptodate = true;
  } else if (res.status == disk::IoStatus::media_error && !m.faulty) {
    // WriteErrorSeen + R1BIO_WriteError: raid1d narrows it to bad blocks.
    m.write_error_seen = true;
    m.want_replacement = true;
    r1->failed.push_back(member);
  } else {
    // A dead or missing device: fail it at once (as with FailFast).
    md_.md_error(member);
  }
  if (behind) {
    --r1->behind_remaining;
    SIM_ASSERT(behind_writes_ > 0);
    --behind_writes_;
    md_.intent_->end_behind_write();
    behind_wq_.wake_all();
  }
  --r1->remaining;
  SIM_ASSERT(r1->remaining >= 0);
  // Write-behind: acknowledge once only behind copies are left.
  if (!r1->returned && r1->remaining > 0 && r1->remaining == r1->behind_remaining &&
      r1->uptodate && r1->failed.empty()) {
    r1->returned = true;
    complete_part(*r1->master, true);
  }
  if (r1->remaining == 0) write_done(r1);
}

void Raid1::write_done(R1Bio* r1) {
  // r1_bio_write_done: failed mirrors go to raid1d first.
  if (!r1->failed.empty()) {
    barrier_.queued(r1->sector, +1);
    write_finished_.push_back(r1);
    raid1d_wq_.wake_all();
    return;
  }
  close_write(r1);
}

void Raid1::close_write(R1Bio* r1) {
  // md_end_clone_io: bitmap end_write after every mirror completed (the bit
  // is kept while write-behind copies are outstanding).
  if (r1->discard) md_.intent_->end_discard(r1->sector, r1->count);
  else md_.intent_->end_write(r1->sector, r1->count);
  barrier_.allow_barrier(r1->sector);
  if (!r1->returned) {
    r1->returned = true;
    complete_part(*r1->master, r1->uptodate);
  }
  --r1bios_;
  live_bios_.done(r1);
}

sim::Task Raid1::handle_write_finished(R1Bio* r1) {
  // narrow_write_error: rewrite in bad-block-sized pieces; each failing piece
  // becomes a bad block; when that is impossible the member is failed.
  bool recorded = false;
  for (int member : r1->failed) {
    Member& m = md_.members_.at(member);
    if (m.faulty) continue;
    const uint64_t block = std::max<uint64_t>(1, m.disk->config().logical_block_bytes / 512);
    bool ok = true;
    for (uint64_t off = 0; off < r1->count.value() && ok; off += block) {
      const uint64_t len = std::min<uint64_t>(block, r1->count.value() - off);
      disk::IoRequest req;
      req.op = disk::IoOp::write;
      req.sector = md_.data_offset() + SectorCount(r1->sector.value() + off);
      req.count = SectorCount(len);
      req.io_class = disk::IoClass::data;
      if (!r1->discard) {
        req.payload.stamps.resize(len);
        for (uint64_t i = 0; i < len; ++i) req.payload.stamps[i] = stamp(r1->master->io.write_id, r1->stamp_offset + off + i);
      } else {
        req.op = disk::IoOp::discard;
      }
      disk::IoResult r = co_await md_.member_io(member, std::move(req));
      if (r.ok()) continue;
      if (!m.badblocks.set(r1->sector + SectorCount(off), SectorCount(len))) {
        md_.md_error(member);
        ok = false;
      } else {
        recorded = true;
      }
    }
  }
  if (recorded) {
    // The r1bio waits on bio_end_io_list until the bad-block list is on disk.
    md_.set_sb_change(false);
    co_await md_.wait_sb_written();
  } else if (md_.sb_change_pending_) {
    co_await md_.wait_sb_written();  // a member failure is persisted first
  }
  r1->failed.clear();
  close_write(r1);
}

}  // namespace mdsim::md
