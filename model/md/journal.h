// The seed's intent journal (seed 000, "replace raid1 bitmap with simple
// journal") behind IntentBackend; format in journal_format.h, every choice the
// seed leaves open in docs/intent-journal.md.
//
// Write path: start_write queues one entry per bio; the next unplug round
// writes all queued entries into free ring slots (one io_size block per slot,
// PREFLUSH|FUA, concurrent plugs share a round) and only then lets the data
// go. end_write (data done on all mirrors) releases the bio's slot; a released
// slot is reused by a later round (overwriting it clears it for free) or
// zeroed by the daemon in contiguous batches.
//
// Invariants:
//  (1) a bio between unplug() and end_write() has an entry covering it in a
//      slot on the media of every write target, and that slot is not reused
//      or cleared before its end_write;
//  (2) while degraded, every chunk written (or in flight when the array
//      degraded) is in the missing set, durable before the slot that covered
//      it can be reused or cleared;
//  (3) loaded entries stay on media until the resync that covers them ends.
#pragma once

#include <deque>
#include <map>

#include "model/md/intent_io.h"
#include "model/md/journal_format.h"

namespace mdsim::md {

class Journal final : public IntentBackend {
 public:
  Journal(IntentHost& host, const IntentOptions& opts);

  std::string_view name() const override { return "journal"; }
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
  SectorCount chunk_sectors() const override { return SectorCount(jrnl::kEntryChunkSectors); }
  std::string describe_media(int member, Sector offset) const override;

  // --- inspection ---
  const jrnl::Geometry& geometry() const { return geo_; }
  uint32_t live_slots() const;
  uint32_t media_nonempty_slots() const;
  uint64_t slot_writes() const { return slot_writes_; }
  uint64_t clear_writes() const { return clear_writes_; }
  bool missing(uint64_t chunk) const;

 private:
  struct Slot {
    uint32_t live = 0;       // bios whose data has not completed on all mirrors
    bool held = false;       // loaded after a crash: kept until the resync ends
    std::vector<jrnl::Entry> media;  // entries durable on media
  };
  struct Bio {
    Sector offset;
    SectorCount sectors;
  };

  sim::Task write_round();
  sim::ValueTask<uint32_t> take_slot(std::vector<bool>& taken);
  void add_clears(const std::vector<bool>& taken, std::vector<MetaWrite>& writes,
                  std::vector<std::pair<uint32_t, std::vector<jrnl::Entry>>>& done);
  bool end_unslotted(Sector offset, SectorCount sectors);
  void add_sync_range(uint64_t start, uint64_t end);
  void set_missing(Sector offset, SectorCount sectors);
  bool missing_any() const;
  std::vector<MetaWrite> missing_writes(bool all);
  bool covered_for_sync(uint64_t s, uint64_t& extent) const;
  sim::Task write_superblock();
  sim::Task write_without_fua(std::vector<MetaWrite> writes);

  IntentHost& host_;
  IntentOptions opts_;
  sim::Duration daemon_sleep_;
  jrnl::Geometry geo_;
  uint32_t tag_ = 0;
  std::vector<Slot> slots_;
  uint32_t head_ = 0;
  uint64_t seq_ = 0;
  std::vector<Bio> pending_;
  std::map<std::pair<uint64_t, uint64_t>, std::deque<uint32_t>> bio_slot_;
  // Bios started whose round has not given them a slot yet, by range.
  std::map<std::pair<uint64_t, uint64_t>, uint32_t> unslotted_;
  std::vector<uint8_t> missing_;             // missing-set bits (bounded by the area)
  std::vector<bool> missing_dirty_;          // per io_size block
  std::vector<uint8_t> forget_;              // missing chunks a complete pass synced
  std::map<uint64_t, uint64_t> sync_set_;    // start -> end sector, to resync
  std::map<uint64_t, uint64_t> consumed_;    // synced by the running pass (RESYNC)
  uint64_t abort_at_ = UINT64_MAX;           // first aborted sector of the running pass
  GroupCommit commit_;
  MediaView media_;
  sim::WaitQueue slot_wq_;
  bool clear_requested_ = false;
  bool stale_ = false;
  bool recovery_done_ = false;              // forget_ has chunks to clear
  bool sb_dirty_ = false;
  bool loaded_ = false;
  uint64_t events_cleared_ = 0;
  uint64_t slot_writes_ = 0;
  uint64_t clear_writes_ = 0;
};

}  // namespace mdsim::md
