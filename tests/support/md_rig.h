// Test rig for md scenarios: a Simulator, N modeled disks and an Array, with
// helpers to write/read synchronously, let time pass, crash (media only) and
// reassemble on a fresh simulator from the post-crash media.
#pragma once

#include <memory>
#include <vector>

#include "model/disk/disk.h"
#include "model/md/array.h"
#include "sim/simulator.h"

namespace mdsim::testing {

struct MdRig {
  std::unique_ptr<sim::Simulator> sim;
  std::vector<std::unique_ptr<disk::Disk>> disks;
  std::unique_ptr<md::Array> array;
  disk::DiskConfig disk_config;
  md::ArrayConfig config;

  // Creates the disks and the array (mdadm --create).
  MdRig(uint64_t seed, md::ArrayConfig config, disk::DiskConfig dc = {});
  // Post-crash rig: fresh simulator, disks built from the images, assembled.
  MdRig(uint64_t seed, const std::vector<disk::DiskImage>& images, disk::DiskConfig dc,
        md::AssembleOptions opts, md::Array::Assembled* out);

  std::vector<disk::Disk*> disk_ptrs();
  sim::Instant now() const { return sim->now(); }
  void run_for(sim::Duration d) { sim->run_until(sim->now() + d); }

  // Submits one IO and steps until it completes. Returns the result.
  md::UserResult io(md::UserIo io);
  md::UserResult write(uint64_t sector, uint64_t count);
  md::UserResult read(uint64_t sector, uint64_t count);
  // The media images of every disk now (power loss: the cache is dropped).
  std::vector<disk::DiskImage> crash_media() const;
  // Compare member data areas over [0, sync_size) sector by sector (current
  // contents). Returns the number of differing sectors between member 0 and m.
  uint64_t mirror_diff(int m, uint64_t sectors) const;
  // A write over a persistent write error on `member` (member data sectors
  // [dev_sector, dev_sector + count)): returns the write's result and when
  // that member's bad-block log write was submitted (-1: never).
  struct ErroredWrite {
    md::UserResult result;
    int64_t badblocks_written_ns = -1;
  };
  ErroredWrite write_over_write_error(int member, uint64_t dev_sector, uint64_t array_sector,
                                      uint64_t count);
};

}  // namespace mdsim::testing
