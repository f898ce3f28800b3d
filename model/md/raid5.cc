// raid5: conf, stripe cache entries and row locks, raid5d (intent batching),
// error handler, sync_request.
#include "model/md/raid5.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::md {

Raid5::Raid5(Mddev& md)
    : md_(md), cache_wq_(md.sim_), row_wq_(md.sim_), raid5d_wq_(md.sim_), flush_wq_(md.sim_) {
  SIM_ASSERT(md.geo_.level == 5);
  SIM_ASSERT(md.config_.stripe_cache_size >= 1);
}

Raid5::~Raid5() = default;

void Raid5::run() {
  stop_ = false;
  md_.sim_.spawn(raid5d());
}

void Raid5::stop() {
  stop_ = true;
  raid5d_wq_.wake_all();
}

int Raid5::slot_member(int slot) const {
  for (const Member& m : md_.members_)
    if (m.writable() && m.raid_disk == slot) return m.index;
  return -1;
}

bool Raid5::slot_readable(int slot, uint64_t dev, uint64_t n) const {
  const int m = slot_member(slot);
  if (m < 0) return false;
  const Member& mm = md_.members_[m];
  return mm.readable(Sector(dev), SectorCount(n)) && !mm.badblocks.overlaps(Sector(dev), SectorCount(n));
}

bool Raid5::has_badblock(int member, uint64_t dev, uint64_t n) const {
  return md_.members_[member].badblocks.overlaps(Sector(dev), SectorCount(n));
}

bool Raid5::record_write_error(int member, uint64_t dev, uint64_t n) {
  // raid5_end_write_request sets WriteErrorSeen and R5_WriteError; then
  // handle_stripe records the range as a bad block (rdev_set_badblocks) and
  // fails the device (md_error) only when the list cannot take it.
  Member& m = md_.members_.at(member);
  if (m.faulty) return false;
  m.write_error_seen = true;
  if (!m.badblocks.set(Sector(dev), SectorCount(n))) {
    md_.md_error(member);
    return false;
  }
  md_.set_sb_change(false);
  return true;
}

int Raid5::degraded() const {
  int missing = 0;
  for (int r = 0; r < md_.config_.raid_disks; ++r) {
    const int m = slot_member(r);
    if (m < 0 || !md_.members_[m].in_sync) ++missing;
  }
  return missing;
}

bool Raid5::error_handler(int member) {
  // raid5_error: a second missing member would lose data; we keep it and
  // mark the array broken (md fails it and sets MD_BROKEN: simplification).
  Member& m = md_.members_.at(member);
  if (m.in_sync && degraded() >= 1) return false;
  m.faulty = true;
  m.in_sync = false;
  m.recovery_offset = Sector::max();
  return true;
}

void Raid5::add_disk(int member, bool fullsync) {
  (void)member;
  if (fullsync) fullsync_ = true;
}

bool Raid5::quiet() const { return alive_ == 0 && cache_used_ == 0 && !daemon_busy_; }

sim::Task Raid5::finish_plug(Plug& plug) {
  // raid5 batches through its stripe cache and raid5d, not through the
  // raid1-10 plug: nothing is ever put in the plug.
  SIM_ASSERT(plug.bios.empty());
  co_return;
}

void Raid5::unplug_from_schedule(Plug& plug) { SIM_ASSERT(plug.bios.empty()); }

disk::IoRequest Raid5::data_req(disk::IoOp op, uint64_t dev, uint64_t n, disk::IoClass cls) const {
  disk::IoRequest r;
  r.op = op;
  r.sector = md_.data_offset() + SectorCount(dev);
  r.count = SectorCount(n);
  r.io_class = cls;
  return r;
}

