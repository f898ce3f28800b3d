// The raid1 personality (drivers/md/raid1.c, raid1-10.c): r1conf, the write
// path with plugging, the read path with read balancing and read-error repair,
// write errors and bad blocks, write-mostly / write-behind, raid1d, and
// sync_request for resync / recovery / check / repair.
//
// Files: raid1.cc (conf, raid1d, errors; plugging in raid1_10_plug.cc), raid1_write.cc,
// raid1_read.cc, raid1_sync.cc.
//
// Invariants:
//  (1) every member data bio is submitted only after the intent unplug that
//      followed its start_write completed (flush_bio_list ordering), unless the
//      backend is not enabled (then nothing is tracked);
//  (2) end_write for an r1bio runs once, after every mirror completed;
//  (3) a user write with a failed mirror is acknowledged only after the bad
//      block (or the member's failure) is recorded in the superblock on disk.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "model/md/barrier.h"
#include "model/md/live_set.h"
#include "model/md/md_array.h"
#include "model/md/personality.h"
#include "model/md/plug.h"
#include "model/md/raid1_10_plug.h"

namespace mdsim::md {

inline constexpr uint64_t kResyncSectors = 128;  // RESYNC_SECTORS (64 KiB)

class Raid1;

// One user request's life in raid1 (struct r1bio).
struct R1Bio {
  size_t live_index = 0;  // in Raid1::live_bios_
  Raid1* conf = nullptr;  // the owning personality (completion callbacks)
  std::shared_ptr<MasterIo> master;  // shared by the parts of a split write
  Sector sector;          // array sector == intent space for raid1
  uint64_t stamp_offset = 0;  // offset of this part within the user write
  SectorCount count;
  bool discard = false;
  int remaining = 0;      // member writes not completed
  int behind_remaining = 0;
  int behind_count = 0;   // write-behind clones issued
  bool uptodate = false;  // some mirror has the data
  bool returned = false;  // master already acknowledged (write-behind)
  std::vector<int> failed;  // members whose write failed with a media error
  int read_disk = -1;
};

class Raid1 final : public Personality {
 public:
  explicit Raid1(Mddev& md);
  ~Raid1() override;

  int level() const override { return 1; }
  SectorCount array_sectors() const override { return md_.sync_size_; }
  void run() override;
  sim::Task make_request(std::unique_ptr<MasterIo> io, Plug* plug) override;
  sim::Task finish_plug(Plug& plug) override;
  void unplug_from_schedule(Plug& plug) override;
  sim::ValueTask<SectorCount> sync_request(Sector sector, Sector max, SyncKind kind) override;
  bool error_handler(int member) override;
  void add_disk(int member, bool fullsync) override;
  int degraded() const override;
  bool quiet() const override;
  void stop() override;

 private:
  // raid1_write.cc
  sim::Task write_request(std::unique_ptr<MasterIo> io, Plug* plug);
  sim::Task write_split(std::shared_ptr<MasterIo> master, Plug* plug);
  sim::Task write_part(std::shared_ptr<MasterIo> io, Sector s, SectorCount n, uint64_t stamp_off,
                       Plug* plug);
  void complete_part(MasterIo& io, bool ok);
  bool rdev_blocked(Sector s, SectorCount n) const;
  sim::Task wait_blocked_rdev(Sector s, SectorCount n, Plug* plug);
  SectorCount badblock_cut(Sector s, SectorCount n) const;
  void end_write_request(R1Bio* r1, int member, bool behind, const disk::IoResult& res);
  void write_done(R1Bio* r1);
  void close_write(R1Bio* r1);
  sim::Task handle_write_finished(R1Bio* r1);
  // raid1_read.cc
  sim::Task read_request(std::unique_ptr<MasterIo> io);
  int read_balance(Sector s, SectorCount n, int exclude) const;
  void submit_read(R1Bio* r1);
  sim::Task handle_read_error(R1Bio* r1);
  sim::Task fix_read_error(R1Bio* r1);
  bool exceed_read_errors(int member);
  // raid1.cc
  sim::Task raid1d();
  // raid1_sync.cc
  sim::Task sync_io(Sector s, SectorCount n, SyncKind kind, uint64_t planned, bool& ok);
  int sync_source(Sector s, SectorCount n) const;
  sim::ValueTask<bool> sync_write(int t, Sector s, SectorCount n, const std::vector<uint64_t>& words,
                                  const std::vector<uint8_t>& unreadable);
  sim::ValueTask<bool> fix_sync_read_error(Sector s, SectorCount n, std::vector<uint64_t>& words,
                                           std::vector<uint8_t>& unreadable);
  // fix_sync_read_error's write-back of a good page to a mirror that failed
  // to read it; true when a bad block was recorded instead.
  sim::ValueTask<bool> write_back_page(int member, Sector at, uint64_t len, const std::vector<uint64_t>& words,
                                       uint64_t off);

  Mddev& md_;
  Barrier barrier_;
  std::deque<R1Bio*> retry_list_;      // read errors (raid1d)
  LiveSet<R1Bio> live_bios_;  // owns every r1bio in flight
  std::deque<R1Bio*> write_finished_;  // write errors (handle_write_finished)
  sim::WaitQueue raid1d_wq_;
  sim::WaitQueue behind_wq_;
  sim::WaitQueue blocked_wq_;
  uint64_t r1bios_ = 0;      // alive r1bios
  uint64_t behind_writes_ = 0;
  bool stop_ = false;
  bool daemon_exited_ = true;
  bool fullsync_ = false;
  bool raid1d_busy_ = false;
  Raid1_10Plugging plugging_;  // after raid1d_wq_ (it keeps a reference)
};

}  // namespace mdsim::md
