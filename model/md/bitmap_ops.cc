// Classic bitmap: start_write / end_write, the daemon, the resync hooks and
// the verification view (what is on a member's media).
#include <algorithm>
#include <string>

#include "model/md/bitmap.h"
#include "sim/assert.h"

namespace mdsim::md {

// ---------------------------------------------------------------------------
// Write path (md_bitmap_startwrite / md_bitmap_endwrite).

sim::Task Bitmap::start_io(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) co_return;  // empty ranges are not accounted
  const uint64_t first = chunk_of(offset);
  const uint64_t last = chunk_of(offset + sectors - SectorCount(1));
  SIM_ASSERT(last < chunks_);
  for (uint64_t c = first; c <= last; ++c) {
    BitmapCounter* bmc = counter_ptr(c, true);
    while ((*bmc & kCounterMax) == kCounterMax) {
      co_await overflow_wait_.wait();
      bmc = counter_ptr(c, true);
    }
    count_write(c, *bmc);
  }
}

void Bitmap::count_write(uint64_t chunk, BitmapCounter& bmc) {
  // The switch is on the whole word: a NEEDED/RESYNC chunk already has its
  // bit set and keeps its flags.
  if (bmc == 0) set_bit(chunk);
  if (bmc <= 1) bmc = 2;
  ++bmc;
  SIM_ASSERT(bit_in_memory(chunk));
}

bool Bitmap::try_start_write(Sector offset, SectorCount sectors) {
  // start_io without its coroutine frame when no counter is at its maximum
  // (then start_io would not wait either).
  if (sectors.value() == 0) return true;
  const uint64_t first = chunk_of(offset);
  const uint64_t last = chunk_of(offset + sectors - SectorCount(1));
  SIM_ASSERT(last < chunks_);
  for (uint64_t c = first; c <= last; ++c)
    if ((counter(c) & kCounterMax) == kCounterMax) return false;
  for (uint64_t c = first; c <= last; ++c) count_write(c, *counter_ptr(c, true));
  return true;
}

void Bitmap::end_io(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) return;
  const uint64_t first = chunk_of(offset);
  const uint64_t last = chunk_of(offset + sectors - SectorCount(1));
  const bool degraded = host_.degraded();
  // The mutant forgets NEEDED on a degraded write only: advancing
  // events_cleared as well would force every later re-add to a full recovery
  // and hide the lost bit (the combined form became equivalent once an
  // assembly during a recovery restarts it in full, L9b).
  const bool keep_needed = !opts_.mutants.on(Mutant::degraded_write_clears);
  for (uint64_t c = first; c <= last; ++c) {
    BitmapCounter* bmc = counter_ptr(c, false);
    SIM_ASSERT(bmc != nullptr);
    SIM_ASSERT((*bmc & kCounterMax) > 0);
    if (!degraded) {
      // The bit may be cleared later: events_cleared moves to now.
      if (events_cleared_ < host_.events()) {
        events_cleared_ = host_.events();
        need_sync_ = true;
      }
    } else if (keep_needed && !(*bmc & kNeededMask)) {
      *bmc |= kNeededMask;  // keep the chunk for the re-add / recovery
    }
    if ((*bmc & kCounterMax) == kCounterMax) overflow_wait_.wake_all();
    --*bmc;
    if (*bmc <= 2) set_pending(c);
  }
}

sim::Task Bitmap::start_write(Sector offset, SectorCount sectors) {
  co_await start_io(offset, sectors);
}
void Bitmap::end_write(Sector offset, SectorCount sectors) { end_io(offset, sectors); }
sim::Task Bitmap::start_discard(Sector offset, SectorCount sectors) {
  co_await start_io(offset, sectors);
}
void Bitmap::end_discard(Sector offset, SectorCount sectors) { end_io(offset, sectors); }

// ---------------------------------------------------------------------------
// The daemon (bitmap_daemon_work).