sim::Task Raid5::run_all(std::vector<Op>& ops) {
  // Submit every op at once and wait for all (a stripe's parallel IO).
  if (ops.empty()) co_return;
  auto left = std::make_shared<size_t>(ops.size());
  auto done = std::make_shared<sim::Completion>(md_.sim_);
  for (Op& op : ops) {
    Op* p = &op;
    const Member& m = md_.members_.at(op.member);
    if (!m.writable()) {
      p->res.status = disk::IoStatus::device_failed;
      if (--*left == 0) done->complete();
      continue;
    }
    md_.submit_member(op.member, disk::IoRequest(op.req), [p, left, done](disk::IoResult r) {
      p->res = std::move(r);
      if (--*left == 0) done->complete();
    });
  }
  co_await done->wait();
}

sim::Task Raid5::get_entry() {
  // raid5_get_active_stripe: wait for a free stripe when the cache is full.
  while (cache_used_ >= md_.config_.stripe_cache_size) co_await cache_wq_.wait();
  ++cache_used_;
}

sim::Task Raid5::lock_row(uint64_t row) {
  for (;;) {
    auto it = busy_rows_.find(row);
    if (it == busy_rows_.end()) {
      busy_rows_.emplace(row, 0);
      co_return;
    }
    co_await row_wq_.wait();
  }
}

void Raid5::unlock_row(uint64_t row) {
  busy_rows_.erase(row);
  row_wq_.wake_all();
  SIM_ASSERT(cache_used_ > 0);
  --cache_used_;
  cache_wq_.wake_all();
}

sim::Task Raid5::wait_intent_flushed(uint64_t seq) {
  if (!md_.intent_->enabled()) co_return;
  while (seq_flush_ < seq) {
    raid5d_wq_.wake_all();
    co_await flush_wq_.wait();
  }
}

sim::Task Raid5::raid5d() {
  // The bitmap batch of raid5d: every stripe whose start_write happened before
  // the unplug started is released once the unplug completed.
  while (!stop_) {
    if (seq_flush_ >= seq_write_) {
      co_await raid5d_wq_.wait();
      continue;
    }
    daemon_busy_ = true;
    const uint64_t target = seq_write_;
    md_.counters_.intent_unplugs++;
    co_await md_.intent_->unplug();
    seq_flush_ = target;
    flush_wq_.wake_all();
    daemon_busy_ = false;
  }
}

// ---------------------------------------------------------------------------
// sync_request: a window inside one row; resync/check/repair compare parity
// with the XOR of the data, recovery rebuilds the recovering member.

sim::ValueTask<SectorCount> Raid5::sync_request(Sector sector, Sector max, SyncKind kind) {
  IntentBackend& intent = *md_.intent_;
  SIM_ASSERT(sector < max);
  const uint64_t chunk = geo().chunk_sectors;
  const uint64_t dev = sector.value();
  const uint64_t row_end = std::min(max.value(), (dev / chunk + 1) * chunk);
  const bool requested = kind == SyncKind::check || kind == SyncKind::repair;
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
  bool still_degraded = false;
  for (int r = 0; r < geo().raid_disks; ++r)
    if (slot_member(r) < 0) still_degraded = true;
  const uint64_t limit = std::min<uint64_t>(128, row_end - dev);  // RESYNC window
  uint64_t len = 0;
  while (len < limit) {
    const SyncAnswer a = intent.start_sync(sector + SectorCount(len), still_degraded);
    if (!a.value && !must) break;
    len += std::max<uint64_t>(1, std::min<uint64_t>(a.blocks.value(), limit - len));
  }
  len = std::min(len, limit);
  if (len == 0)
    co_return SectorCount(std::max<uint64_t>(1, std::min<uint64_t>(probe.blocks.value(), (max - sector).value())));
  co_await get_entry();
  co_await lock_row(dev / chunk);
  bool ok = true;
  co_await sync_window(dev, len, kind, ok);
  unlock_row(dev / chunk);
  if (!ok) intent.end_sync(sector, true);
  md_.counters_.resync_sectors += len;
  co_return SectorCount(len);
}

