// The classic md write-intent bitmap (drivers/md/md-bitmap.c) as an
// IntentBackend.
//
// On disk (intent area of every member): bitmap_super_t (256 bytes) then one
// bit per chunk, split in 4 KiB file pages. In memory: the same pages
// (storage.filemap, with page 0 = sb page), 4 attribute bits per page
// (DIRTY: a bit was set, unplug must write it before data; PENDING: a bit was
// cleared; NEEDWRITE: the clearing is due), and a 16-bit counter per chunk
// (NEEDED 0x8000, RESYNC 0x4000, count 0x3fff) in lazily allocated counter
// pages of 2048 counters (memory grows with the chunks touched).
//
// Invariants:
//  (1) a chunk with counter != 0 has its bit set in memory;
//  (2) unplug() returns only after every page that was DIRTY when it was called
//      is on the media of every write target (PREFLUSH|FUA), and every earlier
//      metadata write has completed (md_super_wait);
//  (3) a bit is cleared in memory only when its counter went 2 -> 1 -> 0 over
//      daemon passes with no writer and no NEEDED/RESYNC flag.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "model/md/bitmap_layout.h"
#include "model/md/intent_backend.h"
#include "sim/wait_queue.h"

namespace mdsim::md {

using BitmapCounter = uint16_t;
inline constexpr BitmapCounter kNeededMask = 0x8000;
inline constexpr BitmapCounter kResyncMask = 0x4000;
inline constexpr BitmapCounter kCounterMax = 0x3fff;
inline constexpr uint32_t kCountersPerPage = 2048;  // PAGE_COUNTER_RATIO

class Bitmap final : public IntentBackend {
 public:
  Bitmap(IntentHost& host, const IntentOptions& opts);
  ~Bitmap() override;

  std::string_view name() const override { return "bitmap"; }
  sim::Task create(bool assume_clean) override;
  sim::Task load(Sector resync_offset) override;
  sim::Task flush() override;
  sim::Task update_sb() override;
  sim::Task start_write(Sector offset, SectorCount sectors) override;
  bool try_start_write(Sector offset, SectorCount sectors) override;
  void end_write(Sector offset, SectorCount sectors) override;
  sim::Task start_discard(Sector offset, SectorCount sectors) override;
  void end_discard(Sector offset, SectorCount sectors) override;
  sim::Task unplug() override;
  bool try_unplug() override;
  bool supports_behind_writes() const override { return true; }
  void start_behind_write() override { ++behind_writes_; }
  void end_behind_write() override { --behind_writes_; }
  sim::Duration daemon_sleep() const override { return daemon_sleep_; }
  sim::Task daemon_work() override;
  SyncAnswer start_sync(Sector offset, bool degraded) override;
  void end_sync(Sector offset, bool aborted) override;
  void close_sync() override;
  sim::Task cond_end_sync(Sector sector, bool force) override;
  SyncAnswer skip_sync_blocks(Sector offset) override;
  bool needs_sync() const override;
  bool can_partial_readd(uint64_t member_events) const override;
  bool media_covers(int member, Sector offset, SectorCount sectors) const override;
  std::vector<SectorRange> dirty_ranges() const override;
  SectorCount chunk_sectors() const override { return SectorCount(chunk_sectors_); }
  std::string describe_media(int member, Sector offset) const override;

  // Inspection for tests.
  uint64_t chunks() const { return chunks_; }
  bool bit_in_memory(uint64_t chunk) const;
  BitmapCounter counter(uint64_t chunk) const;
  uint64_t events_cleared() const { return events_cleared_; }
  uint64_t pages() const { return pages_; }

 private:
  enum PageAttr : uint8_t { kDirty = 1, kPending = 2, kNeedWrite = 4 };
  uint64_t chunk_of(Sector s) const { return s.value() >> chunk_shift_; }
  BitmapCounter* counter_ptr(uint64_t chunk, bool create);
  const BitmapCounter* counter_ptr(uint64_t chunk) const;
  void set_bit(uint64_t chunk);
  void clear_bit(uint64_t chunk);
  uint64_t page_of_chunk(uint64_t chunk) const;
  void set_pending(uint64_t chunk);
  std::vector<uint8_t> page_bytes(uint64_t page);
  sim::Task write_page_task(uint64_t page);
  void write_page_async(uint64_t page);
  sim::Task wait_inflight();
  void end_io(Sector offset, SectorCount sectors);
  sim::Task start_io(Sector offset, SectorCount sectors);
  void count_write(uint64_t chunk, BitmapCounter& bmc);
  void end_sync_chunk(uint64_t chunk, bool aborted);

  IntentHost& host_;
  IntentOptions opts_;
  uint64_t chunk_bytes_ = 0;
  uint64_t chunk_sectors_ = 0;
  int chunk_shift_ = 0;
  uint64_t chunks_ = 0;
  uint64_t file_bytes_ = 0;  // sb + bits
  uint64_t pages_ = 0;
  sim::Duration daemon_sleep_;
  std::vector<uint8_t> filemap_;          // pages_ * 4096 bytes, page 0 holds the sb
  std::vector<uint8_t> page_attr_;
  std::vector<uint8_t> page_writing_;
  BitmapSuper sb_;
  mutable std::vector<uint8_t> scratch_;
  std::vector<std::unique_ptr<std::array<BitmapCounter, kCountersPerPage>>> counter_pages_;
  std::vector<uint8_t> counter_page_pending_;  // bp[page].pending
  bool allclean_ = true;
  uint64_t events_cleared_ = 0;
  bool need_sync_ = false;
  uint32_t state_ = 0;
  uint64_t inflight_writes_ = 0;
  sim::WaitQueue write_wait_;     // md_super_wait
  sim::WaitQueue overflow_wait_;
  uint64_t behind_writes_ = 0;
  Sector last_end_sync_;
  sim::Instant last_end_sync_at_;
};

}  // namespace mdsim::md
