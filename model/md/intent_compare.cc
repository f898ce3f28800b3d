#include "model/md/intent_compare.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "faults/crash_state.h"
#include "model/disk/sector_store.h"
#include "model/md/array.h"
#include "model/md/consistency.h"
#include "model/md/raid_geometry.h"

namespace mdsim::md {

namespace {

struct Rig {
  std::unique_ptr<sim::Simulator> sim;
  std::vector<std::unique_ptr<disk::Disk>> disks;
  std::vector<disk::Disk*> ptrs() const {
    std::vector<disk::Disk*> v;
    for (const auto& d : disks) v.push_back(d.get());
    return v;
  }
};

disk::DiskConfig disk_config(const CompareOptions& o, uint64_t seed, int i) {
  disk::DiskConfig dc;
  dc.capacity = o.member_size + SectorCount(1ull << 15);  // room for data_offset
  dc.profile = o.profile;
  dc.seed = sim::mix64(seed * 131 + static_cast<uint64_t>(i));
  return dc;
}

ArrayConfig array_config(const CompareOptions& o, IntentType t) {
  ArrayConfig c;
  c.level = o.level;
  c.raid_disks = o.members();
  c.member_data_size = o.member_size;
  c.assume_clean = true;
  c.intent.type = t;
  c.fatal_intent_violation = false;
  return c;
}

// Closed loop: keep `depth` random writes outstanding, one per submission call.
std::vector<int64_t> run_burst(sim::Simulator& sim, Array& a, const CompareOptions& o,
                               uint32_t depth) {
  sim::Prng rng = sim.stream("compare.workload");
  const uint64_t bs = o.block_bytes / disk::kSectorBytes;
  const uint64_t slots = a.capacity().value() / bs;
  uint64_t submitted = 0, done = 0;
  std::vector<int64_t> lat;
  // fio serialize_overlap: never two writes to the same block in flight (md
  // leaves the mirrors' order of overlapping writes undefined).
  std::set<uint64_t> inflight;
  std::function<void()> submit_one = [&] {
    uint64_t slot = rng.below(slots);
    while (inflight.count(slot)) slot = rng.below(slots);
    inflight.insert(slot);
    UserIo io{UserOp::write, Sector(slot * bs), SectorCount(bs)};
    ++submitted;
    a.submit(io, [&, slot](const UserIo&, const UserResult& r) {
      inflight.erase(slot);
      lat.push_back((r.completed - r.submitted).count_ns());
      ++done;
      if (submitted < o.ios) submit_one();
    });
  };
  for (uint32_t i = 0; i < depth && submitted < o.ios; ++i) submit_one();
  while (done < o.ios) SIM_ASSERT(sim.step());
  return lat;
}

uint64_t meta_requests(const ArrayCounters& c) {
  return c.member_writes[static_cast<int>(disk::IoClass::intent)].requests +
         c.member_writes[static_cast<int>(disk::IoClass::superblock)].requests;
}
uint64_t meta_bytes(const ArrayCounters& c) {
  return c.member_writes[static_cast<int>(disk::IoClass::intent)].bytes +
         c.member_writes[static_cast<int>(disk::IoClass::superblock)].bytes;
}
uint64_t disk_flushes(const Rig& r) {
  uint64_t n = 0;
  for (const auto& d : r.disks) n += d->counters().flushes;
  return n;
}

// Sectors of r not inside the sorted, merged ranges `marked`.
uint64_t uncovered_in(const std::vector<SectorRange>& marked, SectorRange r) {
  if (covered_by(marked, r)) return 0;
  uint64_t covered = 0;
  for (const SectorRange& m : marked) {
    const uint64_t lo = std::max(m.start.value(), r.start.value());
    const uint64_t hi = std::min(m.end().value(), r.end().value());
    if (lo < hi) covered += hi - lo;
  }
  return r.count.value() - covered;
}

uint64_t total_sectors(const std::vector<SectorRange>& rs) {
  uint64_t n = 0;
  for (const SectorRange& r : rs) n += r.count.value();
  return n;
}

// Assemble from the media images, check coverage, resync, check convergence;
// both checks level-generic, in intent space (consistency.h).
CrashOutcome crash_and_resync(const CompareOptions& o, const std::vector<disk::DiskImage>& images,
                              const ArrayConfig& cfg, uint64_t seed) {
  CrashOutcome out;
  Rig r;
  r.sim = std::make_unique<sim::Simulator>(seed);
  for (size_t i = 0; i < images.size(); ++i)
    r.disks.push_back(std::make_unique<disk::Disk>(*r.sim, "disk" + std::to_string(i),
                                                   disk_config(o, seed, static_cast<int>(i)), images[i]));
  AssembleOptions ao;
  ao.runtime = cfg;
  Array::Assembled as = Array::assemble(*r.sim, r.ptrs(), ao);
  out.decision = assemble_decision_name(as.decision);
  if (!as.array) return out;
  Array& a = *as.array;
  // A full resync promises to cover everything; otherwise the loaded record must.
  const bool full = as.decision == AssembleDecision::full_resync;
  const std::vector<SectorRange> marked = a.intent().dirty_ranges();
  for (const SectorRange& bad : inconsistent_ranges(member_images(a, images))) {
    out.differing_sectors += bad.count.value();
    if (!full) out.uncovered_sectors += uncovered_in(marked, bad);
  }
  a.wait_sync_done();
  out.resync_sectors = a.counters().resync_sectors;
  std::vector<disk::DiskImage> now;
  for (const auto& d : r.disks) now.push_back(d->current_image());
  out.converged = total_sectors(inconsistent_ranges(member_images(a, now))) == 0;
  return out;
}

// Power loss where the even-numbered members keep every cached and in-flight
// write and the odd-numbered ones only their media: the widest divergence the
// crash model allows between mirrors (raid1, raid10 near-2 pairs) and between
// data and parity (raid5).
std::vector<disk::DiskImage> adversarial_crash(const Rig& r) {
  std::vector<const disk::Disk*> ds;
  for (const auto& d : r.disks) ds.push_back(d.get());
  const faults::CrashState st = faults::capture(ds);
  faults::CrashStateChoice choice(st.disks.size());
  for (size_t m = 0; m < st.disks.size(); m += 2) {
    const disk::Disk::CrashLayers& l = st.disks[m];
    for (uint32_t i = 0; i < l.cached.size(); ++i) choice[m].cached_kept.push_back(i);
    for (uint32_t i = 0; i < l.in_flight.size(); ++i) {
      faults::TornWrite tw{i, {}};
      const uint64_t blocks = l.in_flight[i]->count.value() / l.block_sectors;
      for (uint32_t b = 0; b < blocks; ++b) tw.blocks.push_back(b);
      if (!tw.blocks.empty()) choice[m].torn.push_back(std::move(tw));
    }
  }
  return faults::apply_crash(st, choice);
}

int64_t percentile(std::vector<int64_t> v, uint64_t pct) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>((v.size() - 1) * pct / 100);
  return v[i];
}

}  // namespace

