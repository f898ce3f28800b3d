// One simulated world for the harness: a Simulator, the member disks and the md
// Array on them, built fresh (mdadm --create) or assembled from post-crash
// images only (mdadm --assemble). Shared by the ops runner and the explorer.
//
// Invariants: a world assembled from images never sees the previous world's
// memory; destruction order is array, disks, simulator.
#pragma once

#include <memory>
#include <vector>

#include "faults/checks.h"
#include "faults/ops.h"
#include "model/disk/disk.h"
#include "model/disk/sector_store.h"
#include "model/md/array.h"
#include "sim/simulator.h"

namespace mdsim::faults {

struct World {
  std::unique_ptr<sim::Simulator> sim;
  std::vector<std::unique_ptr<disk::Disk>> disks;
  std::unique_ptr<md::Array> array;  // null when assembly was refused
  md::AssembleDecision decision = md::AssembleDecision::nothing;
  std::vector<disk::Disk*> disk_ptrs() const;
  std::vector<const disk::Disk*> const_disk_ptrs() const;
  World() = default;
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  ~World();
};

md::ArrayConfig array_config(const OpsSetup& s);
disk::DiskConfig disk_config(const OpsSetup& s, int index, uint64_t world_index);
std::unique_ptr<World> create_world(const OpsSetup& s, uint64_t world_index, bool record_trace);
std::unique_ptr<World> assemble_world(const OpsSetup& s, uint64_t world_index,
                                      const std::vector<disk::DiskImage>& images,
                                      bool record_trace);

// Members the array trusts for data (in sync, not faulty, in a slot).
std::vector<bool> trusted_members(const md::Array& a);
// What the assembled array will resync: the loaded intent's dirty ranges, or
// everything on a full resync.
RangeSet will_resync(const md::Array& a, md::AssembleDecision decision);
// Chunk size for reports (the backend's, or 64 KiB when it has none).
SectorCount report_chunk(const md::Array* a);

// The crash state as the checks see it: post-crash images and trusted members.
class ImageView : public ArrayView {
 public:
  // `assembled` (optional): the array assembled from these images; its loaded
  // bad-block lists say which sectors md will never read on a member.
  ImageView(const std::vector<disk::DiskImage>& images, Sector data_offset, std::vector<bool> in_sync,
            const md::Array* assembled = nullptr)
      : images_(images), data_offset_(data_offset), in_sync_(std::move(in_sync)), array_(assembled) {}
  int members() const override { return static_cast<int>(images_.size()); }
  bool member_in_sync(int m) const override { return in_sync_[m]; }
  uint64_t data_word(int m, Sector s) const override {
    return images_[m].word(data_offset_ + SectorCount(s.value()));
  }
  bool member_has_sector(int m, Sector s) const override;

 private:
  const std::vector<disk::DiskImage>& images_;
  Sector data_offset_;
  std::vector<bool> in_sync_;
  const md::Array* array_;
};

// A live array's members (after resync), read without IO.
class LiveView : public ArrayView {
 public:
  LiveView(const std::vector<std::unique_ptr<disk::Disk>>& disks, const md::Array& a)
      : disks_(disks), array_(a), data_offset_(a.data_offset()), in_sync_(trusted_members(a)) {}
  int members() const override { return static_cast<int>(disks_.size()); }
  bool member_in_sync(int m) const override { return in_sync_[m]; }
  uint64_t data_word(int m, Sector s) const override {
    return disks_[m]->current_word(data_offset_ + SectorCount(s.value()));
  }
  bool member_has_sector(int m, Sector s) const override;

 private:
  const std::vector<std::unique_ptr<disk::Disk>>& disks_;
  const md::Array& array_;
  Sector data_offset_;
  std::vector<bool> in_sync_;
};

}  // namespace mdsim::faults
