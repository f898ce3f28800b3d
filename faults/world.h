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
  std::string decision_detail;       // why, when refused
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

// Where the members the array trusts sit (slot -> member), for building
// md::MemberImages over crash images (md::images_of) after the array is gone.
md::SlotMap trusted_slots(md::Array& a);

// A live array's members as they read now (after resync), without IO: the
// disks' current images (O(1) shared copies) in the trusted slots, with the
// recorded bad blocks left out (md never reads data there). The view points
// into this object: keep it alive while the view is used.
struct LiveImages {
  std::vector<disk::DiskImage> images;
  md::MemberImages view;
};
std::unique_ptr<LiveImages> live_images(md::Array& a, const std::vector<std::unique_ptr<disk::Disk>>& disks);

}  // namespace mdsim::faults
