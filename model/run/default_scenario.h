// The scenario `mdsim run --default` runs: the one place it is written down
// (docs/scenario-format.md "The default scenario" describes it).
#pragma once

#include <string_view>

namespace mdsim::run {

// Source name used in messages for the embedded scenario.
inline constexpr std::string_view kDefaultScenarioSource = "<default scenario>";

// The embedded scenario document (JSON text, valid for the loader).
std::string_view default_scenario_json();

}  // namespace mdsim::run
