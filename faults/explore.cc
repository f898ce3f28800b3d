#include "faults/explore.h"

#include <algorithm>
#include <map>
#include <set>

#include "faults/crash_state.h"
#include "faults/intent_window.h"
#include "faults/world.h"

namespace mdsim::faults {

namespace {

// What an assembly from one metadata outcome tells the checks.
struct AssemblyFacts {
  bool refused = false;
  RangeSet will_resync;
  RangeSet copies_mark;  // chunks some member's llbitmap copy marks (F31)
  md::SlotMap trusted;  // where the members the assembled array trusts sit
  SectorCount chunk;
};

// The layout the live array writes with: geometry and member -> slot (every
// member with a role, faulty or not: its writes may still be on media).
struct LiveLayout {
  md::RaidGeometry geo;
  Sector data_offset;
  std::vector<int> slot_of_member;
};

LiveLayout live_layout(md::Array& a) {
  LiveLayout l;
  const md::SlotMap all = md::slot_map(a);
  l.geo = all.geo;
  l.data_offset = all.data_offset;
  for (const md::MemberState& m : a.members()) l.slot_of_member.push_back(m.raid_disk);
  return l;
}

bool is_data(const Disk::PendingWrite& w) {
  return w.io_class == disk::IoClass::data || w.io_class == disk::IoClass::resync;
}

// Key of the metadata writes a choice keeps: assembly depends on nothing else.
std::vector<uint64_t> metadata_key(const CrashState& st, const CrashStateChoice& c) {
  std::vector<uint64_t> key;
  for (size_t d = 0; d < c.size(); ++d) {
    for (uint32_t i : c[d].cached_kept)
      if (!is_data(*st.disks[d].cached[i])) key.push_back((d << 56) | (uint64_t{1} << 55) | i);
    for (const TornWrite& t : c[d].torn) {
      if (is_data(*st.disks[d].in_flight[t.write_index])) continue;
      key.push_back((d << 56) | t.write_index);
      for (uint32_t b : t.blocks) key.push_back(b);
    }
  }
  return key;
}

// Intent-space sectors the choice's kept data writes touch.
void touched_intent_sectors(const CrashState& st, const CrashStateChoice& c, const LiveLayout& l,
                            std::vector<Sector>& out) {
  auto add = [&](size_t d, const Disk::PendingWrite& w, uint64_t first, uint64_t n) {
    const int slot = d < l.slot_of_member.size() ? l.slot_of_member[d] : -1;
    if (slot < 0 || slot >= l.geo.raid_disks) return;
    for (uint64_t k = first; k < first + n; ++k) {
      const uint64_t s = w.sector.value() + k;
      if (s < l.data_offset.value()) continue;
      const uint64_t i = md::intent_sector_of_dev(l.geo, slot, s - l.data_offset.value());
      if (i != md::kNoSector) out.push_back(Sector(i));
    }
  };
  for (size_t d = 0; d < c.size(); ++d) {
    const auto& ly = st.disks[d];
    for (uint32_t i : c[d].cached_kept) add(d, *ly.cached[i], 0, ly.cached[i]->count.value());
    for (const TornWrite& t : c[d].torn)
      for (uint32_t b : t.blocks)
        add(d, *ly.in_flight[t.write_index], uint64_t{b} * ly.block_sectors, ly.block_sectors);
  }
}

// Intent-space sectors where the captured media already disagree (judged over
// every slot: a superset of what any assembly's trusted slots can disagree on).
std::vector<Sector> media_differences(const CrashState& st, const LiveLayout& l) {
  std::vector<disk::DiskImage> media;
  for (const auto& ly : st.disks) media.push_back(ly.media);  // O(1) shared copies
  md::SlotMap map;
  map.geo = l.geo;
  map.data_offset = l.data_offset;
  map.member_of_slot.assign(l.geo.raid_disks, -1);
  for (size_t d = 0; d < l.slot_of_member.size(); ++d)
    if (l.slot_of_member[d] >= 0 && l.slot_of_member[d] < l.geo.raid_disks) map.member_of_slot[l.slot_of_member[d]] = d;
  const md::MemberImages m = md::images_of(map, media);
  std::vector<Sector> out;
  for (const disk::SectorRange& r : md::inconsistent_ranges(m))
    for (uint64_t i = r.start.value(); i < r.end().value(); ++i) out.push_back(Sector(i));
  return out;
}

class Explorer {
 public:
  Explorer(const OpsSetup& setup, const ExploreConfig& cfg, ExploreSummary& sum)
      : setup_(setup), cfg_(cfg), sum_(sum) {}