sim::Task Raid5::sync_window(uint64_t dev, uint64_t n, SyncKind kind, bool& ok) {
  const int disks = geo().raid_disks;
  const uint64_t row = dev / geo().chunk_sectors;
  const int pslot = geo().r5_parity_slot(row);
  // Read every In_sync member; a recovering member is the one to rebuild.
  std::vector<Op> reads;
  int target = -1;  // slot to rebuild (recovery), else the parity slot
  int bad_slot = -1;  // an In_sync slot with a bad block in the window
  for (int s = 0; s < disks; ++s) {
    const int m = slot_member(s);
    if (m < 0) continue;
    if (!md_.members_[m].in_sync) {
      if (kind == SyncKind::recovery) target = s;
      continue;
    }
    if (has_badblock(m, dev, n)) {
      bad_slot = s;
      continue;
    }
    reads.push_back(Op{m, data_req(disk::IoOp::read, dev, n, disk::IoClass::resync), {}});
  }
  if (kind != SyncKind::recovery) target = pslot;
  if (bad_slot >= 0 && n > kStripeSectors) {
    // md syncs 4 KiB stripes: only the stripes with the bad block are left
    // alone (resync) or recorded bad (recovery); the others are synced. The
    // whole window used to be skipped (L9g).
    for (uint64_t off = 0; off < n && ok; off += kStripeSectors)
      co_await sync_window(dev + off, std::min(kStripeSectors, n - off), kind, ok);
    co_return;
  }
  if (bad_slot >= 0) {
    // analyse_stripe counts a bad-blocked device as failed for the stripe.
    // A resync leaves such a row alone (handle_parity_checks5 with one
    // failed block: nothing to check); a recovery cannot rebuild it and
    // records the range bad on the target too (handle_failed_sync).
    if (kind == SyncKind::recovery && target >= 0 && !record_write_error(slot_member(target), dev, n)) ok = false;
    co_return;
  }
  if (target < 0 || static_cast<int>(reads.size()) != disks - (kind == SyncKind::recovery ? 1 : 0)) {
    ok = false;  // nothing to rebuild from (a second member is missing)
    co_return;
  }
  co_await run_all(reads);
  for (const Op& op : reads)
    if (!op.res.ok() && op.res.status == disk::IoStatus::media_error) {
      if (kind == SyncKind::recovery) co_await recover_by_pages(dev, n, reads, target, ok);
      else co_await resync_by_pages(dev, n, reads, kind, ok);
      co_return;
    }
  std::vector<uint64_t> x(n, 0);
  std::vector<uint64_t> parity;
  for (Op& op : reads) {
    if (!op.res.ok()) {
      ok = false;
      md_.md_error(op.member);
      co_return;
    }
    if (md_.members_[op.member].raid_disk == target) {
      parity = std::move(op.res.words);
      continue;
    }
    for (uint64_t i = 0; i < n; ++i) x[i] ^= op.res.words[i];
  }
  if (kind != SyncKind::recovery) {
    uint64_t diff = 0;
    for (uint64_t i = 0; i < n; ++i) diff += parity[i] != x[i];
    if (diff == 0) co_return;
    if (kind == SyncKind::check || kind == SyncKind::repair) md_.counters_.mismatch_sectors += diff;
    if (kind == SyncKind::check) co_return;
  }
  // The target may have failed while the window read (md_error meanwhile):
  // nothing to write to; the interrupted sync ends (handle_stripe drops the
  // write to a Faulty device).
  const int tm = slot_member(target);
  if (tm < 0) {
    ok = false;
    co_return;
  }
  disk::IoRequest wr = data_req(disk::IoOp::write, dev, n, disk::IoClass::resync);
  wr.payload.stamps = std::move(x);
  disk::IoResult w = co_await md_.member_io(tm, std::move(wr));
  if (!w.ok() && !record_write_error(tm, dev, n)) ok = false;
}

sim::ValueTask<bool> Raid5::read_stripe(uint64_t dev, uint64_t len, const std::vector<Op>& reads,
                                        std::vector<uint64_t>& x, std::vector<int>& unreadable) {
  x.assign(len, 0);
  unreadable.clear();
  for (const Op& src : reads) {
    const disk::IoResult r =
        co_await md_.member_io(src.member, data_req(disk::IoOp::read, dev, len, disk::IoClass::resync));
    if (r.ok()) {
      for (uint64_t i = 0; i < len; ++i) x[i] ^= r.words[i];
    } else if (r.status == disk::IoStatus::media_error) {
      unreadable.push_back(src.member);
    } else {
      md_.md_error(src.member);  // not a media error: the device is gone
      co_return false;
    }
  }
  co_return true;
}

