#include "faults/world.h"

#include "model/md/md_array.h"

namespace mdsim::faults {

namespace {

constexpr uint64_t kHeadroomSectors = 1ull << 17;  // 64 MiB for metadata before the data

disk::Profile profile_of(const std::string& name) {
  if (name == "ramdisk") return disk::Profile::ramdisk;
  if (name == "sata_ssd") return disk::Profile::sata_ssd;
  if (name == "hdd") return disk::Profile::hdd;
  return disk::Profile::nvme;
}

}  // namespace

World::~World() {
  array.reset();  // the engine references the disks and the simulator
  disks.clear();
}

std::vector<disk::Disk*> World::disk_ptrs() const {
  std::vector<disk::Disk*> out;
  for (const auto& d : disks) out.push_back(d.get());
  return out;
}

std::vector<const disk::Disk*> World::const_disk_ptrs() const {
  std::vector<const disk::Disk*> out;
  for (const auto& d : disks) out.push_back(d.get());
  return out;
}

disk::DiskConfig disk_config(const OpsSetup& s, int index, uint64_t world_index) {
  disk::DiskConfig c;
  c.capacity = SectorCount(s.size_bytes / disk::kSectorBytes + kHeadroomSectors);
  c.profile = profile_of(s.disk_profile);
  c.cache = s.write_cache_volatile ? disk::CacheMode::volatile_cache
                                   : disk::CacheMode::write_through;
  c.seed = sim::mix64(s.seed * 1315423911ull + static_cast<uint64_t>(index) + (world_index << 8));
  return c;
}

md::ArrayConfig array_config(const OpsSetup& s) {
  md::ArrayConfig c;
  c.level = s.level;
  c.raid_disks = s.disks;
  c.member_data_size = SectorCount(s.size_bytes / disk::kSectorBytes);
  c.chunk_sectors = static_cast<uint32_t>(s.raid_chunk_sectors);
  c.layout = s.raid_layout;
  c.intent = s.intent;
  c.assume_clean = s.assume_clean;
  c.check_intent_before_data = true;
  c.fatal_intent_violation = false;  // the harness reports it with context
  c.mutants = s.mutants;
  return c;
}

std::unique_ptr<World> create_world(const OpsSetup& s, uint64_t world_index, bool record_trace) {
  auto w = std::make_unique<World>();
  w->sim = std::make_unique<sim::Simulator>(sim::mix64(s.seed + world_index));
  w->sim->trace().set_recording(record_trace);
  for (int i = 0; i < s.disks; ++i)
    w->disks.push_back(std::make_unique<disk::Disk>(*w->sim, "disk" + std::to_string(i),
                                                    disk_config(s, i, world_index)));
  w->array = md::Array::create(*w->sim, w->disk_ptrs(), array_config(s));
  return w;
}

std::unique_ptr<World> assemble_world(const OpsSetup& s, uint64_t world_index,
                                      const std::vector<disk::DiskImage>& images,
                                      bool record_trace) {
  SIM_ASSERT(images.size() == static_cast<size_t>(s.disks));
  auto w = std::make_unique<World>();
  w->sim = std::make_unique<sim::Simulator>(sim::mix64(s.seed + world_index));
  w->sim->trace().set_recording(record_trace);
  for (int i = 0; i < s.disks; ++i)
    w->disks.push_back(std::make_unique<disk::Disk>(*w->sim, "disk" + std::to_string(i),
                                                    disk_config(s, i, world_index), images[i]));
  md::AssembleOptions ao;
  ao.runtime = array_config(s);
  auto assembled = md::Array::assemble(*w->sim, w->disk_ptrs(), ao);
  w->array = std::move(assembled.array);
  w->decision = assembled.decision;
  w->decision_detail = assembled.detail;
  return w;
}

std::vector<bool> trusted_members(const md::Array& a) {
  std::vector<bool> out;
  for (const auto& m : a.members()) out.push_back(m.in_sync && !m.faulty && m.raid_disk >= 0);
  return out;
}

RangeSet will_resync(const md::Array& a, md::AssembleDecision decision) {
  RangeSet rs(a.intent().dirty_ranges());
  // Intent space ends at the level's intent_sectors (raid5: dev sectors).
  const SectorCount end = SectorCount(const_cast<md::Array&>(a).core().geo_.intent_sectors());
  if (decision == md::AssembleDecision::full_resync) rs.add({Sector(0), end});
  // Unclean with no intent record while a member recovers: md_check_recovery
  // runs the recovery first, then the owed resync from recovery_cp.
  const Sector from = a.resync_offset();
  if (decision == md::AssembleDecision::recovery && !a.intent().enabled() && from < Sector(0) + end)
    rs.add({from, end - (from - Sector(0))});
  return rs;
}

md::SlotMap trusted_slots(md::Array& a) {
  const std::vector<bool> trusted = trusted_members(a);
  return md::slot_map(a, &trusted);
}

std::unique_ptr<LiveImages> live_images(md::Array& a, const std::vector<std::unique_ptr<disk::Disk>>& disks) {
  auto out = std::make_unique<LiveImages>();
  for (const auto& d : disks) out->images.push_back(d->current_image());
  out->view = md::images_of(trusted_slots(a), out->images);
  return out;
}

SectorCount report_chunk(const md::Array* a) {
  if (a && a->intent().chunk_sectors().value() > 0) return a->intent().chunk_sectors();
  return SectorCount(128);
}

}  // namespace mdsim::faults
