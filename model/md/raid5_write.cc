// raid5 write path: raid5_make_request -> one row operation per chunk row
// (add_stripe_bio, handle_stripe_dirtying: rmw / rcw / full stripe,
// ops_run_reconstruct5), parity = XOR of the data stamps.
#include <algorithm>
#include <functional>

#include "model/md/raid5.h"
#include "sim/assert.h"

namespace mdsim::md {

sim::Task Raid5::make_request(std::unique_ptr<MasterIo> io, Plug* plug) {
  (void)plug;
  if (io->io.op == UserOp::read) {
    ++alive_;
    md_.sim_.spawn(read_task(std::move(io)));
    co_return;
  }
  co_await write_request(std::move(io));
}

sim::Task Raid5::write_request(std::unique_ptr<MasterIo> io) {
  const uint64_t s = io->io.sector.value();
  const uint64_t n = io->io.count.value();
  SIM_ASSERT(n > 0);
  ++alive_;
  R5Bio* bio = live_bios_.add(std::make_unique<R5Bio>());
  bio->intent = geo().intent_range(s, n);
  // md_account_bio -> start_write over the row-rounded dev range. A discard
  // is written as zeros (simplification), so it is a write for the intent.
  co_await md_.intent_->start_write(bio->intent.start, bio->intent.count);
  bio->seq = ++seq_write_;
  const uint64_t stripe = geo().chunk_sectors * geo().data_disks();
  const uint64_t row_lo = s / stripe;
  const uint64_t row_hi = (s + n - 1) / stripe;
  bio->master = std::move(io);
  bio->rows_left = static_cast<int>(row_hi - row_lo + 1);
  for (uint64_t row = row_lo; row <= row_hi; ++row) {
    co_await get_entry();  // the submitter sleeps while the cache is full
    md_.sim_.spawn(row_write(bio, row));
  }
}

sim::Task Raid5::narrow_write_error(const Op& op, std::vector<Span>& failed) {
  // md sends a stripe head's blocks as their own 4 KiB bios and
  // raid5_end_write_request marks R5_WriteError per stripe; the model sent
  // the row as one request, so it writes it again stripe by stripe (as
  // raid1's narrow_write_error does) and returns the stripes that fail.
  const uint64_t dev = op.req.sector.value() - md_.data_offset().value();
  const uint64_t n = op.req.count.value();
  std::vector<Op> pieces;
  for (uint64_t x = dev; x < dev + n;) {
    const uint64_t end = std::min(dev + n, (x / kStripeSectors + 1) * kStripeSectors);
    Op p{op.member, data_req(disk::IoOp::write, x, end - x, disk::IoClass::data), {}};
    const auto& st = op.req.payload.stamps;
    p.req.payload.stamps.assign(st.begin() + static_cast<std::ptrdiff_t>(x - dev),
                                st.begin() + static_cast<std::ptrdiff_t>(end - dev));
    pieces.push_back(std::move(p));
    x = end;
  }
  co_await run_all(pieces);
  for (const Op& p : pieces) {
    if (p.res.ok()) continue;
    const uint64_t x = p.req.sector.value() - md_.data_offset().value();
    if (!failed.empty() && failed.back().hi == x) failed.back().hi = x + p.req.count.value();
    else failed.push_back(Span{x, x + p.req.count.value()});
  }
}

void Raid5::row_done(R5Bio* bio, bool ok) {
  bio->ok = bio->ok && ok;
  if (--bio->rows_left > 0) return;
  md_.intent_->end_write(bio->intent.start, bio->intent.count);
  md_.complete_user(*bio->master, bio->ok);
  live_bios_.done(bio);
  --alive_;
}

// handle_stripe_dirtying: full stripe, degraded (read everything readable),
// forced rcw where the parity was never built (blocks_synced false), else the
// cheaper of rmw and rcw (a tie goes to rcw, rmw_level PARITY_ENABLE_RMW).
Raid5::Mode Raid5::plan_mode(bool full, int nmissing, bool synced, uint64_t rmw_reads, uint64_t rcw_reads) {
  Mode mode;
  if (full) mode = Mode::full;
  else if (nmissing == 1) mode = Mode::all;
  else if (!synced) mode = Mode::rcw;
  else mode = rmw_reads < rcw_reads ? Mode::rmw : Mode::rcw;
  if (mode == Mode::full) stats_.full_stripe++;
  else if (mode == Mode::all) stats_.degraded_rows++;
  else if (mode == Mode::rmw) stats_.rmw++;
  else stats_.rcw++;
  if (mode == Mode::rcw && !synced && rmw_reads < rcw_reads) stats_.forced_rcw++;
  return mode;
}

// The reads a mode needs over the row (missing slots are not read).
void Raid5::plan_reads(uint64_t row, const std::vector<Span>& w, uint64_t lo, uint64_t hi, Mode mode,
                       const std::vector<uint8_t>& missing, std::vector<Op>& reads, std::vector<int>& read_slot) const {
  const RaidGeometry& g = geo();
  auto want = [&](int slot, uint64_t a, uint64_t b) {
    if (a >= b || missing[slot]) return;
    reads.push_back(Op{slot_member(slot), data_req(disk::IoOp::read, a, b - a, disk::IoClass::data), {}});
    read_slot.push_back(slot);
  };
  for (int i = 0; i < g.data_disks(); ++i) {
    const int sl = g.r5_data_slot(row, i);
    if (mode == Mode::rmw) want(sl, w[i].lo, w[i].hi);
    if (mode == Mode::all) want(sl, lo, hi);
    if (mode == Mode::rcw) {
      if (w[i].len() == 0) want(sl, lo, hi);
      else {
        want(sl, lo, w[i].lo);
        want(sl, w[i].hi, hi);
      }
    }
  }
  if (mode == Mode::rmw || mode == Mode::all) want(g.r5_parity_slot(row), lo, hi);
}

sim::Task Raid5::row_write(R5Bio* bio, uint64_t row) {
  const RaidGeometry& g = geo();
  const int dd = g.data_disks();
  const uint64_t chunk = g.chunk_sectors;
  const uint64_t s = bio->master->io.sector.value();
  const uint64_t n = bio->master->io.count.value();
  const uint64_t id = bio->master->io.write_id;
  const bool zero = bio->master->io.op == UserOp::discard;
  co_await lock_row(row);
  // Written dev span of each data index, and their union [lo, hi).
  std::vector<Span> w(dd);
  uint64_t lo = ~0ull, hi = 0;
  for (int i = 0; i < dd; ++i) {
    const disk::SectorRange r = g.r5_dev_span(row, i, s, n);
    if (r.empty()) continue;
    w[i] = Span{r.start.value(), r.end().value()};
    lo = std::min(lo, w[i].lo);
    hi = std::max(hi, w[i].hi);
  }
  SIM_ASSERT(lo < hi);
  const uint64_t len = hi - lo;
  const int pslot = g.r5_parity_slot(row);
  Mode last_mode = Mode::full;
  bool full = true;
  uint64_t rmw_reads = len, rcw_reads = 0;
  for (int i = 0; i < dd; ++i) {
    full = full && w[i].lo == lo && w[i].hi == hi;
    rmw_reads += w[i].len();
    rcw_reads += len - w[i].len();
  }
  // raid5's need_this_block asks blocks_synced for every stripe it touches.
  const uint64_t ic = std::max<uint64_t>(1, md_.intent_->chunk_sectors().value());
  auto row_synced = [&] {
    for (uint64_t x = lo / ic * ic; x < hi; x += ic)
      if (!md_.intent_->blocks_synced(Sector(std::max(x, lo)))) return false;
    return true;
  };
  bool synced = row_synced();
  std::vector<uint8_t> missing;  // unreadable over [lo, hi), by slot
  int nmissing = 0;
  std::vector<std::vector<uint64_t>> old;  // old contents per slot over [lo, hi)
  // handle_stripe runs again when a read fails: the member is failed
  // (raid5_end_read_request -> md_error) and the row is planned anew with
  // that block missing (degraded), so the write still completes.
  for (bool again = true; again;) {
    again = false;
    missing.assign(g.raid_disks, 0);
    nmissing = 0;
    for (int sl = 0; sl < g.raid_disks; ++sl)
      if (!slot_readable(sl, lo, len)) missing[sl] = 1, ++nmissing;
    if (nmissing > 1) {
      unlock_row(row);
      row_done(bio, false);
      co_return;
    }
    const Mode mode = plan_mode(full, nmissing, synced, rmw_reads, rcw_reads);
    if (mode != Mode::full && nmissing == 1 && !synced &&
        md_.config_.mutants.on(Mutant::raid5_fill_ignores_unsynced)) {
      // Before 3.8 row 5 (cd1635d8) need_this_block did not ask blocks_synced:
      // handle_stripe went to handle_stripe_fill for the forced rcw, which
      // then asked for no block, so the stripe was handled again and again
      // without IO. Here it is re-handled whenever a row unlocks.
      co_await row_wq_.wait();
      synced = row_synced();
      again = true;
      continue;
    }
    old.assign(g.raid_disks, {});
    std::vector<Op> reads;
    std::vector<int> read_slot;
    plan_reads(row, w, lo, hi, mode, missing, reads, read_slot);
    // STRIPE_BIT_DELAY: the stripe is not handled at all (no reads either)
    // until the bitmap batch holding its start_write is on media.
    co_await wait_intent_flushed(bio->seq);
    co_await run_all(reads);
    for (size_t k = 0; k < reads.size() && !again; ++k) {
      Op& op = reads[k];
      if (!op.res.ok()) {
        md_.md_error(op.member);
        if (slot_readable(read_slot[k], lo, len)) {  // not failed (it would break the array)
          unlock_row(row);
          row_done(bio, false);
          co_return;
        }
        again = true;
        continue;
      }
      auto& v = old[read_slot[k]];
      if (v.empty()) v.assign(len, 0);
      const uint64_t off = op.req.sector.value() - md_.data_offset().value() - lo;
      std::copy(op.res.words.begin(), op.res.words.end(), v.begin() + off);
    }
    if (!again) last_mode = mode;
  }
  const Mode mode = last_mode;
  // New content of each data index over its span.
  auto new_word = [&](int i, uint64_t dev) -> uint64_t {
    if (zero) return 0;
    return stamp(id, g.r5_array_of(row, i, dev - row * chunk) - s);
  };
  std::vector<uint64_t> parity(len, 0);
  const bool parity_missing = missing[pslot] != 0;
  for (uint64_t x = lo; x < hi; ++x) {
    const uint64_t j = x - lo;
    uint64_t p = 0;
    if (mode == Mode::rmw) {
      p = old[pslot][j];
      for (int i = 0; i < dd; ++i)
        if (x >= w[i].lo && x < w[i].hi) p ^= old[g.r5_data_slot(row, i)][j] ^ new_word(i, x);
    } else {
      // rcw / full / all: XOR of the data as it will be; a missing data
      // block that is not rewritten is rebuilt from the old parity first.
      int lost = -1;
      uint64_t others = 0;
      for (int i = 0; i < dd; ++i) {
        const int sl = g.r5_data_slot(row, i);
        const bool written = x >= w[i].lo && x < w[i].hi;
        const uint64_t cur = written ? new_word(i, x) : (missing[sl] ? 0 : old[sl][j]);
        if (!written && missing[sl]) lost = sl;
        p ^= cur;
        if (!written && !missing[sl]) others ^= old[sl][j];
        if (written && !missing[sl] && mode == Mode::all) others ^= old[sl][j];
      }
      if (lost >= 0 && !parity_missing) p ^= old[pslot][j] ^ others;
    }
    parity[j] = p;
  }
  std::vector<Op> writes;
  // A block's write skips the 4 KiB stripes behind a recorded bad block of
  // its member (md: that stripe's block is failed, ops_run_io skips it); the
  // rest of the span is written (L14).
  auto add_writes = [&](int m, uint64_t a, uint64_t b, const std::function<uint64_t(uint64_t)>& word) {
    for (uint64_t x = a; x < b;) {
      uint64_t e = x;
      while (e < b) {
        const uint64_t se = std::min(b, (e / kStripeSectors + 1) * kStripeSectors);
        if (has_badblock(m, e, se - e)) break;
        e = se;
      }
      if (e > x) {
        Op op{m, data_req(disk::IoOp::write, x, e - x, disk::IoClass::data), {}};
        op.req.payload.stamps.resize(e - x);
        for (uint64_t y = x; y < e; ++y) op.req.payload.stamps[y - x] = word(y);
        writes.push_back(std::move(op));
      }
      x = e < b ? std::min(b, (e / kStripeSectors + 1) * kStripeSectors) : b;
    }
  };
  for (int i = 0; i < dd; ++i) {
    const int m = slot_member(g.r5_data_slot(row, i));
    if (w[i].len() == 0 || m < 0) continue;
    add_writes(m, w[i].lo, w[i].hi, [&](uint64_t x) { return new_word(i, x); });
  }
  if (const int pm = slot_member(pslot); pm >= 0)
    add_writes(pm, lo, hi, [&](uint64_t x) { return parity[x - lo]; });
  // ops_complete_reconstruct: a FUA bio in the stripe makes every block
  // written with it, parity included, R5_WantFUA.
  for (Op& op : writes) op.req.fua = bio->master->io.fua;
  co_await run_all(writes);
  // Lost blocks per 4 KiB stripe of [lo, hi): md handles each stripe head
  // alone, so a write error costs only the stripes it hits (L10).
  const uint64_t first = lo / kStripeSectors;
  std::vector<int> lost((hi - 1) / kStripeSectors - first + 1, nmissing);
  std::vector<int> landed(lost.size(), 0);
  bool recorded = false;
  for (Op& op : writes) {
    const uint64_t dev = op.req.sector.value() - md_.data_offset().value();
    std::vector<Span> failed;
    if (!op.res.ok()) co_await narrow_write_error(op, failed);
    for (const Span& f : failed) recorded |= record_write_error(op.member, f.lo, f.len());
    for (uint64_t st = dev / kStripeSectors; st * kStripeSectors < dev + op.req.count.value(); ++st) {
      const bool bad = std::any_of(failed.begin(), failed.end(), [&](const Span& f) {
        return f.lo < (st + 1) * kStripeSectors && st * kStripeSectors < f.hi;
      });
      (bad ? lost : landed)[st - first]++;
    }
  }
  // The data survives while at most one block of each stripe is lost (a
  // block now behind a bad block is lost for this row: reads rebuild it)
  // and some block of each stripe written to landed.
  bool ok = true;
  for (size_t k = 0; k < lost.size(); ++k) ok = ok && lost[k] <= 1 && (landed[k] > 0 || lost[k] == nmissing);
  // handle_stripe completes the write only once the new bad block is
  // acknowledged (on disk with the superblock round), as raid10 does.
  if (recorded || md_.sb_change_pending_) co_await md_.wait_sb_written();
  unlock_row(row);
  row_done(bio, ok);
}

}  // namespace mdsim::md
