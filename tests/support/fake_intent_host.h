// FakeIntentHost: an IntentHost with in-memory member metadata areas, for
// testing intent backends without the md core. Metadata writes complete after
// a fixed latency and are durable on completion (PREFLUSH|FUA); a write still
// in flight at a crash is lost. Every write is logged (member requests).
#pragma once

#include <array>
#include <map>
#include <vector>

#include "model/md/intent_backend.h"

namespace mdsim::md::testing {

struct MetaLogEntry {
  sim::Instant at;           // completion time
  uint64_t offset_sectors;   // into the intent area
  uint64_t sectors;
  std::vector<uint8_t> bytes;
};

class FakeIntentHost final : public IntentHost {
 public:
  FakeIntentHost(sim::Simulator& sim, int members, SectorCount sync_size,
                 SectorCount area_sectors = SectorCount(256), uint32_t lbs = 512);

  // A post-crash host: same media (completed writes only), new simulator.
  FakeIntentHost(sim::Simulator& sim, const FakeIntentHost& crashed);

  sim::Simulator& sim() override { return sim_; }
  int level() const override { return level_; }
  SectorCount sync_size() const override { return sync_size_; }
  uint64_t events() const override { return events_; }
  bool degraded() const override { return degraded_; }
  const std::array<uint8_t, 16>& uuid() const override { return uuid_; }
  uint32_t logical_block_bytes() const override { return lbs_; }
  Sector intent_area_start() const override { return Sector(8); }
  SectorCount intent_area_sectors() const override { return area_; }
  std::vector<int> metadata_write_targets() const override;
  std::vector<int> metadata_read_sources() const override;
  disk::Disk& member_disk(int member) override;
  sim::Task write_metadata(SectorCount offset, std::vector<uint8_t> bytes,
                           disk::IoClass cls) override;
  sim::ValueTask<disk::IoResult> read_metadata(int member, SectorCount offset,
                                               SectorCount count) override;
  void request_resync() override { ++resync_requests_; }

  // --- test controls ---
  void set_level(int l) { level_ = l; }
  void bump_events() { ++events_; }
  void set_degraded(bool d) { degraded_ = d; }
  void set_member_present(int m, bool present) { present_.at(m) = present; }
  void set_member_in_sync(int m, bool in_sync) { in_sync_.at(m) = in_sync; }
  void set_latency(sim::Duration d) { latency_ = d; }

  // --- observation ---
  const std::vector<MetaLogEntry>& log() const { return log_; }   // one per write_metadata
  uint64_t member_writes() const { return member_writes_; }        // summed over members
  uint64_t member_write_bytes() const { return member_write_bytes_; }
  int resync_requests() const { return resync_requests_; }
  std::vector<uint8_t> media(int member, uint64_t offset_sectors, uint64_t sectors) const;
  // Corrupt a byte of a member's area (invalid-state tests).
  void poke(int member, uint64_t byte_offset, uint8_t value);

 private:
  using Sectors = std::map<uint64_t, std::array<uint8_t, 512>>;
  sim::Simulator& sim_;
  int members_;
  SectorCount sync_size_;
  SectorCount area_;
  uint32_t lbs_;
  int level_ = 1;
  uint64_t events_ = 10;
  bool degraded_ = false;
  std::array<uint8_t, 16> uuid_{};
  std::vector<bool> present_;
  std::vector<bool> in_sync_;
  std::vector<Sectors> media_;
  sim::Duration latency_ = sim::Duration::us(30);
  std::vector<MetaLogEntry> log_;
  uint64_t member_writes_ = 0;
  uint64_t member_write_bytes_ = 0;
  int resync_requests_ = 0;
};

// Runs `t` to completion on the simulator (and everything it spawned).
void run_task(sim::Simulator& sim, sim::Task t);

}  // namespace mdsim::md::testing
