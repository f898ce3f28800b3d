// llbitmap: the lockless bitmap of md-llbitmap.c (Linux 6.18+, with the fixes
// of md-internals 3.8 rows 4, 7, 8, 12, 14, 17, 20) behind IntentBackend.
//
// Memory: the page cache of the whole bitmap (bounded by the reserved area,
// 128 KiB by default, not by the array size), per-page control (barrier
// count, suspended flag, expiry, per-io_size-block dirty bits).
//
// Invariants:
//  (1) a chunk whose data write may be in flight is Dirty/NeedSync/Syncing in
//      memory, and after unplug() also on the media of every write target;
//  (2) the daemon changes a page only while the page is suspended and has no
//      raised barrier (no write between start_write and end_write);
//  (3) Clean is never written for its own sake: it reaches disk only with a
//      block written for another reason, a flush or update_sb.
#pragma once

#include <memory>

#include "model/md/intent_io.h"
#include "model/md/llbitmap_layout.h"
#include "model/md/llbitmap_state.h"

namespace mdsim::md {

class Llbitmap final : public IntentBackend {
 public:
  Llbitmap(IntentHost& host, const IntentOptions& opts);
  ~Llbitmap() override;

  std::string_view name() const override { return "llbitmap"; }
  sim::Task create(bool assume_clean) override;
  sim::Task load(Sector resync_offset) override;
  sim::Task flush() override;
  sim::Task update_sb() override;

  sim::Task start_write(Sector offset, SectorCount sectors) override;
  void end_write(Sector offset, SectorCount sectors) override;
  sim::Task start_discard(Sector offset, SectorCount sectors) override;
  void end_discard(Sector offset, SectorCount sectors) override;
  // The chunks [start, end] a discard covers entirely; false if none.
  bool whole_chunks(Sector offset, SectorCount sectors, uint64_t& start, uint64_t& end) const;
  sim::Task unplug() override;

  sim::Duration daemon_sleep() const override { return daemon_sleep_; }
  sim::Task daemon_work() override;

  SyncAnswer start_sync(Sector offset, bool degraded) override;
  void end_sync(Sector offset, bool aborted) override;
  void close_sync() override;
  sim::Task cond_end_sync(Sector sector, bool force) override;
  SyncAnswer skip_sync_blocks(Sector offset) override;
  bool blocks_synced(Sector offset) const override;
  bool needs_sync() const override;
  bool can_partial_readd(uint64_t member_events) const override;

  bool media_covers(int member, Sector offset, SectorCount sectors) const override;
  std::vector<SectorRange> dirty_ranges() const override;
  SectorCount chunk_sectors() const override { return chunk_; }
  std::string describe_media(int member, Sector offset) const override;

  // --- inspection (tests, sysfs llbitmap/bits) ---
  llb::State state(uint64_t chunk) const;
  uint64_t chunks() const { return chunks_; }
  uint32_t pages() const { return static_cast<uint32_t>(pctl_.size()); }
  uint64_t count(llb::State s) const;
  // raid456 sysfs proactive_sync.
  void proactive_sync();
  bool page_suspended(uint32_t page) const;

 private:
  struct PageCtl;

  void init_geometry(SectorCount chunk);
  uint8_t& byte_of(uint64_t chunk) { return cache_[llb::kDataOffsetBytes + chunk]; }
  uint8_t byte_of(uint64_t chunk) const { return cache_[llb::kDataOffsetBytes + chunk]; }
  uint32_t page_of(uint64_t chunk) const;
  llb::State run(uint64_t start, uint64_t end, llb::Action action);
  void write_state(uint64_t chunk, uint8_t state);
  void set_block_dirty(uint64_t chunk);
  void infect_block(uint32_t page, uint32_t block, uint64_t except_pos);
  sim::Task raise_barrier(uint32_t page);
  void release_barrier(uint32_t page);
  sim::Task write_round();
  sim::Task write_blocks(bool all);
  sim::Task daemon_pass();
  void fill_superblock();
  MetaWrite block_write(uint32_t page, uint32_t block) const;

  IntentHost& host_;
  IntentOptions opts_;
  sim::Duration daemon_sleep_;
  sim::Duration barrier_idle_;
  uint32_t io_size_ = 512;
  uint32_t blocks_per_page_ = 8;
  SectorCount chunk_;
  uint64_t chunks_ = 0;
  uint32_t flags_ = 0;          // sb state bits (stale, first use, clean)
  std::vector<uint8_t> cache_;  // nr_pages * 4096: sb area + one byte per chunk
  std::vector<std::unique_ptr<PageCtl>> pctl_;
  GroupCommit commit_;
  MediaView media_;
  sim::Instant last_end_sync_;
  bool pending_timer_ = false;  // a chunk became Dirty since the last daemon pass
  bool loaded_ = false;
};

}  // namespace mdsim::md
