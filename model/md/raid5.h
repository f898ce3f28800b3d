// The raid5 personality, left-symmetric layout (drivers/md/raid5.c).
//
// Model: a user write is split into chunk rows (one "stripe" = one chunk of
// every member at the same dev offset, raid_geometry.h). Each row operation
// takes a bounded stripe-cache entry and the row's lock, chooses
// read-modify-write, reconstruct-write or a full-stripe write by the number
// of blocks it would have to read (handle_stripe_dirtying), reads, computes
// parity as the XOR of the data stamps sector by sector, waits until the
// intent covering the row is on media (raid5's bitmap batching: seq_write /
// seq_flush, flushed by raid5d), then writes data and parity.
//
// Intent space: dev sectors; a write of array [s, s+n) marks
// intent_range(s, n) (whole rows, raid5_bitmap_sector).
// llbitmap: blocks_synced(row) == false forces reconstruct-write (the
// degraded-Unwritten hang fix, md-internals 3.8 row 5).
//
// Simplifications (docs/engine-raid5.md): the lock covers a whole chunk row
// (md locks 4 KiB stripe heads); the cache bounds concurrency but keeps no
// contents (every rmw re-reads); a write error records the whole failed
// range as a bad block (md: per 4 KiB stripe head) and fails the member only
// when the list is full; a slot with a bad block over a row's range is
// treated as missing for that row (not written, rebuilt on read); a discard
// is written as zeros; no raid6, no journal, no reshape.
//
// Invariants:
//  (1) a member data write is submitted only after the intent unplug covering
//      its start_write completed (seq_flush >= the request's seq_write);
//  (2) at most one operation touches a row at a time (parity read-modify-write
//      is atomic with respect to other writers of the row);
//  (3) at most stripe_cache_size row operations are alive.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "model/md/md_array.h"
#include "model/md/live_set.h"
#include "model/md/personality.h"
#include "sim/wait_queue.h"

namespace mdsim::md {

// One user write in raid5 (the master bio's bookkeeping).
struct R5Bio {
  size_t live_index = 0;  // in Raid5::live_bios_
  std::unique_ptr<MasterIo> master;
  SectorRange intent;    // what start_write marked
  uint64_t seq = 0;      // seq_write at start_write
  int rows_left = 0;
  bool ok = true;
};

class Raid5 final : public Personality {
 public:
  explicit Raid5(Mddev& md);
  ~Raid5() override;

  int level() const override { return 5; }
  SectorCount array_sectors() const override { return SectorCount(geo().array_sectors()); }
  void run() override;
  sim::Task make_request(std::unique_ptr<MasterIo> io, Plug* plug) override;
  sim::Task finish_plug(Plug& plug) override;
  void unplug_from_schedule(Plug& plug) override;
  sim::ValueTask<SectorCount> sync_request(Sector sector, Sector max, SyncKind kind) override;
  bool error_handler(int member) override;
  void add_disk(int member, bool fullsync) override;
  int degraded() const override;
  bool refuses_dirty_degraded() const override { return true; }
  bool quiet() const override;
  void stop() override;

  // Counters for tests and the meta-IO comparison.
  struct Stats {
    uint64_t rmw = 0;
    uint64_t rcw = 0;
    uint64_t full_stripe = 0;
    uint64_t degraded_rows = 0;     // row writes done by reading everything readable
    uint64_t reconstruct_reads = 0; // user reads served from parity
    uint64_t forced_rcw = 0;        // rcw because blocks_synced was false
  };
  const Stats& stats() const { return stats_; }

  // A member IO in a batch submitted together (run_all).
  struct Op {
    int member = -1;
    disk::IoRequest req;
    disk::IoResult res;
  };