bool CompareRow::properties_held() const {
  if (intent_violations != 0) return false;
  for (const CrashOutcome& c : crashes)
    if (c.uncovered_sectors != 0 || !c.converged) return false;
  return true;
}

CompareRow run_intent_comparison_row(const CompareOptions& o, IntentType type, uint32_t depth) {
  SIM_ASSERT(o.level == 1 || o.level == 10 || o.level == 5);
  SIM_ASSERT(o.members() >= (o.level == 5 ? 3 : 2));
  CompareRow row;
  row.level = o.level;
  row.type = type;
  row.iodepth = depth;
  // raid1 keeps the seed of the first (raid1-only) comparison.
  const uint64_t seed = sim::mix64(o.seed * 1000 + depth) ^ (o.level == 1 ? 0 : sim::mix64(o.level));
  Rig r;
  r.sim = std::make_unique<sim::Simulator>(seed);
  for (int i = 0; i < o.members(); ++i)
    r.disks.push_back(std::make_unique<disk::Disk>(*r.sim, "disk" + std::to_string(i), disk_config(o, seed, i)));
  const ArrayConfig cfg = array_config(o, type);
  std::unique_ptr<Array> a = Array::create(*r.sim, r.ptrs(), cfg);
  // Settle: an --assume-clean classic bitmap starts all set and is cleared
  // lazily (kernel-observations item 7); start the burst on a clean record.
  r.sim->run_until(r.sim->now() + sim::Duration::s(30));
  const ArrayCounters before = a->counters();
  const uint64_t flushes_before = disk_flushes(r);
  std::vector<int64_t> lat = run_burst(*r.sim, *a, o, depth);
  const sim::Instant end = r.sim->now();
  std::vector<std::pair<int64_t, std::vector<disk::DiskImage>>> images;
  for (int64_t t : o.crash_after_s) {
    r.sim->run_until(std::max(r.sim->now(), end + sim::Duration::s(t)));
    images.emplace_back(t, adversarial_crash(r));
  }
  const ArrayCounters& after = a->counters();
  row.user_writes = after.user_writes - before.user_writes;
  row.user_bytes = after.user_write_bytes - before.user_write_bytes;
  row.meta_writes = meta_requests(after) - meta_requests(before);
  row.meta_bytes = meta_bytes(after) - meta_bytes(before);
  row.intent_writes = after.member_writes[static_cast<int>(disk::IoClass::intent)].requests -
                      before.member_writes[static_cast<int>(disk::IoClass::intent)].requests;
  row.flushes = disk_flushes(r) - flushes_before;
  row.lat_p50_ns = percentile(lat, 50);
  row.lat_p99_ns = percentile(lat, 99);
  row.intent_violations = after.intent_violations;
  for (auto& [t, im] : images) {
    CrashOutcome c = crash_and_resync(o, im, cfg, seed + 7 + static_cast<uint64_t>(t));
    c.after_s = t;
    row.crashes.push_back(std::move(c));
  }
  return row;
}

