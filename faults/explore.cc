#include "faults/explore.h"

#include <algorithm>
#include <map>
#include <set>

#include "faults/crash_state.h"
#include "faults/world.h"

namespace mdsim::faults {

namespace {

// What an assembly from one metadata outcome tells the checks.
struct AssemblyFacts {
  bool refused = false;
  RangeSet will_resync;
  std::vector<bool> trusted;
  SectorCount chunk;
};

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

// Data sectors (relative to data_offset) written by the choice's kept writes.
void touched_data_sectors(const CrashState& st, const CrashStateChoice& c, Sector data_offset,
                          uint64_t data_sectors, std::vector<Sector>& out) {
  auto add = [&](const Disk::PendingWrite& w, uint64_t first, uint64_t n) {
    for (uint64_t k = first; k < first + n; ++k) {
      const uint64_t s = w.sector.value() + k;
      if (s < data_offset.value()) continue;
      const uint64_t ds = s - data_offset.value();
      if (ds < data_sectors) out.push_back(Sector(ds));
    }
  };
  for (size_t d = 0; d < c.size(); ++d) {
    const auto& l = st.disks[d];
    for (uint32_t i : c[d].cached_kept) add(*l.cached[i], 0, l.cached[i]->count.value());
    for (const TornWrite& t : c[d].torn)
      for (uint32_t b : t.blocks) add(*l.in_flight[t.write_index], uint64_t{b} * l.block_sectors, l.block_sectors);
  }
}

// Data sectors where the captured media of the members differ.
std::vector<Sector> media_differences(const CrashState& st, Sector data_offset, uint64_t data_sectors) {
  std::vector<const DiskImage*> imgs;
  for (const auto& l : st.disks) imgs.push_back(&l.media);
  std::vector<Sector> out;
  disk::for_each_touched_sector(imgs, [&](Sector s, const uint64_t* words) {
    if (s < data_offset) return;
    const uint64_t ds = s.value() - data_offset.value();
    if (ds >= data_sectors) return;
    for (size_t k = 1; k < imgs.size(); ++k)
      if (words[k] != words[0]) {
        out.push_back(Sector(ds));
        return;
      }
  });
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
  const Sector data_offset = a->data_offset();
  const uint64_t data_sectors = a->capacity().value();
  const auto base_diff = media_differences(st, data_offset, data_sectors);
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
    f.trusted = trusted_members(*w->array);
    f.chunk = report_chunk(w->array.get());
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
  const Sector data_offset = run.array()->data_offset();
  std::vector<Sector> cand = base_diff;
  touched_data_sectors(st, c, data_offset, run.array()->capacity().value(), cand);
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  ImageView view(images, data_offset, f.trusted);
  const Efficiency e = measure_efficiency(view, cand, f.will_resync, f.chunk);
  sum_.efficiency.resync_sectors += e.resync_sectors;
  sum_.efficiency.inconsistent_sectors += e.inconsistent_sectors;
  sum_.efficiency.inconsistent_chunks += e.inconsistent_chunks;
  if (auto r = check_coverage(view, specified_only(run.oracle(), cand), f.will_resync, f.chunk); !r.held)
    return record_failure(r, run.oracle(), nullptr, event, "crash state");
  if (auto r = check_durability(view, run.oracle(), f.chunk, cand); !r.held)
    return record_failure(r, run.oracle(), nullptr, event, "crash state");
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

void Explorer::deep_state(OpsRunner& run, const CrashState& st, std::vector<DiskImage> images,
                          uint64_t event) {
  (void)st;
  ++sum_.deep_states;
  ++sum_.assemblies;
  auto w = assemble_world(setup_, world_index_++, images, false);
  if (!w->array) return;
  const bool double_crash = cfg_.double_crash_every && sum_.deep_states % cfg_.double_crash_every == 0;
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
    if (!w->array) return;
    ImageView view(images2, w->array->data_offset(), trusted_members(*w->array));
    const auto cand = run.oracle().written_sectors();
    const SectorCount cs = report_chunk(w->array.get());
    if (auto r = check_coverage(view, specified_only(run.oracle(), cand), will_resync(*w->array, w->decision), cs);
        !r.held)
      return record_failure(r, run.oracle(), w->array.get(), event, "double crash during resync");
  }
  if (!settle(*w, 5'000'000)) {
    CheckResult r{"liveness", false, "liveness violated: post-crash resync did not finish", {}, 0};
    return record_failure(r, run.oracle(), w->array.get(), event, "deep state");
  }
  LiveView view(w->disks, *w->array);
  const auto cand = run.oracle().written_sectors();
  if (auto r = check_convergence(view, cand, run.oracle(), report_chunk(w->array.get())); !r.held)
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
