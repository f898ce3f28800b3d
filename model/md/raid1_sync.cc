// raid1 sync_request: resync, recovery, check and repair of one window.
#include <algorithm>

#include "model/md/raid1.h"
#include "sim/assert.h"

namespace mdsim::md {

int Raid1::sync_source(Sector s, SectorCount n) const {
  // Read from an In_sync member; a non-write-mostly one is preferred.
  int pick = -1;
  for (const Member& m : md_.members_) {
    const bool wrong = md_.config_.mutants.on(Mutant::resync_copies_wrong_way);
    if (!m.writable() || (!m.in_sync && !wrong) || m.badblocks.overlaps(s, n)) continue;
    if (wrong) pick = m.index;  // mutant: the last writable member, in sync or not
    else if (!m.write_mostly) return m.index;
    if (pick < 0) pick = m.index;
  }
  return pick;
}

sim::ValueTask<SectorCount> Raid1::sync_request(Sector sector, Sector max, SyncKind kind) {
  IntentBackend& intent = *md_.intent_;
  SIM_ASSERT(sector < max);
  const bool requested = kind == SyncKind::check || kind == SyncKind::repair;
  const bool must = fullsync_ || requested;
  // Probe (degraded = true records nothing): skip clean ranges quickly.
  const SyncAnswer probe = intent.start_sync(sector, true);
  if ((!probe.value || md_.config_.mutants.on(Mutant::resync_skips_needed)) && !must) {
    const uint64_t skip = std::max<uint64_t>(1, probe.blocks.value());
    co_return SectorCount(std::min<uint64_t>(skip, (max - sector).value()));
  }
  co_await intent.cond_end_sync(sector, false);
  co_await barrier_.raise_barrier(sector);
  // still_degraded: a slot has no usable member at all, so NEEDED must stay.
  int usable = 0;
  uint64_t writable_at_start = 0;  // the window's write targets, as planned
  for (const Member& m : md_.members_)
    if (m.writable()) {
      ++usable;
      writable_at_start |= uint64_t{1} << m.index;
    }
  const bool still_degraded = usable < md_.config_.raid_disks;
  // Grow the window chunk by chunk while the intent says "sync" (this call
  // turns NEEDED into RESYNC), up to RESYNC_SECTORS and the barrier unit.
  uint64_t len = 0;
  const uint64_t unit_end = ((sector.value() >> kBarrierUnitSectorBits) + 1) << kBarrierUnitSectorBits;
  const uint64_t limit = std::min({kResyncSectors, (max - sector).value(), unit_end - sector.value()});
  while (len < limit) {
    const SyncAnswer a = intent.start_sync(sector + SectorCount(len), still_degraded);
    if (!a.value && !must) break;
    len += std::max<uint64_t>(1, std::min<uint64_t>(a.blocks.value(), limit - len));
  }
  if (len == 0) {
    barrier_.lower_barrier(sector);
    co_return SectorCount(std::max<uint64_t>(1, std::min<uint64_t>(probe.blocks.value(), (max - sector).value())));
  }
  len = std::min(len, limit);
  bool ok = true;
  co_await sync_io(sector, SectorCount(len), kind, writable_at_start, ok);
  if (!ok) {
    // abort_sync_write: every chunk of the window goes back to NEEDED.
    const uint64_t cs = std::max<uint64_t>(1, intent.chunk_sectors().value());
    for (uint64_t x = sector.value(); x < sector.value() + len; x = (x / cs + 1) * cs) intent.end_sync(Sector(x), true);
  }
  md_.counters_.resync_sectors += len;
  barrier_.lower_barrier(sector);
  co_return SectorCount(len);
}

sim::Task Raid1::sync_io(Sector s, SectorCount n, SyncKind kind, uint64_t planned, bool& ok) {
  const Sector dev = md_.data_offset() + SectorCount(s.value());
  auto read_from = [&](int member) {
    disk::IoRequest rd;
    rd.op = disk::IoOp::read;
    rd.sector = dev;
    rd.count = n;
    rd.io_class = disk::IoClass::resync;
    return md_.member_io(member, std::move(rd));
  };
  const int src = sync_source(s, n);
  disk::IoResult base;
  if (src >= 0) base = co_await read_from(src);
  std::vector<uint8_t> unreadable;  // per sector; empty = every sector was read
  if (src >= 0 && !base.ok() && base.status != disk::IoStatus::media_error) {
    ok = false;
    md_.md_error(src);  // a dead device, not a bad sector
    co_return;
  }
  std::vector<int> targets;
  if (src < 0 || !base.ok()) {
    if (!co_await fix_sync_read_error(s, n, base.words, unreadable)) {
      ok = false;
      co_return;
    }
  }
  const bool requested = kind == SyncKind::check || kind == SyncKind::repair;
  for (const Member& m : md_.members_) {
    // sync_request_write: a target that failed since the window was planned
    // aborts the window (abort_sync_write), so its chunks stay NEEDED for the
    // re-add.
    const bool was_target = kind == SyncKind::recovery ? !m.in_sync : kind != SyncKind::check;
    if (m.index != src && !m.writable() && ((planned >> m.index) & 1) && was_target) ok = false;
    if (m.index == src || !m.writable()) continue;
    if (kind == SyncKind::recovery && m.in_sync) continue;
    if (requested) {
      // process_checks: compare every In_sync mirror with the source.
      if (!m.in_sync) continue;
      disk::IoResult other = co_await read_from(m.index);
      if (other.ok() && other.words == base.words) continue;
      md_.account_mismatch(base.words, other);
      if (kind == SyncKind::check) continue;
    }
    targets.push_back(m.index);
  }
  for (int t : targets)
    if (!co_await sync_write(t, s, n, base.words, unreadable)) ok = false;
}

sim::ValueTask<bool> Raid1::sync_write(int t, Sector s, SectorCount n, const std::vector<uint64_t>& words,
                                       const std::vector<uint8_t>& unreadable) {
  // raid1_sync_request never writes a target's known bad blocks, nor (after
  // fix_sync_read_error) the pages no mirror could read: write the runs in
  // between. A failed write records the window as bad on the target
  // (handle_sync_write_finished); a full list fails the member.
  Member& m = md_.members_[t];
  const bool whole = unreadable.empty() && !m.badblocks.overlaps(s, n);
  bool ok = true;
  for (uint64_t at = 0; at < n.value();) {
    auto skip = [&](uint64_t i) {
      return !whole && ((!unreadable.empty() && unreadable[i]) || m.badblocks.overlaps(s + SectorCount(i), SectorCount(1)));
    };
    if (skip(at)) {
      ++at;
      continue;
    }
    uint64_t end = at + 1;
    while (end < n.value() && !skip(end)) ++end;
    disk::IoRequest wr;
    wr.sector = md_.data_offset() + SectorCount(s.value() + at);
    wr.count = SectorCount(end - at);
    wr.io_class = disk::IoClass::resync;
    wr.payload.stamps.assign(words.begin() + static_cast<ptrdiff_t>(at), words.begin() + static_cast<ptrdiff_t>(end));
    const disk::IoResult w = co_await md_.member_io(t, std::move(wr));
    if (!w.ok()) {
      ok = false;
      m.write_error_seen = true;
      if (w.status != disk::IoStatus::media_error || !m.badblocks.set(s, n)) md_.md_error(t);
      else md_.set_sb_change(false);
      co_return ok;
    }
    at = end;
  }
  co_return ok;
}

sim::ValueTask<bool> Raid1::fix_sync_read_error(Sector s, SectorCount n, std::vector<uint64_t>& words,
                                                std::vector<uint8_t>& unreadable) {
  // fix_sync_read_error: page by page, read from any In_sync mirror with no
  // known bad block there; a page no mirror can supply becomes a bad block on
  // every member in the array (the target is then never read there either)
  // and the rest of the window is still copied. A full list aborts the sync.
  constexpr uint64_t kPage = 8;
  words.assign(n.value(), 0);
  unreadable.assign(n.value(), 0);
  bool recorded = false;
  for (uint64_t off = 0; off < n.value(); off += kPage) {
    const uint64_t len = std::min(kPage, n.value() - off);
    const Sector at = s + SectorCount(off);
    bool got = false;
    std::vector<int> failed;  // mirrors whose read of this page failed
    for (size_t i = 0; i < md_.members_.size() && !got; ++i) {
      const Member& m = md_.members_[i];
      if (!m.writable() || !m.in_sync || m.badblocks.overlaps(at, SectorCount(len))) continue;
      disk::IoRequest rd;
      rd.op = disk::IoOp::read;
      rd.sector = md_.data_offset() + SectorCount(at.value());
      rd.count = SectorCount(len);
      rd.io_class = disk::IoClass::resync;
      const disk::IoResult r = co_await md_.member_io(m.index, std::move(rd));
      if (!r.ok()) {
        failed.push_back(m.index);
        continue;
      }
      std::copy(r.words.begin(), r.words.end(), words.begin() + static_cast<ptrdiff_t>(off));
      got = true;
    }
    if (got) {
      // "write it back": the good page goes to each mirror that failed to
      // read it (the source is not among the later sync writes); a failed
      // write records a bad block (r1_sync_page_io). Without it the source
      // kept stale data under a latent bad sector (raid1 hunt at 20000).
      for (int f : failed) recorded = co_await write_back_page(f, at, len, words, off) || recorded;
      continue;
    }
    std::fill_n(unreadable.begin() + static_cast<ptrdiff_t>(off), len, uint8_t{1});
    for (Member& m : md_.members_) {
      if (!m.writable()) continue;
      if (!m.badblocks.set(at, SectorCount(len))) {
        md_.recovery_intr_ = true;  // MD_RECOVERY_INTR
        co_return false;
      }
      recorded = true;
    }
  }
  if (recorded) md_.set_sb_change(false);
  co_return true;
}

sim::ValueTask<bool> Raid1::write_back_page(int member, Sector at, uint64_t len, const std::vector<uint64_t>& words,
                                            uint64_t off) {
  // Returns whether a bad block was recorded.
  Member& m = md_.members_[member];
  if (!m.writable()) co_return false;
  disk::IoRequest wr;
  wr.sector = md_.data_offset() + SectorCount(at.value());
  wr.count = SectorCount(len);
  wr.io_class = disk::IoClass::resync;
  wr.payload.stamps.assign(words.begin() + static_cast<ptrdiff_t>(off),
                           words.begin() + static_cast<ptrdiff_t>(off + len));
  const disk::IoResult w = co_await md_.member_io(member, std::move(wr));
  if (w.ok()) co_return false;
  m.write_error_seen = true;
  if (m.badblocks.set(at, SectorCount(len))) co_return true;
  md_.md_error(member);
  co_return false;
}

}  // namespace mdsim::md
