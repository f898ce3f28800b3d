#include "tests/support/md_rig.h"

#include "sim/assert.h"

namespace mdsim::testing {

namespace {
disk::DiskConfig with_seed(disk::DiskConfig dc, uint64_t seed, size_t i) {
  dc.seed = sim::mix64(seed * 131 + i);
  return dc;
}
}  // namespace

MdRig::MdRig(uint64_t seed, md::ArrayConfig cfg, disk::DiskConfig dc)
    : sim(std::make_unique<sim::Simulator>(seed)), disk_config(dc), config(cfg) {
  for (int i = 0; i < cfg.raid_disks; ++i)
    disks.push_back(std::make_unique<disk::Disk>(*sim, "disk" + std::to_string(i),
                                                 with_seed(dc, seed, i)));
  array = md::Array::create(*sim, disk_ptrs(), cfg);
}

MdRig::MdRig(uint64_t seed, const std::vector<disk::DiskImage>& images, disk::DiskConfig dc,
             md::AssembleOptions opts, md::Array::Assembled* out)
    : sim(std::make_unique<sim::Simulator>(seed)), disk_config(dc), config(opts.runtime) {
  for (size_t i = 0; i < images.size(); ++i)
    disks.push_back(std::make_unique<disk::Disk>(*sim, "disk" + std::to_string(i),
                                                 with_seed(dc, seed, i), images[i]));
  md::Array::Assembled a = md::Array::assemble(*sim, disk_ptrs(), opts);
  array = std::move(a.array);
  if (out) {
    out->decision = a.decision;
    out->detail = a.detail;
  }
}

std::vector<disk::Disk*> MdRig::disk_ptrs() {
  std::vector<disk::Disk*> v;
  for (auto& d : disks) v.push_back(d.get());
  return v;
}

md::UserResult MdRig::io(md::UserIo io) {
  bool done = false;
  md::UserResult res;
  array->submit(io, [&](const md::UserIo&, const md::UserResult& r) {
    res = r;
    done = true;
  });
  uint64_t steps = 0;
  while (!done) {
    SIM_ASSERT(sim->step());
    SIM_ASSERT(++steps < 100'000'000);
  }
  return res;
}

md::UserResult MdRig::write(uint64_t sector, uint64_t count) {
  return io({md::UserOp::write, disk::Sector(sector), disk::SectorCount(count)});
}

md::UserResult MdRig::read(uint64_t sector, uint64_t count) {
  return io({md::UserOp::read, disk::Sector(sector), disk::SectorCount(count)});
}

MdRig::ErroredWrite MdRig::write_over_write_error(int member, uint64_t dev_sector, uint64_t array_sector,
                                                 uint64_t count) {
  const uint64_t off = array->data_offset().value();
  disks.at(member)->add_write_error_range({disk::Sector(off + dev_sector), disk::SectorCount(count)});
  ErroredWrite out;
  array->set_member_io_hook([&out, member, this](int m, const disk::IoRequest& r) {
    if (m == member && r.io_class == disk::IoClass::badblocks && out.badblocks_written_ns < 0)
      out.badblocks_written_ns = now().ns();
  });
  out.result = write(array_sector, count);
  array->set_member_io_hook(nullptr);
  return out;
}

std::vector<disk::DiskImage> MdRig::crash_media() const {
  std::vector<disk::DiskImage> out;
  for (const auto& d : disks) out.push_back(d->capture().media);
  return out;
}

uint64_t MdRig::mirror_diff(int m, uint64_t sectors) const {
  const uint64_t off = array->data_offset().value();
  uint64_t diff = 0;
  for (uint64_t s = 0; s < sectors; ++s)
    if (disks[0]->current_word(disk::Sector(off + s)) != disks[m]->current_word(disk::Sector(off + s)))
      ++diff;
  return diff;
}

}  // namespace mdsim::testing
