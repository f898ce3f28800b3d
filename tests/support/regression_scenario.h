// Loads a saved ops scenario from scenarios/regressions/ by name (without
// ".json"), for tests that pin why a regression passes.
#pragma once

#include <memory>
#include <string>

#include "faults/ops.h"
#include "faults/ops_runner.h"

namespace mdsim::testing {

// REQUIRES: scenarios/regressions/<name>.json exists and parses.
faults::OpsScenario load_regression(const std::string& name);

// Runs a saved regression on a fresh runner; the runner is kept so a test can
// inspect the array the run ended with.
struct RegressionRun {
  std::unique_ptr<faults::OpsRunner> runner;
  faults::RunOutcome outcome;
  std::string failure_text() const { return outcome.failure ? outcome.failure->text() : ""; }
};
RegressionRun run_regression(const std::string& name);

}  // namespace mdsim::testing