 private:
  static constexpr uint64_t kStripeSectors = 8;  // STRIPE_SIZE (4 KiB)
  const RaidGeometry& geo() const { return md_.geo_; }
  int slot_member(int slot) const;
  bool slot_readable(int slot, uint64_t dev, uint64_t n) const;
  bool has_badblock(int member, uint64_t dev, uint64_t n) const;
  // A failed member write over dev [dev, dev+n): a bad block, or md_error
  // when the list is full. True when a bad block was recorded (the caller
  // waits for the superblock round before completing).
  bool record_write_error(int member, uint64_t dev, uint64_t n);
  disk::IoRequest data_req(disk::IoOp op, uint64_t dev, uint64_t n, disk::IoClass cls) const;
  sim::Task run_all(std::vector<Op>& ops);
  // Stripe cache: an entry per alive row operation, one operation per row.
  sim::Task get_entry();
  sim::Task lock_row(uint64_t row);
  void unlock_row(uint64_t row);
  sim::Task wait_intent_flushed(uint64_t seq);
  sim::Task raid5d();
  // raid5_write.cc
  // A data index's written dev range in a row: [lo, hi), empty when lo == hi.
  struct Span {
    uint64_t lo = 0;
    uint64_t hi = 0;
    uint64_t len() const { return hi - lo; }
  };
  enum class Mode : uint8_t { full, rmw, rcw, all };
  Mode plan_mode(bool full, int nmissing, bool synced, uint64_t rmw_reads, uint64_t rcw_reads);
  void plan_reads(uint64_t row, const std::vector<Span>& w, uint64_t lo, uint64_t hi, Mode mode,
                  const std::vector<uint8_t>& missing, std::vector<Op>& reads, std::vector<int>& read_slot) const;
  sim::Task write_request(std::unique_ptr<MasterIo> io);
  sim::Task row_write(R5Bio* bio, uint64_t row);
  void row_done(R5Bio* bio, bool ok);
  // A failed member write rewritten per 4 KiB stripe; `failed` receives the
  // dev spans (merged) whose pieces failed again (L10).
  sim::Task narrow_write_error(const Op& op, std::vector<Span>& failed);
  // raid5_read.cc
  sim::Task read_task(std::unique_ptr<MasterIo> io);
  sim::ValueTask<bool> read_piece(uint64_t row, int index, uint64_t dev, uint64_t n, uint64_t* out);
  sim::ValueTask<bool> reconstruct(uint64_t row, int slot, uint64_t dev, uint64_t n, uint64_t* out);
  sim::Task sync_window(uint64_t dev, uint64_t n, SyncKind kind, bool& ok);
  // One 4 KiB stripe read from every source for the per-stripe sync paths:
  // the readable blocks XORed into x, the members that returned a media
  // error in unreadable. Another failure fails that member, returns false.
  sim::ValueTask<bool> read_stripe(uint64_t dev, uint64_t len, const std::vector<Op>& reads,
                                   std::vector<uint64_t>& x, std::vector<int>& unreadable);
  // A resync / check / repair window with a read error, stripe by stripe:
  // the unreadable block is computed and rewritten (L15).
  sim::Task resync_by_pages(uint64_t dev, uint64_t n, const std::vector<Op>& reads, SyncKind kind, bool& ok);
  // A recovery window with a source read error, stripe by stripe (L9f).
  sim::Task recover_by_pages(uint64_t dev, uint64_t n, const std::vector<Op>& reads, int target, bool& ok);

  Mddev& md_;
  Stats stats_;
  std::map<uint64_t, uint32_t> busy_rows_;  // row -> waiters (present = locked)
  uint32_t cache_used_ = 0;
  sim::WaitQueue cache_wq_;
  sim::WaitQueue row_wq_;
  sim::WaitQueue raid5d_wq_;
  sim::WaitQueue flush_wq_;
  uint64_t seq_write_ = 0;
  uint64_t seq_flush_ = 0;
  uint64_t alive_ = 0;  // user requests in the personality
  LiveSet<R5Bio> live_bios_;  // owns every write bio in flight
  bool fullsync_ = false;
  bool stop_ = false;
  bool daemon_busy_ = false;
};

}  // namespace mdsim::md
