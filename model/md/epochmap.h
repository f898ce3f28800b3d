// epochmap: our intent backend (docs/intent-ours.md). A bit per chunk in
// io_size region blocks, each block stamped with an epoch; the superblock's
// clean_epoch invalidates every older block at once.
//
//  - Dirtying (llbitmap's amortisation, at classic's granularity): the first
//    write to a 64 MiB-aligned group sets only its chunk's bit; a second
//    chunk dirtied in the same group while the first is still set "infects"
//    the whole group. A block write (PREFLUSH|FUA) precedes the data; all
//    writers waiting at the same time share one round (group commit).
//  - Cleaning (persisted, unlike llbitmap): a block whose bits are all idle
//    (no write in flight, no write for clean_idle, nothing left to resync) is
//    cleanable. The daemon either rewrites each cleanable block with its bits
//    cleared, or - when that is dearer - advances the epoch: restamps the
//    few busy blocks, then writes clean_epoch in the superblock: one write
//    cleans the whole array after a burst.
//
// Invariants:
//  (1) a bio between unplug() and end_write() has its chunk bit set in a block
//      on media whose epoch is > the clean_epoch on media;
//  (2) clean_epoch on media only ever moves past a block's epoch once every
//      bit that block holds for an in-flight, recent or unsynced chunk has
//      been restamped with a newer epoch;
//  (3) nothing is cleaned while the array is degraded.
#pragma once

#include "model/md/epochmap_layout.h"
#include "model/md/intent_io.h"

namespace mdsim::md {

class Epochmap final : public IntentBackend {
 public:
  Epochmap(IntentHost& host, const IntentOptions& opts);

  std::string_view name() const override { return "epochmap"; }
  sim::Task create(bool assume_clean) override;
  sim::Task load(Sector resync_offset) override;
  sim::Task flush() override;
  sim::Task update_sb() override;

  sim::Task start_write(Sector offset, SectorCount sectors) override;
  void end_write(Sector offset, SectorCount sectors) override;
  sim::Task start_discard(Sector offset, SectorCount sectors) override;
  void end_discard(Sector offset, SectorCount sectors) override;
  sim::Task unplug() override;

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
  SectorCount chunk_sectors() const override { return SectorCount(geo_.chunk_sectors); }
  std::string describe_media(int member, Sector offset) const override;

  // --- inspection ---
  const epm::Geometry& geometry() const { return geo_; }
  bool dirty(uint64_t chunk) const { return bit(img_, chunk); }
  uint64_t dirty_chunks() const;
  uint64_t epoch() const { return cur_epoch_; }
  uint64_t clean_epoch() const { return clean_epoch_; }
  uint64_t epoch_advances() const { return epoch_advances_; }
  uint64_t block_cleans() const { return block_cleans_; }
  uint64_t sb_round_cleans() const { return sb_round_cleans_; }

 private:
  struct BlockCtl {
    uint32_t inflight = 0;  // bios between start_write and end_write
    sim::Instant last_touch;
    bool mem_dirty = false; // must be written before dependent data
  };

  size_t bit_pos(uint64_t chunk) const;
  bool bit(const std::vector<uint8_t>& img, uint64_t chunk) const;
  void set_bit(uint64_t chunk);
  void mark(uint64_t chunk);
  bool block_has(const std::vector<uint8_t>& img, uint32_t b) const;
  void clear_block(uint32_t b);
  uint32_t block_of(uint64_t chunk) const { return static_cast<uint32_t>(chunk / geo_.chunks_per_block); }
  sim::Task write_round();
  sim::Task write_superblock();
  sim::Task clean_pass(sim::Duration idle);
  void clean_on_sb_round();
  void touch(Sector offset, SectorCount sectors, int delta);

  IntentHost& host_;
  IntentOptions opts_;
  sim::Duration daemon_sleep_;
  sim::Duration clean_idle_;
  epm::Geometry geo_;
  uint32_t tag_ = 0;
  std::vector<uint8_t> img_;        // blocks * io_size: header + bits, as written
  std::vector<uint8_t> sync_img_;   // same shape: chunks left to resync
  std::vector<uint8_t> pass_img_;   // same shape: chunks the running pass synced
  uint64_t abort_chunk_ = UINT64_MAX;  // first aborted chunk of the running pass
  std::vector<BlockCtl> ctl_;
  GroupCommit commit_;
  MediaView media_;
  uint64_t cur_epoch_ = 1;          // stamp of every block written now
  uint64_t clean_epoch_ = 0;        // value the superblock carries
  uint64_t media_clean_epoch_ = 0;  // value last durably written
  uint64_t events_cleared_ = 0;
  bool stale_ = false;
  bool sb_dirty_ = false;
  bool loaded_ = false;
  bool last_start_marked_ = false;  // mutant ours_skip_intent_for_overwrite only
  uint64_t epoch_advances_ = 0;
  uint64_t block_cleans_ = 0;
  uint64_t sb_round_cleans_ = 0;
};

}  // namespace mdsim::md