std::vector<CompareRow> run_intent_comparison(const CompareOptions& o) {
  std::vector<CompareRow> rows;
  for (uint32_t d : o.iodepths)
    for (IntentType t : o.backends) rows.push_back(run_intent_comparison_row(o, t, d));
  return rows;
}

std::string format_comparison(const std::vector<CompareRow>& rows, const CompareOptions& o) {
  std::string s;
  char buf[512];
  const char* level = o.level == 1 ? "raid1" : o.level == 10 ? "raid10 near-2 (chunk 512 KiB)"
                                                              : "raid5 left-symmetric (chunk 512 KiB)";
  std::snprintf(buf, sizeof buf,
                "%s, %d x %s members of %llu MiB, %u B random writes over the whole array, "
                "%llu writes per burst, seed %llu\n\n",
                level, o.members(), o.profile == disk::Profile::nvme ? "nvme" : "other",
                static_cast<unsigned long long>(o.member_size.bytes() >> 20), o.block_bytes,
                static_cast<unsigned long long>(o.ios), static_cast<unsigned long long>(o.seed));
  s += buf;
  s += "| backend | iodepth | meta writes / user write | meta bytes / user byte | flushes | p50 lat us | p99 lat us |";
  for (int64_t t : o.crash_after_s) s += " resync sectors, crash +" + std::to_string(t) + " s |";
  s += " properties |\n|---|---|---|---|---|---|---|";
  for (size_t i = 0; i < o.crash_after_s.size(); ++i) s += "---|";
  s += "---|\n";
  for (const CompareRow& r : rows) {
    const double uw = r.user_writes ? static_cast<double>(r.user_writes) : 1.0;
    const double ub = r.user_bytes ? static_cast<double>(r.user_bytes) : 1.0;
    std::snprintf(buf, sizeof buf, "| %s | %u | %.4f | %.4f | %llu | %.1f | %.1f |", intent_type_name(r.type),
                  r.iodepth, static_cast<double>(r.meta_writes) / uw, static_cast<double>(r.meta_bytes) / ub,
                  static_cast<unsigned long long>(r.flushes), static_cast<double>(r.lat_p50_ns) / 1000.0,
                  static_cast<double>(r.lat_p99_ns) / 1000.0);
    s += buf;
    for (const CrashOutcome& c : r.crashes) s += " " + std::to_string(c.resync_sectors) + " |";
    s += r.properties_held() ? " held |\n" : " FAILED |\n";
  }
  s += "\nChecks per crash (intent-space sectors): differing = sectors where the redundancy "
       "disagrees after the crash (mirrors / copies differ, raid5 parity != XOR of data); "
       "uncovered = of those, not marked by the loaded intent record (none after a full resync); "
       "converged = nothing disagrees after the resync.\n\n";
  for (const CompareRow& r : rows)
    for (const CrashOutcome& c : r.crashes) {
      std::snprintf(buf, sizeof buf, "- %s iodepth %u crash +%llds: %s, differing %llu, uncovered %llu, %s\n",
                    intent_type_name(r.type), r.iodepth, static_cast<long long>(c.after_s), c.decision.c_str(),
                    static_cast<unsigned long long>(c.differing_sectors),
                    static_cast<unsigned long long>(c.uncovered_sectors),
                    c.converged ? "converged" : "NOT converged");
      s += buf;
    }
  return s;
}

}  // namespace mdsim::md
