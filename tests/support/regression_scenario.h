// Loads a saved ops scenario from scenarios/regressions/ by name (without
// ".json"), for tests that pin why a regression passes.
#pragma once

#include <string>

#include "faults/ops.h"

namespace mdsim::testing {

// REQUIRES: scenarios/regressions/<name>.json exists and parses.
faults::OpsScenario load_regression(const std::string& name);

}  // namespace mdsim::testing
