// The raid10 personality, near, far and offset layouts (drivers/md/raid10.c
// with the shared raid1-10.c plugging): every array chunk has r10_copies()
// copies, placed by raid_geometry.h (near: consecutive slots; far / offset:
// the next slot, in the member's far section or next device chunk). The write path is raid1's: md_account_bio
// -> intent start_write over ARRAY sectors (raid10's intent space), member
// bios collected in the submitter's plug or on pending_bio_list, the intent
// unplug before any of them is submitted (raid10d / blk_finish_plug).
//
// Simplifications (docs/engine-raid10.md): one global barrier (raid10's
// conf->barrier, not raid1's buckets); user IO is split per chunk but kept in
// one r10bio; write errors record a bad block without narrowing; a read error
// is fixed from another copy without freezing the array; recovery and its
// recovery_offset run over array sectors (all copies of a chunk at once).
//
// Invariants:
//  (1) a member data bio is submitted only after the intent unplug that
//      followed its start_write completed (unless the backend is disabled);
//  (2) end_write runs once per r10bio, after every copy completed;
//  (3) no member bio crosses a chunk (so it maps to one intent range).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "model/md/barrier.h"
#include "model/md/md_array.h"
#include "model/md/live_set.h"
#include "model/md/personality.h"
#include "model/md/plug.h"
#include "model/md/raid1_10_plug.h"

namespace mdsim::md {

// raid10 has one barrier for the whole array: every request uses this key.
inline constexpr uint64_t kRaid10BarrierKey = 0;

// One user request's life in raid10 (struct r10bio; one per request here).
struct R10Bio {
  size_t live_index = 0;  // in Raid10::live_bios_
  std::unique_ptr<MasterIo> master;
  Sector sector;  // array sector == intent space
  SectorCount count;
  bool discard = false;
  int remaining = 0;
  // Per chunk piece: copies written successfully (a piece with none fails).
  std::vector<uint8_t> piece_ok;
  struct Failed {
    int member;
    Sector dev;
    SectorCount count;
  };
  std::vector<Failed> failed;  // media errors: become bad blocks in raid10d
};

class Raid10 final : public Personality {
 public:
  explicit Raid10(Mddev& md);
  ~Raid10() override;

  int level() const override { return 10; }
  SectorCount array_sectors() const override { return SectorCount(geo().array_sectors()); }
  void run() override;
  sim::Task make_request(std::unique_ptr<MasterIo> io, Plug* plug) override;
  sim::Task finish_plug(Plug& plug) override;
  void unplug_from_schedule(Plug& plug) override;
  sim::ValueTask<SectorCount> sync_request(Sector sector, Sector max, SyncKind kind) override;
  bool error_handler(int member) override;
  void add_disk(int member, bool fullsync) override;
  int degraded() const override;
  SectorRange member_to_intent(int member, Sector dev, SectorCount n) const override;
  bool quiet() const override;
  void stop() override;

 private:
  const RaidGeometry& geo() const { return md_.geo_; }
  // The present, non-faulty member holding slot, or -1.
  int slot_member(int slot) const;
  // Can member serve normal reads of array range [a, a+n)?
  bool readable(int member, uint64_t a, uint64_t n) const;
  // enough(): every copy set keeps an In_sync member without `except`.
  bool enough(int except) const;
  // raid10.cc: write path
  // Length of the r10bio piece starting at array sector a (at most n, inside
  // one chunk) that known bad blocks allow (raid10_write_request's cut).
  uint64_t badblock_cut(uint64_t a, uint64_t n) const;
  sim::Task write_request(std::unique_ptr<MasterIo> io, Plug* plug);
  void end_write(R10Bio* r10, size_t piece, int member, Sector dev, SectorCount n,
                 const disk::IoResult& res);
  void close_write(R10Bio* r10);
  sim::Task handle_write_finished(R10Bio* r10);
  sim::Task raid10d();
  // raid10_io.cc: reads and sync
  sim::Task read_request(std::unique_ptr<MasterIo> io);
  sim::Task read_task(std::unique_ptr<MasterIo> io);
  sim::ValueTask<bool> read_piece(uint64_t a, uint64_t n, uint64_t* out);
  sim::Task fix_read_error(int member, Sector dev, SectorCount n, const std::vector<uint64_t>& good);
  sim::Task sync_window(uint64_t a, uint64_t n, SyncKind kind, bool& ok);
  // A recovery window with no readable In_sync copy (bad blocks / none).
  sim::Task recovery_without_source(uint64_t a, uint64_t n, const std::vector<int>& copy,
                                    const std::vector<uint8_t>& was_in_sync, bool& ok);
  // A recovery window whose source read failed: page by page (fix_recovery_read_error).
  sim::Task recover_by_pages(uint64_t a, uint64_t n, int src, const std::vector<int>& copy,
                             const std::vector<uint8_t>& was_in_sync, bool& ok);
  // Resync / check / repair: read the window's In_sync copies in order until
  // one reads; marks in `unread` (per copy) those whose read failed.
  sim::ValueTask<int> read_resync_source(uint64_t a, uint64_t n, const std::vector<int>& copy,
                                         std::vector<uint8_t>& unread, disk::IoResult& base);
  // One copy of a sync window: member m (planned at the window's start, in
  // slot `slot`) is compared with `base` and rewritten where it differs
  // (compare: an In_sync copy that read), or just written.
  sim::Task sync_copy(int m, Sector dev, int slot, bool compare, const std::vector<uint64_t>& base,
                      SyncKind kind, bool& ok);
  disk::IoRequest data_req(disk::IoOp op, Sector dev, SectorCount n, disk::IoClass cls) const;

  Mddev& md_;
  Barrier barrier_;
  std::deque<R10Bio*> write_finished_;
  LiveSet<R10Bio> live_bios_;  // owns every r10bio in flight
  sim::WaitQueue raid10d_wq_;
  uint64_t r10bios_ = 0;   // alive write r10bios
  uint64_t reads_ = 0;     // reads in flight (own tasks)
  bool stop_ = false;
  bool fullsync_ = false;
  bool busy_ = false;
  Raid1_10Plugging plugging_;  // after raid10d_wq_ (it keeps a reference)
};

}  // namespace mdsim::md
