#include "support/regression_scenario.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace mdsim::testing {

faults::OpsScenario load_regression(const std::string& name) {
  const auto path = std::filesystem::path(MDSIM_SOURCE_DIR) / "scenarios" / "regressions" / (name + ".json");
  std::ifstream f(path);
  return faults::scenario_from_json(nlohmann::json::parse(f));
}

RegressionRun run_regression(const std::string& name) {
  const faults::OpsScenario s = load_regression(name);
  RegressionRun run;
  run.runner = std::make_unique<faults::OpsRunner>(s.setup);
  run.outcome = run.runner->run(s.ops);
  return run;
}

}  // namespace mdsim::testing
