// raid10 reads (read_balance per chunk piece, read-error repair) and
// sync_request (resync / recovery / check / repair of one copy set window).
#include <algorithm>

#include "model/md/raid1.h"  // kResyncSectors
#include "model/md/raid10.h"
#include "sim/assert.h"

namespace mdsim::md {

sim::Task Raid10::read_request(std::unique_ptr<MasterIo> io) {
  // The read runs in its own task: the submitter goes on with the next IO
  // (the read bio is submitted, not waited for, as in raid10_read_request).
  ++reads_;
  md_.sim_.spawn(read_task(std::move(io)));
  co_return;
}

sim::Task Raid10::read_task(std::unique_ptr<MasterIo> io) {
  co_await barrier_.wait_read_barrier(Sector(0));
  const uint64_t s = io->io.sector.value();
  const uint64_t n = io->io.count.value();
  io->result.words.assign(n, 0);
  bool ok = true;
  const uint64_t chunk = geo().chunk_sectors;
  for (uint64_t a = s; a < s + n && ok;) {
    const uint64_t len = std::min(s + n, (a / chunk + 1) * chunk) - a;
    ok = co_await read_piece(a, len, io->result.words.data() + (a - s));
    a += len;
  }
  barrier_.allow_barrier(Sector(0));
  md_.complete_user(*io, ok);
  --reads_;
}

sim::ValueTask<bool> Raid10::read_piece(uint64_t a, uint64_t n, uint64_t* out) {
  // read_balance: among the readable copies without bad blocks, the one with
  // the fewest requests in flight (lowest copy on ties); with far / offset
  // copies the lowest device address (md: "for far > 1 always use the
  // lowest address", so reads stay in the first section, raid0-like). On a
  // media error the next copy is tried and the good data written back
  // (fix_read_error).
  const RaidGeometry& g = geo();
  std::vector<int> tried;
  for (;;) {
    int best = -1;
    int best_k = -1;
    for (int k = 0; k < g.r10_copies(); ++k) {
      const int m = slot_member(g.r10_slot(a, k));
      if (m < 0 || !readable(m, a, n)) continue;
      if (std::find(tried.begin(), tried.end(), m) != tried.end()) continue;
      if (md_.members_[m].badblocks.overlaps(Sector(g.r10_dev(a, k)), SectorCount(n))) continue;
      const bool better = best < 0 || (g.far_copies > 1 ? g.r10_dev(a, k) < g.r10_dev(a, best_k)
                                                         : md_.members_[m].nr_pending < md_.members_[best].nr_pending);
      if (better) {
        best = m;
        best_k = k;
      }
    }
    if (best < 0) co_return false;
    const Sector dev(g.r10_dev(a, best_k));
    disk::IoResult r = co_await md_.member_io(
        best, data_req(disk::IoOp::read, dev, SectorCount(n), disk::IoClass::read));
    if (r.ok()) {
      std::copy(r.words.begin(), r.words.end(), out);
      // Repair the copies that failed before this one.
      for (int bad : tried) {
        for (int k = 0; k < g.r10_copies(); ++k)
          if (slot_member(g.r10_slot(a, k)) == bad)
            co_await fix_read_error(bad, Sector(g.r10_dev(a, k)), SectorCount(n), r.words);
      }
      co_return true;
    }
    tried.push_back(best);
    Member& bm = md_.members_[best];
    if (r.status != disk::IoStatus::media_error) {
      md_.md_error(best);
    } else if (++bm.read_errors > md_.config_.max_corrected_read_errors) {
      md_.md_error(best);  // exceed_read_errors (no hourly decay: simplification)
    }
  }
}

sim::Task Raid10::fix_read_error(int member, Sector dev, SectorCount n,
                                 const std::vector<uint64_t>& good) {
  Member& m = md_.members_[member];
  if (m.faulty) co_return;
  disk::IoRequest wr = data_req(disk::IoOp::write, dev, n, disk::IoClass::resync);
  wr.payload.stamps = good;
  disk::IoResult w = co_await md_.member_io(member, std::move(wr));
  disk::IoResult v = co_await md_.member_io(member, data_req(disk::IoOp::read, dev, n, disk::IoClass::read));
  if (w.ok() && v.ok() && v.words == good) {
    ++m.corrected_read_errors;
    md_.counters_.corrected_read_errors++;
  } else if (!m.badblocks.set(dev, n)) {
    md_.md_error(member);
  } else {
    md_.set_sb_change(false);
  }
}

// ---------------------------------------------------------------------------
// raid10_sync_request: windows in array sectors, never crossing a chunk.

sim::ValueTask<SectorCount> Raid10::sync_request(Sector sector, Sector max, SyncKind kind) {
  IntentBackend& intent = *md_.intent_;
  SIM_ASSERT(sector < max);
  const RaidGeometry& g = geo();
  const uint64_t a = sector.value();
  const uint64_t chunk_end = std::min(max.value(), (a / g.chunk_sectors + 1) * g.chunk_sectors);
  const bool requested = kind == SyncKind::check || kind == SyncKind::repair;
  // Recovery only visits chunks with a copy on a recovering member.
  bool recovering = false;
  for (int k = 0; k < g.r10_copies(); ++k) {
    const int m = slot_member(g.r10_slot(a, k));
    if (m >= 0 && !md_.members_[m].in_sync) recovering = true;
  }
  // start_sync's `degraded` is array-wide, as in raid10_sync_request: the
  // resync passes mddev->degraded (a slot missing or not In_sync), the
  // recovery its still_degraded (some slot of the array without a working
  // member; fix 3.8 row 25), so NEEDED survives for a later re-add. A
  // per-copy-set answer let a pass consume an intent range (a bitmap chunk
  // larger than the raid chunk, a journal extent) reaching into a set missing
  // a copy (F30, L6). Mutant: the pre-fix inverted flag, 3.8 row 25.
  bool still_degraded = kind != SyncKind::recovery && degraded() > 0;
  for (int r = 0; r < g.raid_disks && kind == SyncKind::recovery; ++r)
    if (slot_member(r) < 0) still_degraded = true;
  if (kind == SyncKind::recovery && md_.config_.mutants.on(Mutant::raid10_still_degraded_inverted))
    still_degraded = false;
  if (kind == SyncKind::recovery && !recovering) co_return SectorCount(chunk_end - a);
  const bool must = fullsync_ || requested;
  if (kind == SyncKind::resync && degraded() == 0) {
    // md_do_sync's skip_sync_blocks (llbitmap: Unwritten / CleanUnwritten,
    // and Clean / Dirty on a plain resync, need no pass at all).
    const SyncAnswer skip = intent.skip_sync_blocks(sector);
    if (skip.value)
      co_return SectorCount(std::min<uint64_t>(std::max<uint64_t>(1, skip.blocks.value()), (max - sector).value()));
  }
  const SyncAnswer probe = intent.start_sync(sector, true);
  if (!probe.value && !must) {
    const uint64_t skip = std::max<uint64_t>(1, probe.blocks.value());
    co_return SectorCount(std::min<uint64_t>(skip, (max - sector).value()));
  }
  co_await intent.cond_end_sync(sector, false);
  co_await barrier_.raise_barrier(Sector(kRaid10BarrierKey));
  const uint64_t limit = std::min<uint64_t>(kResyncSectors, chunk_end - a);
  uint64_t len = 0;
  while (len < limit) {
    const SyncAnswer r = intent.start_sync(sector + SectorCount(len), still_degraded);
    if (!r.value && !must) break;
    len += std::max<uint64_t>(1, std::min<uint64_t>(r.blocks.value(), limit - len));
  }
  // raid10_sync_request cuts the window at the copies' known bad blocks
  // (is_badblock: up to the first one, or past one the window starts in).
  len = std::min(len, limit);
  if (len > 0) len = badblock_cut(a, len);
  if (len == 0) {
    barrier_.lower_barrier(Sector(kRaid10BarrierKey));
    co_return SectorCount(std::max<uint64_t>(1, std::min<uint64_t>(probe.blocks.value(), (max - sector).value())));
  }
  bool ok = true;
  co_await sync_window(a, len, kind, ok);
  if (!ok) intent.end_sync(sector, true);
  md_.counters_.resync_sectors += len;
  barrier_.lower_barrier(Sector(kRaid10BarrierKey));
  co_return SectorCount(len);
}

sim::Task Raid10::sync_window(uint64_t a, uint64_t n, SyncKind kind, bool& ok) {
  // Read one In_sync copy; recovering copies are written; In_sync copies are
  // compared and rewritten where they differ (sync_request_write).
  // The copies are fixed when the window starts (raid10_sync_request builds
  // one bio per non-Faulty copy): a member failed while the window is in
  // flight still gets its rewrite, as sync_request_write does not look at
  // Faulty again. Skipping it instead let the window end successfully and
  // clear the chunk while that copy differed (L4).
  const RaidGeometry& g = geo();
  std::vector<int> copy(g.r10_copies(), -1);
  std::vector<uint8_t> was_in_sync(g.r10_copies(), 0);
  int src = -1;
  for (int k = 0; k < g.r10_copies(); ++k) {
    const int m = slot_member(g.r10_slot(a, k));
    copy[k] = m;
    was_in_sync[k] = m >= 0 && md_.members_[m].in_sync;
    if (src < 0 && was_in_sync[k] && !md_.members_[m].badblocks.overlaps(Sector(g.r10_dev(a, k)), SectorCount(n)))
      src = m;
  }
  if (src < 0) {
    // No In_sync copy readable here. A resync skips the window as done
    // (raid10_sync_request's giveup: count < 2, nothing aborted); a recovery
    // with In_sync copies that all have bad blocks here records the window
    // bad on the recovering copies; with no In_sync copy at all it aborts.
    // (Aborting every such window left its chunk NEEDED forever: L9d.)
    if (kind != SyncKind::recovery) co_return;
    co_await recovery_without_source(a, n, copy, was_in_sync, ok);
    co_return;
  }
  std::vector<uint8_t> unread(g.r10_copies(), 0);  // In_sync copies whose read failed
  disk::IoResult base;
  if (kind == SyncKind::recovery) {
    int src_k = 0;
    while (copy[src_k] != src) ++src_k;
    base = co_await md_.member_io(src, data_req(disk::IoOp::read, Sector(g.r10_dev(a, src_k)), SectorCount(n),
                                                disk::IoClass::resync));
    if (!base.ok() && base.status == disk::IoStatus::media_error) {
      co_await recover_by_pages(a, n, src, copy, was_in_sync, ok);
      co_return;
    }
  } else {
    src = co_await read_resync_source(a, n, copy, unread, base);
  }
  if (!base.ok()) {
    ok = false;
    md_.md_error(src);
    co_return;
  }
  for (int k = 0; k < g.r10_copies(); ++k) {
    const int m = copy[k];
    if (m < 0 || m == src) continue;
    // A copy starting with a known bad block is neither read nor written
    // (the window was cut so that it is bad for the whole window).
    if (md_.members_[m].badblocks.overlaps(Sector(g.r10_dev(a, k)), SectorCount(n))) continue;
    // A copy that failed to read is rewritten from the source, even by a
    // check (sync_request_write writes every copy whose read failed).
    const bool compare = was_in_sync[k] != 0 && unread[k] == 0;
    co_await sync_copy(m, Sector(g.r10_dev(a, k)), g.r10_slot(a, k), compare, base.words, kind, ok);
  }
}

sim::ValueTask<int> Raid10::read_resync_source(uint64_t a, uint64_t n, const std::vector<int>& copy,
                                               std::vector<uint8_t>& unread, disk::IoResult& base) {
  // sync_request_write: every In_sync copy without a known bad block is read
  // and the lowest copy that read is authoritative; a copy whose read failed
  // gets the source's data. Failing the first copy on a media error instead
  // (and aborting the window) lost the copy set's last In_sync member's
  // rewrite when md_error was refused, and the copies stayed different (L20).
  // Returns the source, or the first copy that failed if none could be read
  // (then `base` holds that failure).
  const RaidGeometry& g = geo();
  int first_failed = -1;
  for (int k = 0; k < g.r10_copies(); ++k) {
    const int m = copy[k];
    if (m < 0 || !md_.members_[m].in_sync) continue;
    const Sector dev(g.r10_dev(a, k));
    if (md_.members_[m].badblocks.overlaps(dev, SectorCount(n))) continue;
    disk::IoResult r =
        co_await md_.member_io(m, data_req(disk::IoOp::read, dev, SectorCount(n), disk::IoClass::resync));
    if (r.ok() || r.status != disk::IoStatus::media_error) {
      base = std::move(r);
      co_return m;  // read, or a dead device (failed by the caller)
    }
    unread[k] = 1;
    if (first_failed < 0) {
      first_failed = m;
      base = std::move(r);
    }
  }
  // No copy could be read: md gives the window up quietly (goto done), the
  // copies may then differ where they are readable. Simplification: the
  // first copy is failed and the window aborted, as before L20.
  co_return first_failed;
}

sim::Task Raid10::recovery_without_source(uint64_t a, uint64_t n, const std::vector<int>& copy,
                                          const std::vector<uint8_t>& was_in_sync, bool& ok) {
  const RaidGeometry& g = geo();
  bool any_working = false;
  for (int k = 0; k < g.r10_copies(); ++k) any_working = any_working || was_in_sync[k] != 0;
  if (!any_working) {
    ok = false;  // md: "insufficient working devices for recovery" (MD_RECOVERY_INTR)
    co_return;
  }
  bool recorded = false;
  for (int k = 0; k < g.r10_copies(); ++k) {
    const int m = copy[k];
    if (m < 0 || was_in_sync[k] != 0) continue;
    if (md_.members_[m].badblocks.set(Sector(g.r10_dev(a, k)), SectorCount(n))) recorded = true;
    else ok = false;
  }
  if (recorded) md_.set_sb_change(false);
}

sim::Task Raid10::recover_by_pages(uint64_t a, uint64_t n, int src, const std::vector<int>& copy,
                                   const std::vector<uint8_t>& was_in_sync, bool& ok) {
  // fix_recovery_read_error: page by page from the same source. A page read
  // is written to the recovering copies; a page that cannot be read becomes
  // a bad block on the source (best effort) and on each recovering copy (a
  // full list there aborts the window; md aborts the recovery). The source
  // is not failed. Failing it and skipping the whole window left the
  // recovered member stale around the bad sectors (L8).
  constexpr uint64_t kPage = 8;
  const RaidGeometry& g = geo();
  int src_k = 0;
  while (copy[src_k] != src) ++src_k;
  const uint64_t src_dev = g.r10_dev(a, src_k);
  bool recorded = false;
  for (uint64_t off = 0; off < n; off += kPage) {
    const uint64_t len = std::min(kPage, n - off);
    const disk::IoResult r = co_await md_.member_io(
        src, data_req(disk::IoOp::read, Sector(src_dev + off), SectorCount(len), disk::IoClass::resync));
    if (!r.ok() && r.status != disk::IoStatus::media_error) {
      ok = false;
      md_.md_error(src);
      co_return;
    }
    for (int k = 0; k < g.r10_copies(); ++k) {
      const int m = copy[k];
      if (m < 0 || m == src || was_in_sync[k] != 0) continue;
      const Sector dev(g.r10_dev(a, k) + off);
      if (r.ok()) {
        co_await sync_copy(m, dev, g.r10_slot(a, k), false, r.words, SyncKind::recovery, ok);
      } else if (md_.members_[m].badblocks.set(dev, SectorCount(len))) {
        recorded = true;
      } else {
        ok = false;
      }
    }
    if (!r.ok() && md_.members_[src].badblocks.set(Sector(src_dev + off), SectorCount(len))) recorded = true;
  }
  if (recorded) md_.set_sb_change(false);
}

sim::Task Raid10::sync_copy(int m, Sector dev, int slot, bool compare, const std::vector<uint64_t>& base,
                            SyncKind kind, bool& ok) {
  Member& mem = md_.members_[m];
  // Removed (and maybe re-added elsewhere) meanwhile: md cannot get here (an
  // rdev with sync IO pending is not removable); abort the window instead.
  if (!mem.present || mem.raid_disk != slot) {
    ok = false;
    co_return;
  }
  const SectorCount n(base.size());
  if (compare) {
    if (kind == SyncKind::recovery) co_return;
    disk::IoResult other = co_await md_.member_io(m, data_req(disk::IoOp::read, dev, n, disk::IoClass::resync));
    if (other.ok() && other.words == base) co_return;
    // A copy that read and differs is counted (a check stops there); one
    // whose read failed is rewritten, by a check too (sync_request_write).
    if (other.ok() && (kind == SyncKind::check || kind == SyncKind::repair)) {
      md_.account_mismatch(base, other);
      if (kind == SyncKind::check) co_return;
    }
  }
  disk::IoRequest wr = data_req(disk::IoOp::write, dev, n, disk::IoClass::resync);
  wr.payload.stamps = base;
  disk::IoResult w = co_await md_.member_io(m, std::move(wr));
  if (!w.ok()) {
    ok = false;
    mem.write_error_seen = true;
    md_.md_error(m);
  }
}

}  // namespace mdsim::md
