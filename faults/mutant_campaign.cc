#include "faults/mutant_campaign.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "faults/ops_gen.h"
#include "faults/ops_runner.h"

namespace mdsim::faults {

namespace {

constexpr uint64_t kLevelRaidChunk = 128;  // sectors: 64 KiB raid chunks, many rows

md::IntentType backend_of(md::Mutant m) {
  const std::string_view b = md::mutant_backend(m);
  if (b == "none") return md::IntentType::none;
  if (b == "llbitmap") return md::IntentType::llbitmap;
  if (b == "journal") return md::IntentType::journal;
  if (b == "ours") return md::IntentType::ours;
  return md::IntentType::bitmap;  // "any" and "bitmap"
}

const char* type_name(md::IntentType t) {
  switch (t) {
    case md::IntentType::none: return "none";
    case md::IntentType::bitmap: return "bitmap";
    case md::IntentType::llbitmap: return "llbitmap";
    case md::IntentType::journal: return "journal";
    case md::IntentType::ours: return "ours";
  }
  return "?";
}

struct Failing {
  bool failed = false;
  std::string property;
};

Failing run_once(const OpsSetup& s, const std::vector<Op>& ops) {
  OpsRunner r(s);
  const RunOutcome out = r.run(ops);
  if (!out.failed) return {};
  return {true, out.failure->property};
}

}  // namespace

bool backend_available(md::IntentType t) {
  // The backends this build registers (model/md/intent_registry.cc).
  OpsSetup s;
  s.size_bytes = 1 << 20;
  s.intent.type = t;
  try {
    OpsRunner r(s);
    const std::vector<Op> none;
    const RunOutcome out = r.run(none);
    return !(out.failed && out.failure->property == "engine_assertion" &&
             out.failure->detail.find("not available") != std::string::npos);
  } catch (...) {
    return false;
  }
}

OpsSetup campaign_setup(md::Mutant m, uint64_t seed) {
  OpsSetup s;
  s.name = std::string("mutant-") + std::string(md::mutant_name(m));
  s.seed = seed;
  s.size_bytes = 16ull << 20;
  s.intent.type = backend_of(m);
  s.intent.chunk_bytes = s.intent.type == md::IntentType::none ? 0 : 64 << 10;
  // raid1 resync windows are 64 KiB and chunk-aligned, so with 64 KiB chunks
  // cond_end_sync never sees a mid-chunk position and this mutant would be
  // equivalent to the clean engine: give it chunks larger than a window.
  // The same holds for end_sync on an aborted resync: md_do_sync stops at a
  // window boundary, which with 64 KiB chunks is a chunk boundary, so the
  // chunk end_sync(aborted) names was never started. mdadm's own default
  // chunk (>= 64 MiB) is far larger than a window.
  if (m == md::Mutant::llbitmap_cond_end_sync_partial || m == md::Mutant::end_sync_partial_clean)
    s.intent.chunk_bytes = 256 << 10;
  // The upstream bug (md-internals 3.8 row 7) is llbitmap's: a re-added
  // member receives only the llbitmap superblock blocks at the superblock
  // round, so its chunk states stay stale until rewritten. The classic bitmap
  // of these arrays is one page, rewritten whole at every superblock round, so
  // a rebuilding member's copy is always current there (mutant equivalent).
  if (m == md::Mutant::load_from_rebuilding) s.intent.type = md::IntentType::llbitmap;
  // Level mutants run on the level suites' arrays (harness_levels_prop_test):
  // raid5 on 3 members, raid10 near-2 on 4, 64 KiB raid chunks. The raid10
  // bug only loses a bit that covers another copy set's missing member, so
  // its intent chunk spans two raid chunks (two copy sets).
  s.level = md::mutant_level(m);
  if (s.level != 1) {
    s.disks = s.level == 5 ? 3 : 4;
    s.size_bytes = 8ull << 20;
    s.raid_chunk_sectors = kLevelRaidChunk;
  }
  if (s.level == 10) s.intent.chunk_bytes = 2 * kLevelRaidChunk * 512;
  s.mutants.set(m);
  return s;
}

GenConfig campaign_gen(const OpsSetup& s) {
  GenConfig gen;
  gen.level = s.level;
  gen.disks = s.disks;
  const uint64_t member_sectors = s.size_bytes / 512;
  gen.array_sectors = s.level == 5    ? member_sectors * (s.disks - 1)
                      : s.level == 10 ? member_sectors * s.disks / 2
                                      : member_sectors;
  if (s.level != 1) gen.raid_chunk_sectors = s.raid_chunk_sectors;
  return gen;
}

MutantResult run_mutant(md::Mutant m, const CampaignConfig& cfg) {
  MutantResult res;
  res.mutant = m;
  OpsSetup with = campaign_setup(m, cfg.seed);
  res.backend = type_name(with.intent.type);
  if (!backend_available(with.intent.type)) {
    res.skipped = true;
    res.skip_reason = "backend " + res.backend + " not in this build";
    return res;
  }
  OpsSetup without = with;
  without.mutants = md::MutantSet();
  const GenConfig gen = campaign_gen(with);
  // Media errors (bad blocks, write errors) are in the mix for every mutant
  // since F2 was fixed; kills stay differential.
  const double t0 = cfg.clock_s();
  sim::Prng rng(sim::mix64(cfg.seed ^ (static_cast<uint64_t>(m) << 32)));
  for (; res.cases < cfg.max_cases && cfg.clock_s() - t0 < cfg.time_budget_s; ++res.cases) {
    const std::vector<Op> ops = generate_ops(rng, gen);
    const Failing f = run_once(with, ops);
    if (!f.failed) continue;
    const std::vector<Op> small = shrink_ops(ops, [&](const std::vector<Op>& c) {
      const Failing g = run_once(with, c);
      return g.failed && g.property == f.property;
    });
    if (run_once(without, small).failed || run_once(without, ops).failed) {
      ++res.false_alarms;  // fails without the bug too: not a kill
      continue;
    }
    res.killed = true;
    res.property = f.property;
    res.original_len = ops.size();
    res.counterexample_len = small.size();
    if (!cfg.out_dir.empty()) {
      res.counterexample_path = cfg.out_dir + "/" + with.name + ".json";
      OpsScenario sc{with, small};
      if (!save_counterexample(res.counterexample_path, sc, f.property)) res.counterexample_path.clear();
    }
    ++res.cases;
    break;
  }
  res.seconds = cfg.clock_s() - t0;
  return res;
}

std::vector<MutantResult> run_campaign(const CampaignConfig& cfg,
                                       const std::function<void(const MutantResult&)>& on_result) {
  std::vector<MutantResult> out;
  const auto list = cfg.mutants.empty() ? md::all_mutants() : cfg.mutants;
  for (md::Mutant m : list) {
    out.push_back(run_mutant(m, cfg));
    if (on_result) on_result(out.back());
  }
  return out;
}

std::string scoreboard_markdown(const std::vector<MutantResult>& results, const CampaignConfig& cfg) {
  std::ostringstream os;
  uint64_t run = 0, killed = 0;
  std::vector<size_t> lens;
  for (const auto& r : results) {
    if (r.skipped) continue;
    ++run;
    if (r.killed) {
      ++killed;
      lens.push_back(r.counterexample_len);
    }
  }
  std::sort(lens.begin(), lens.end());
  os << "| mutant | backend | killed | property | time to kill (s) | cases | false alarms | "
        "counterexample ops (from) | counterexample |\n"
     << "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : results) {
    os << "| " << md::mutant_name(r.mutant) << " | " << r.backend << " | ";
    if (r.skipped) {
      os << "skipped: " << r.skip_reason << " | | | | | | |\n";
      continue;
    }
    os << (r.killed ? "yes" : "**NO**") << " | " << r.property << " | " << std::fixed
       << std::setprecision(3) << r.seconds << " | " << r.cases << " | " << r.false_alarms << " | ";
    if (r.killed) os << r.counterexample_len << " (" << r.original_len << ")";
    os << " | " << r.counterexample_path << " |\n";
  }
  os << "\nKilled " << killed << " of " << run << " mutants run (" << results.size() - run
     << " skipped: backend not in this build); budget " << cfg.time_budget_s << " s and "
     << cfg.max_cases << " cases per mutant, seed " << cfg.seed << ".\n";
  if (!lens.empty()) {
    const double median = lens.size() % 2 ? lens[lens.size() / 2]
                                          : (lens[lens.size() / 2 - 1] + lens[lens.size() / 2]) / 2.0;
    os << "Median shrunk counterexample: " << median << " ops.\n";
  }
  return os.str();
}

bool save_counterexample(const std::string& path, const OpsScenario& s, const std::string& property) {
  nlohmann::json j = scenario_to_json(s);
  j["expect"] = {{"verdict", "fail"}, {"failed_checks", {property}}};
  std::ofstream f(path);
  if (!f) return false;
  f << j.dump(2) << "\n";
  return static_cast<bool>(f);
}

ReplayOutcome replay_counterexample(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::invalid_argument(path + ": cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(path + ": not JSON: " + e.what());
  }
  const OpsScenario s = scenario_from_json(j);
  ReplayOutcome out;
  if (j.contains("expect") && j["expect"].contains("failed_checks") && !j["expect"]["failed_checks"].empty())
    out.expected_property = j["expect"]["failed_checks"][0].get<std::string>();
  OpsRunner r(s.setup);
  const RunOutcome o = r.run(s.ops);
  if (o.failed) {
    out.failed_property = o.failure->property;
    out.report = o.failure->text();
  }
  out.reproduced = o.failed && (out.expected_property.empty() || out.expected_property == out.failed_property);
  return out;
}

}  // namespace mdsim::faults