sim::Task Bitmap::daemon_work() {
  if (allclean_) co_return;
  allclean_ = true;
  // 1. Cleared bits from the last pass become due.
  for (uint64_t p = 0; p < pages_; ++p) {
    if (page_attr_[p] & kPending) {
      page_attr_[p] &= static_cast<uint8_t>(~kPending);
      page_attr_[p] |= kNeedWrite;
    }
  }
  // 2. events_cleared must reach disk before any bit is cleared.
  if (need_sync_) {
    need_sync_ = false;
    sb_.events_cleared = events_cleared_;
    page_attr_[0] |= kNeedWrite;
  }
  // 3. Counters: 2 -> 1 -> 0 (bit cleared) over passes.
  for (uint64_t cp = 0; cp < counter_pages_.size(); ++cp) {
    if (!counter_page_pending_[cp] || !counter_pages_[cp]) continue;
    counter_page_pending_[cp] = 0;
    const uint64_t end = std::min<uint64_t>(chunks_, (cp + 1) * kCountersPerPage);
    for (uint64_t c = cp * kCountersPerPage; c < end; ++c) {
      BitmapCounter& bmc = (*counter_pages_[cp])[c % kCountersPerPage];
      if (opts_.mutants.on(Mutant::daemon_clears_inflight) && bmc > 2 && !(bmc & kNeededMask)) {
        clear_bit(c);  // the counter stays: writes are still in flight
      } else if (bmc == 1 && !need_sync_) {
        bmc = 0;
        clear_bit(c);
      } else if (bmc != 0 && bmc <= 2) {
        bmc = 1;
        set_pending(c);
      }
    }
  }
  // 4. Write due pages without waiting; a DIRTY page is left to unplug.
  for (uint64_t p = 0; p < pages_; ++p) {
    if (page_attr_[p] & kDirty) break;
    if (page_attr_[p] & kNeedWrite) {
      page_attr_[p] &= static_cast<uint8_t>(~kNeedWrite);
      write_page_async(p);
    }
  }
}

// ---------------------------------------------------------------------------
// Resync hooks.

SyncAnswer Bitmap::start_sync(Sector offset, bool degraded) {
  // md_bitmap_start_sync: the answer holds for at least a page (8 sectors).
  SyncAnswer ans;
  Sector s = offset;
  while (ans.blocks.value() < 8 && s.value() < host_.sync_size().value()) {
    const uint64_t c = chunk_of(s);
    uint64_t blocks = chunk_sectors_ - (s.value() & (chunk_sectors_ - 1));
    BitmapCounter* bmc = counter_ptr(c, false);
    if (bmc == nullptr) {
      // No counter page: the rest of the page's chunks are clean.
      const uint64_t page_end = (c / kCountersPerPage + 1) * kCountersPerPage;
      blocks += (std::min(page_end, chunks_) - c - 1) * chunk_sectors_;
    } else if (*bmc & kResyncMask) {
      ans.value = true;
    } else if (*bmc & kNeededMask) {
      ans.value = true;
      if (!degraded) *bmc = static_cast<BitmapCounter>((*bmc | kResyncMask) & ~kNeededMask);
    }
    ans.blocks += SectorCount(blocks);
    s = s + SectorCount(blocks);
  }
  if (ans.blocks.value() == 0) ans.blocks = SectorCount(8);
  return ans;
}

void Bitmap::end_sync_chunk(uint64_t c, bool aborted) {
  BitmapCounter* bmc = counter_ptr(c, false);
  if (bmc == nullptr || !(*bmc & kResyncMask)) return;
  *bmc &= static_cast<BitmapCounter>(~kResyncMask);
  if (opts_.mutants.on(Mutant::end_sync_partial_clean)) aborted = false;
  if (!(*bmc & kNeededMask) && aborted) {
    *bmc |= kNeededMask;
  } else if (*bmc <= 2) {
    set_pending(c);
  }
}

void Bitmap::end_sync(Sector offset, bool aborted) {
  if (offset.value() >= host_.sync_size().value()) return;
  end_sync_chunk(chunk_of(offset), aborted);
}