sim::Task Raid5::resync_by_pages(uint64_t dev, uint64_t n, const std::vector<Op>& reads, SyncKind kind,
                                 bool& ok) {
  // A resync / check / repair read error on an array that is not degraded:
  // raid5_end_read_request retries, then marks the block R5_ReadError;
  // handle_stripe counts it failed for the stripe, computes it from the rest
  // of the stripe and rewrites it (R5_ReWrite): the member stays, and the
  // stripe is consistent after. Failing the member instead lost a healthy
  // member to a correctable error and, after a crash, with parity still
  // stale elsewhere, opened the write hole (L15). Per 4 KiB stripe, as md;
  // a stripe with two unreadable blocks cannot be computed and is left
  // alone (handle_failed_sync does nothing more for a resync).
  std::vector<uint64_t> x;
  std::vector<int> unreadable;
  for (uint64_t off = 0; off < n && ok; off += kStripeSectors) {
    const uint64_t len = std::min(kStripeSectors, n - off);
    if (!co_await read_stripe(dev + off, len, reads, x, unreadable)) {
      ok = false;
      co_return;
    }
    for (int m : unreadable)
      if (++md_.members_[m].read_errors > md_.config_.max_corrected_read_errors) {
        ok = false;
        md_.md_error(m);
        co_return;
      }
    if (unreadable.empty()) co_await sync_window(dev + off, len, kind, ok);  // the stripe reads now
    if (unreadable.size() != 1) continue;
    const int failed = unreadable.front();
    disk::IoRequest wr = data_req(disk::IoOp::write, dev + off, len, disk::IoClass::resync);
    wr.payload.stamps = x;
    const disk::IoResult w = co_await md_.member_io(failed, std::move(wr));
    if (w.ok()) {
      md_.members_[failed].corrected_read_errors++;
      md_.counters_.corrected_read_errors++;
    } else if (!record_write_error(failed, dev + off, len)) {
      ok = false;
    }
  }
}

sim::Task Raid5::recover_by_pages(uint64_t dev, uint64_t n, const std::vector<Op>& reads, int target, bool& ok) {
  // A recovery read error: md works in 4 KiB stripes (raid5_end_read_request
  // records the unreadable page as a bad block, handle_failed_sync records
  // the stripe bad on the rebuilt member); every other stripe of the window
  // is rebuilt. Failing the source and aborting the whole window left the
  // rebuilt member stale around the bad sectors (L9f).
  bool recorded = false;
  std::vector<uint64_t> x;
  std::vector<int> unreadable;
  for (uint64_t off = 0; off < n; off += kStripeSectors) {
    const uint64_t len = std::min(kStripeSectors, n - off);
    if (!co_await read_stripe(dev + off, len, reads, x, unreadable)) {
      ok = false;
      co_return;
    }
    const bool good = unreadable.empty();
    for (int m : unreadable) {
      if (md_.members_[m].badblocks.set(Sector(dev + off), SectorCount(len))) recorded = true;
      else md_.md_error(m);
    }
    const int tm = slot_member(target);
    if (tm < 0) {
      ok = false;
      co_return;
    }
    if (!good) {
      if (md_.members_[tm].badblocks.set(Sector(dev + off), SectorCount(len))) recorded = true;
      else ok = false;
      continue;
    }
    disk::IoRequest wr = data_req(disk::IoOp::write, dev + off, len, disk::IoClass::resync);
    wr.payload.stamps = x;
    const disk::IoResult w = co_await md_.member_io(tm, std::move(wr));
    if (!w.ok() && !record_write_error(tm, dev + off, len)) ok = false;
  }
  if (recorded) md_.set_sb_change(false);
}

}  // namespace mdsim::md
