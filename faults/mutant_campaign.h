// The mutant campaign: for every named bug (model/md/mutants.h), generate
// stateful ops lists (faults/ops_gen.h) and run them with the bug switched on
// until a property fails; shrink the failing list; count the mutant as killed
// only if the shrunk list PASSES with the bug off (so an engine bug or a harness
// false alarm can never score a kill). Results go to a scoreboard.
//
// No wall clock in here: the caller passes a clock for the time figures.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "faults/ops.h"
#include "faults/ops_gen.h"
#include "model/md/mutants.h"

namespace mdsim::faults {

struct CampaignConfig {
  std::vector<md::Mutant> mutants;    // empty = every mutant
  uint64_t max_cases = 5000;          // generated lists per mutant
  double time_budget_s = 60;          // per mutant
  uint64_t seed = 1;
  std::string out_dir;                // counterexample JSONs ("" = not saved)
  std::function<double()> clock_s;    // seconds (wall or CPU); required
};

struct MutantResult {
  md::Mutant mutant = md::Mutant::data_before_unplug;
  std::string backend;                // intent backend it ran on
  bool killed = false;
  bool skipped = false;
  std::string skip_reason;
  std::string property;               // the property that killed it
  double seconds = 0;                 // time to kill (or budget spent)
  uint64_t cases = 0;                 // generated lists run
  uint64_t false_alarms = 0;          // failures that also fail without the mutant
  size_t original_len = 0;
  size_t counterexample_len = 0;
  std::string counterexample_path;
};

// The setup a mutant runs on: its backend, a small array, fixed seed.
OpsSetup campaign_setup(md::Mutant m, uint64_t seed);
// The generator a setup's campaign uses (level, members, array size).
GenConfig campaign_gen(const OpsSetup& s);
bool backend_available(md::IntentType t);

MutantResult run_mutant(md::Mutant m, const CampaignConfig& cfg);
std::vector<MutantResult> run_campaign(const CampaignConfig& cfg,
                                       const std::function<void(const MutantResult&)>& on_result = {});

// Markdown scoreboard (reports/mutants.md).
std::string scoreboard_markdown(const std::vector<MutantResult>& results, const CampaignConfig& cfg);

// Saves a counterexample: the ops scenario plus "expect" (verdict fail, the
// failed property) as pretty JSON. Returns false on IO error.
bool save_counterexample(const std::string& path, const OpsScenario& s, const std::string& property);

// Replays a saved counterexample: true if the saved property fails again.
struct ReplayOutcome {
  bool reproduced = false;
  std::string expected_property;
  std::string failed_property;  // "" = every check held
  std::string report;           // FailureReport::text() when it failed
};
ReplayOutcome replay_counterexample(const std::string& path);

}  // namespace mdsim::faults
