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
  // the fewest requests in flight (lowest copy on ties). On a media error the
  // next copy is tried and the good data written back (fix_read_error).
  const RaidGeometry& g = geo();
  std::vector<int> tried;
  for (;;) {
    int best = -1;
    int best_k = -1;
    for (int k = 0; k < g.near_copies; ++k) {
      const int m = slot_member(g.r10_slot(a, k));
      if (m < 0 || !readable(m, a, n)) continue;
      if (std::find(tried.begin(), tried.end(), m) != tried.end()) continue;
      if (md_.members_[m].badblocks.overlaps(Sector(g.r10_dev(a, k)), SectorCount(n))) continue;
      if (best < 0 || md_.members_[m].nr_pending < md_.members_[best].nr_pending) {
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
        for (int k = 0; k < g.near_copies; ++k)
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
  for (int k = 0; k < g.near_copies; ++k) {
    const int m = slot_member(g.r10_slot(a, k));
    if (m >= 0 && !md_.members_[m].in_sync) recovering = true;
  }
  // still_degraded: some slot of the ARRAY has no member (raid10_sync_request
  // scans every mirror). Not just this copy set: an intent chunk larger than
  // the raid chunk also covers other copy sets, whose missing member needs
  // the bit at its re-add (F30). Mutant: the pre-fix inverted flag, 3.8 row 25.
  bool still_degraded = false;
  for (int r = 0; r < g.raid_disks; ++r)
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
  // Fix 3.8 row 25: start_sync gets `degraded` while a slot is missing, so
  // NEEDED survives for a later re-add.
  const uint64_t limit = std::min<uint64_t>(kResyncSectors, chunk_end - a);
  uint64_t len = 0;
  while (len < limit) {
    const SyncAnswer r = intent.start_sync(sector + SectorCount(len), still_degraded);
    if (!r.value && !must) break;
    len += std::max<uint64_t>(1, std::min<uint64_t>(r.blocks.value(), limit - len));
  }
  len = std::min(len, limit);
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
  const RaidGeometry& g = geo();
  int src = -1;
  Sector src_dev;
  for (int k = 0; k < g.near_copies && src < 0; ++k) {
    const int m = slot_member(g.r10_slot(a, k));
    const Sector dev(g.r10_dev(a, k));
    if (m >= 0 && md_.members_[m].in_sync && !md_.members_[m].badblocks.overlaps(dev, SectorCount(n))) {
      src = m;
      src_dev = dev;
    }
  }
  if (src < 0) {
    ok = false;
    co_return;
  }
  disk::IoResult base =
      co_await md_.member_io(src, data_req(disk::IoOp::read, src_dev, SectorCount(n), disk::IoClass::resync));
  if (!base.ok()) {
    ok = false;
    md_.md_error(src);
    co_return;
  }
  const bool requested = kind == SyncKind::check || kind == SyncKind::repair;
  for (int k = 0; k < g.near_copies; ++k) {
    const int m = slot_member(g.r10_slot(a, k));
    if (m < 0 || m == src) continue;
    const Sector dev(g.r10_dev(a, k));
    if (md_.members_[m].in_sync) {
      if (kind == SyncKind::recovery) continue;
      disk::IoResult other =
          co_await md_.member_io(m, data_req(disk::IoOp::read, dev, SectorCount(n), disk::IoClass::resync));
      if (other.ok() && other.words == base.words) continue;
      if (requested) {
        uint64_t diff = 0;
        for (size_t i = 0; i < base.words.size(); ++i)
          if (!other.ok() || other.words[i] != base.words[i]) ++diff;
        md_.counters_.mismatch_sectors += diff;
        if (kind == SyncKind::check) continue;
      }
    }
    disk::IoRequest wr = data_req(disk::IoOp::write, dev, SectorCount(n), disk::IoClass::resync);
    wr.payload.stamps = base.words;
    disk::IoResult w = co_await md_.member_io(m, std::move(wr));
    if (!w.ok()) {
      ok = false;
      md_.members_[m].write_error_seen = true;
      md_.md_error(m);
    }
  }
}

}  // namespace mdsim::md
