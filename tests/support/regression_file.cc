#include "tests/support/regression_file.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace mdsim::testing {

faults::OpsScenario load_regression(const std::string& name) {
  const auto path = std::filesystem::path(MDSIM_SOURCE_DIR) / "scenarios" / "regressions" / (name + ".json");
  std::ifstream f(path);
  return faults::scenario_from_json(nlohmann::json::parse(f));
}

}  // namespace mdsim::testing