  void at_point(OpsRunner& run, uint64_t event);

 private:
  void check_choice(OpsRunner& run, const CrashState& st, const CrashStateChoice& c,
                    const std::vector<Sector>& base_diff, uint64_t event);
  const AssemblyFacts& facts_for(const CrashState& st, const CrashStateChoice& c,
                                 const std::vector<DiskImage>& images);
  void deep_state(OpsRunner& run, const CrashState& st, std::vector<DiskImage> images, uint64_t event);
  void record_failure(const CheckResult& r, const Oracle& oracle, const md::Array* a,
                      uint64_t event, const std::string& where);
  bool stop() const { return cfg_.stop_at_first_failure && sum_.failures > 0; }
  std::vector<CrashStateChoice> choices(const CrashState& st, uint64_t event) const;

  const OpsSetup& setup_;
  const ExploreConfig& cfg_;
  ExploreSummary& sum_;
  std::map<std::vector<uint64_t>, AssemblyFacts> memo_;
  LiveLayout layout_;  // of the live array at the current crash point
  uint64_t world_index_ = 1'000'000;  // distinct simulator seeds for explorer worlds
  uint64_t states_since_deep_ = 0;
};

std::vector<CrashStateChoice> Explorer::choices(const CrashState& st, uint64_t event) const {
  std::vector<CrashStateChoice> out;
  std::set<std::vector<uint64_t>> seen;  // dedupe across modes by content
  auto take = [&](CrashChoiceEnumerator e) {
    CrashStateChoice c;
    while (out.size() < cfg_.choices_per_point_max && e.next(c)) {
      std::vector<uint64_t> key;
      for (size_t d = 0; d < c.size(); ++d) {
        key.push_back(~uint64_t{0} - d);
        for (uint32_t i : c[d].cached_kept) key.push_back(i);
        for (const TornWrite& t : c[d].torn) {
          key.push_back((uint64_t{1} << 40) | t.write_index);
          for (uint32_t b : t.blocks) key.push_back(b);
        }
      }
      if (seen.insert(std::move(key)).second) out.push_back(c);
    }
  };
  take(CrashChoiceEnumerator::all_subsets(st, cfg_.subset_kept_max));
  if (cfg_.prefixes) take(CrashChoiceEnumerator::completion_prefixes(st));
  if (cfg_.random_samples)
    take(CrashChoiceEnumerator::random(st, sim::mix64(cfg_.seed ^ event), cfg_.random_samples));
  return out;
}

void Explorer::at_point(OpsRunner& run, uint64_t event) {
  md::Array* a = run.array();
  if (!a || stop()) return;
  ++sum_.crash_points;
  std::vector<const Disk*> disks;
  for (const auto& d : run.disks()) disks.push_back(d.get());
  const CrashState st = capture(disks);
  memo_.clear();
  layout_ = live_layout(*a);
  const auto base_diff = media_differences(st, layout_);
  for (const CrashStateChoice& c : choices(st, event)) {
    if (stop()) return;
    check_choice(run, st, c, base_diff, event);
  }
}

const AssemblyFacts& Explorer::facts_for(const CrashState& st, const CrashStateChoice& c,
                                         const std::vector<DiskImage>& images) {
  auto key = metadata_key(st, c);
  auto it = memo_.find(key);
  if (it != memo_.end()) return it->second;
  ++sum_.assemblies;
  auto w = assemble_world(setup_, world_index_++, images, false);
  AssemblyFacts f;
  if (!w->array) {
    f.refused = true;
  } else {
    f.will_resync = will_resync(*w->array, w->decision);
    f.trusted = trusted_slots(*w->array);
    f.chunk = report_chunk(w->array.get());
    f.copies_mark = llbitmap_copies_mark(*w->array, images, dropped_intent_writes(st, c));
  }
  return memo_.emplace(std::move(key), std::move(f)).first->second;
}

void Explorer::check_choice(OpsRunner& run, const CrashState& st, const CrashStateChoice& c,
                            const std::vector<Sector>& base_diff, uint64_t event) {
  std::vector<DiskImage> images = faults::apply_crash(st, c);
  const AssemblyFacts& f = facts_for(st, c, images);
  ++sum_.states;
  if (f.refused) {
    ++sum_.refused;
    return;
  }
  std::vector<Sector> cand = base_diff;
  touched_intent_sectors(st, c, layout_, cand);
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  const md::MemberImages view = md::images_of(f.trusted, images);
  const Efficiency e = measure_efficiency(view, cand, f.will_resync, f.chunk);
  sum_.efficiency.resync_sectors += e.resync_sectors;
  sum_.efficiency.inconsistent_sectors += e.inconsistent_sectors;
  sum_.efficiency.inconsistent_chunks += e.inconsistent_chunks;
  const auto specified = specified_intent(view.geo, run.oracle(), cand);
  bool window = false;  // llbitmap's one-copy window, a real md window (F31)
  if (auto r = check_coverage(view, specified, f.will_resync, f.chunk); !r.held) {
    if (!only_one_copy_window(f.copies_mark, view, specified, f.will_resync, f.chunk))
      return record_failure(r, run.oracle(), nullptr, event, "crash state");
    window = true;
    ++sum_.one_copy_window;
  }
  // Durability at the array sectors the candidates judge (what could change).
  std::vector<uint64_t> arr;
  for (Sector i : cand) md::array_sectors_of(view.geo, i.value(), arr);
  std::sort(arr.begin(), arr.end());
  std::vector<Sector> arr_sectors;
  for (uint64_t x : arr)
    if (x < view.geo.array_sectors()) arr_sectors.push_back(Sector(x));
  if (auto r = check_durability(view, run.oracle(), f.chunk, arr_sectors); !r.held)
    return record_failure(r, run.oracle(), nullptr, event, "crash state");
  if (window) return;  // md leaves the chunk unsynced: no convergence to check
  if (cfg_.deep_every && ++states_since_deep_ >= cfg_.deep_every) {
    states_since_deep_ = 0;
    deep_state(run, st, std::move(images), event);
  }
}

// Settles a world: user IO done and no sync running or needed, within limits.
bool settle(World& w, uint64_t event_limit) {
  for (uint64_t n = 0; n < event_limit; ++n) {
    if (w.array->idle()) return true;
    if (!w.sim->step()) return w.array->idle();
  }
  return false;
}

// A resync checkpoint superblock (PREFLUSH|FUA per member) that reached some
// members only: super_1_validate lets a member one event behind assemble as
// current, the array resumes at the freshest checkpoint, and a sync write
// below it may be lost from a member whose flush never ran. md leaves those
// copies differing too, so convergence is not promised for such a state
// (docs/verification.md, L3).
bool split_checkpoint(const md::Array& a) {
  const Sector cp = a.resync_offset();
  if (cp == Sector(0) || cp == Sector::max()) return false;
  for (const md::MemberState& m : a.members())
    if (m.raid_disk >= 0 && m.sb_events < a.events()) return true;
  return false;
}

void Explorer::deep_state(OpsRunner& run, const CrashState& st, std::vector<DiskImage> images,
                          uint64_t event) {
  (void)st;
  ++sum_.deep_states;
  ++sum_.assemblies;
  auto w = assemble_world(setup_, world_index_++, images, false);
  if (!w->array || !w->array->assembly_conflict().empty()) return;  // F25: md's own window
  const bool double_crash = cfg_.double_crash_every && sum_.deep_states % cfg_.double_crash_every == 0;
  bool checkpoint_split = false;
  if (double_crash) {
    // Let the resync run part-way, then lose power again.
    sim::Prng rng(sim::mix64(cfg_.seed ^ (event << 1)));
    const uint64_t steps = 1 + rng.below(200);
    for (uint64_t n = 0; n < steps && !w->array->idle(); ++n)
      if (!w->sim->step()) break;
    ++sum_.double_crashes;
    const CrashState st2 = capture(w->const_disk_ptrs());
    CrashStateChoice c;
    auto chooser = CrashChoiceEnumerator::random(st2, rng.next_u64(), 1);
    if (!chooser.next(c)) return;
    auto images2 = faults::apply_crash(st2, c);
    w.reset();
    ++sum_.assemblies;
    w = assemble_world(setup_, world_index_++, images2, false);
    if (!w->array || !w->array->assembly_conflict().empty()) return;
    checkpoint_split = split_checkpoint(*w->array);
    const md::MemberImages view = md::images_of(trusted_slots(*w->array), images2);
    const auto cand = intent_candidates(view.geo, run.oracle(), run.oracle().written_sectors(), true);
    const SectorCount cs = report_chunk(w->array.get());
    const RangeSet resync = will_resync(*w->array, w->decision);
    if (auto r = check_coverage(view, cand, resync, cs); !r.held) {
      if (!only_one_copy_window(llbitmap_copies_mark(*w->array, images2, dropped_intent_writes(st2, c)), view,
                                cand, resync, cs))
        return record_failure(r, run.oracle(), w->array.get(), event, "double crash during resync");
      ++sum_.one_copy_window;  // F31: md leaves the chunk unsynced
      return;
    }
  }
  if (!settle(*w, 5'000'000)) {
    CheckResult r{"liveness", false, "liveness violated: post-crash resync did not finish", {}, 0};
    return record_failure(r, run.oracle(), w->array.get(), event, "deep state");
  }
  if (checkpoint_split) {
    ++sum_.split_checkpoints;
    return;
  }
  const auto live = live_images(*w->array, w->disks);
  const auto cand = run.oracle().written_sectors();
  if (auto r = check_convergence(live->view, cand, run.oracle(), report_chunk(w->array.get())); !r.held)
    return record_failure(r, run.oracle(), w->array.get(), event, "deep state");
}

void Explorer::record_failure(const CheckResult& r, const Oracle& oracle, const md::Array* a,
                              uint64_t event, const std::string& where) {
  (void)oracle;
  ++sum_.failures;
  if (sum_.first_failure) return;
  FailureReport rep;
  rep.property = r.name;
  rep.detail = r.detail + " [" + where + " after event " + std::to_string(event) + "]";
  rep.seed = setup_.seed;
  rep.chunk_sectors = report_chunk(a).value();
  if (r.violation) {
    rep.chunk = r.violation->chunk;
    for (Sector s : r.violation->sectors) rep.sectors.push_back(s.value());
    rep.member_words = r.violation->words;
    if (a)
      for (int m = 0; m < setup_.disks; ++m)
        rep.member_intent.push_back(a->intent().describe_media(m, Sector(rep.chunk * rep.chunk_sectors)));
  }
  sum_.first_failure = std::move(rep);
  sum_.failing_event = event;
}

}  // namespace

ExploreSummary explore_ops(const OpsSetup& setup, std::span<const Op> ops,
                           const ExploreConfig& config) {
  ExploreSummary sum;
  // Pass 1: count the event boundaries of the run.
  {
    RunOptions ro;
    ro.final_checks = false;
    OpsRunner dry(setup, ro);
    dry.set_step_hook([&sum](OpsRunner&) { ++sum.events_total; });
    dry.run(ops);
  }
  // Which boundaries to explore.
  std::vector<uint64_t> points;
  if (!config.crash_points || *config.crash_points >= sum.events_total) {
    for (uint64_t e = 1; e <= sum.events_total; ++e) points.push_back(e);
  } else {
    sim::Prng rng(sim::mix64(config.seed ^ 0x5eed));
    std::set<uint64_t> pick;
    while (pick.size() < *config.crash_points) pick.insert(1 + rng.below(sum.events_total));
    points.assign(pick.begin(), pick.end());
  }
  // Pass 2: the same run, exploring at each chosen boundary.
  Explorer ex(setup, config, sum);
  uint64_t event = 0;
  size_t next = 0;
  RunOptions ro;
  ro.final_checks = false;
  OpsRunner live(setup, ro);
  live.set_step_hook([&](OpsRunner& r) {
    ++event;
    if (next < points.size() && points[next] == event) {
      ++next;
      ex.at_point(r, event);
      if (config.progress) config.progress(next, points.size());
    }
  });
  RunOutcome out = live.run(ops);
  if (out.failed && !sum.first_failure) {  // the run itself failed (online check, assertion)
    ++sum.failures;
    sum.first_failure = out.failure;
  }
  return sum;
}

}  // namespace mdsim::faults
