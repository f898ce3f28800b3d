// The `none` intent backend (7.1's none bitmap_operations): nothing is
// tracked. Data bios are submitted without plugging (enabled() is false), an
// unclean shutdown means a full resync (resync_offset 0 in the superblock),
// and a re-added member always gets a full recovery.
#pragma once

#include "model/md/intent_backend.h"

namespace mdsim::md {

class IntentNone final : public IntentBackend {
 public:
  explicit IntentNone(IntentHost& host) : host_(host) {}
  std::string_view name() const override { return "none"; }
  bool enabled() const override { return false; }
  sim::Task create(bool) override { co_return; }
  sim::Task load(Sector) override { co_return; }
  sim::Task flush() override { co_return; }
  sim::Task update_sb() override { co_return; }
  sim::Task start_write(Sector, SectorCount) override { co_return; }
  bool try_start_write(Sector, SectorCount) override { return true; }
  void end_write(Sector, SectorCount) override {}
  sim::Task start_discard(Sector, SectorCount) override { co_return; }
  void end_discard(Sector, SectorCount) override {}
  sim::Task unplug() override { co_return; }
  bool try_unplug() override { return true; }
  sim::Duration daemon_sleep() const override { return sim::Duration::zero(); }
  sim::Task daemon_work() override { co_return; }
  // md_bitmap_start_sync without a bitmap: "sync everything", 1024 at a time.
  SyncAnswer start_sync(Sector, bool) override { return {true, SectorCount(1024)}; }
  void end_sync(Sector, bool) override {}
  void close_sync() override {}
  sim::Task cond_end_sync(Sector, bool) override { co_return; }
  SyncAnswer skip_sync_blocks(Sector) override { return {false, SectorCount(0)}; }
  bool needs_sync() const override { return false; }
  bool can_partial_readd(uint64_t) const override { return false; }
  bool media_covers(int, Sector, SectorCount) const override { return true; }
  std::vector<SectorRange> dirty_ranges() const override { return {}; }
  SectorCount chunk_sectors() const override { return SectorCount(0); }
  std::string describe_media(int, Sector) const override { return "none: nothing tracked"; }

 private:
  IntentHost& host_;
};

}  // namespace mdsim::md
