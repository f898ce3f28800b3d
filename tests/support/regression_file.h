// Loads one saved regression scenario (scenarios/regressions/NAME.json, ops
// form) for tests that pin why it passes or fails.
#pragma once

#include <string>

#include "faults/ops.h"

namespace mdsim::testing {

// REQUIRES: scenarios/regressions/<name>.json exists and parses.
faults::OpsScenario load_regression(const std::string& name);

}  // namespace mdsim::testing
