// scenarios/default.json is the file form of the scenario `mdsim run --default`
// runs; the embedded text (model/run/default_scenario.cc) stays the one source
// and this test keeps the file in step with it.
#include "model/run/default_scenario.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace mdsim::run {
namespace {

TEST(DefaultScenario, FileMatchesTheEmbeddedScenario) {
  std::ifstream in(std::string(MDSIM_SOURCE_DIR) + "/scenarios/default.json");
  ASSERT_TRUE(in.good());
  const nlohmann::json file = nlohmann::json::parse(in);
  const nlohmann::json embedded = nlohmann::json::parse(default_scenario_json());
  EXPECT_EQ(file, embedded) << "regenerate scenarios/default.json from default_scenario.cc";
}

}  // namespace
}  // namespace mdsim::run