void Bitmap::close_sync() {
  for (uint64_t cp = 0; cp < counter_pages_.size(); ++cp) {
    if (!counter_pages_[cp]) continue;
    const uint64_t end = std::min<uint64_t>(chunks_, (cp + 1) * kCountersPerPage);
    for (uint64_t c = cp * kCountersPerPage; c < end; ++c) end_sync_chunk(c, false);
  }
}

sim::Task Bitmap::cond_end_sync(Sector sector, bool force) {
  // md_bitmap_cond_end_sync: at most once per daemon_sleep (unless forced),
  // end the sync of every whole chunk below `sector`.
  const sim::Instant now = host_.sim().now();
  if (sector.value() == 0) {
    last_end_sync_ = Sector(0);
    last_end_sync_at_ = now;
    co_return;
  }
  if (!force && now < last_end_sync_at_ + daemon_sleep_) co_return;
  const uint64_t upto = chunk_of(sector);  // chunks strictly below
  for (uint64_t c = chunk_of(last_end_sync_); c < upto && c < chunks_; ++c) end_sync_chunk(c, false);
  last_end_sync_ = Sector(upto << chunk_shift_);
  last_end_sync_at_ = now;
}

SyncAnswer Bitmap::skip_sync_blocks(Sector) { return {false, SectorCount(0)}; }

bool Bitmap::needs_sync() const {
  for (const auto& page : counter_pages_) {
    if (!page) continue;
    for (BitmapCounter c : *page)
      if (c & (kNeededMask | kResyncMask)) return true;
  }
  return false;
}

bool Bitmap::can_partial_readd(uint64_t member_events) const {
  // super_1_validate: older than events_cleared -> the bitmap cannot be trusted.
  return member_events >= events_cleared_;
}

// ---------------------------------------------------------------------------
// Verification.

bool Bitmap::media_covers(int member, Sector offset, SectorCount sectors) const {
  if (sectors.value() == 0) return true;
  disk::Disk& d = host_.member_disk(member);
  const uint64_t first = chunk_of(offset);
  const uint64_t last = chunk_of(offset + sectors - SectorCount(1));
  uint64_t loaded = UINT64_MAX;
  for (uint64_t c = first; c <= last; ++c) {
    const uint64_t byte = kBitmapSuperBytes + c / 8;
    const uint64_t sec = byte / disk::kSectorBytes;
    if (sec != loaded) {
      d.media_bytes(host_.intent_area_start() + SectorCount(sec), SectorCount(1), scratch_);
      loaded = sec;
    }
    if (scratch_.size() < disk::kSectorBytes) return false;
    if (!((scratch_[byte % disk::kSectorBytes] >> (c % 8)) & 1)) return false;
  }
  return true;
}

std::vector<SectorRange> Bitmap::dirty_ranges() const {
  std::vector<SectorRange> out;
  for (uint64_t c = 0; c < chunks_; ++c) {
    if (!bit_in_memory(c)) continue;
    const Sector s(c << chunk_shift_);
    const uint64_t n = std::min<uint64_t>(chunk_sectors_, host_.sync_size().value() - s.value());
    if (!out.empty() && out.back().end() == s) out.back().count += SectorCount(n);
    else out.push_back({s, SectorCount(n)});
  }
  return out;
}

std::string Bitmap::describe_media(int member, Sector offset) const {
  const uint64_t c = chunk_of(offset);
  const bool media = media_covers(member, Sector(c << chunk_shift_), SectorCount(1));
  return "bitmap chunk " + std::to_string(c) + " (" + std::to_string(chunk_sectors_) +
         " sectors): media bit " + (media ? "1" : "0") + ", memory bit " +
         (bit_in_memory(c) ? "1" : "0") + ", counter 0x" + [&] {
           char buf[8];
           std::snprintf(buf, sizeof buf, "%04x", counter(c));
           return std::string(buf);
         }();
}

}  // namespace mdsim::md
