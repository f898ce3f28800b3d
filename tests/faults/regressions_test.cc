// Regression scenarios (scenarios/regressions/*.json, md-internals 3.9): each
// is a saved ops counterexample with the mutant that reintroduces the upstream
// bug. Each must FAIL (with the saved property) with its mutant on and PASS
// with the mutant off. A scenario naming no mutant and expecting "pass" is a
// former false alarm / engine bug of the CLEAN engine: it must pass.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "faults/ops_runner.h"

namespace mdsim::faults {
namespace {

TEST(Regressions, EachFailsWithItsMutantAndPassesWithout) {
  const std::filesystem::path dir = std::filesystem::path(MDSIM_SOURCE_DIR) / "scenarios" / "regressions";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream f(entry.path());
    const nlohmann::json j = nlohmann::json::parse(f);
    const OpsScenario s = scenario_from_json(j);
    if (s.setup.mutants.empty()) {
      ASSERT_EQ(j.at("expect").at("verdict").get<std::string>(), "pass") << entry.path();
      OpsRunner clean(s.setup);
      const RunOutcome out = clean.run(s.ops);
      EXPECT_FALSE(out.failed) << entry.path() << "\n" << (out.failure ? out.failure->text() : "");
      ++checked;
      continue;
    }
    const std::string expected = j.at("expect").at("failed_checks").at(0).get<std::string>();
    OpsRunner with(s.setup);
    const RunOutcome bad = with.run(s.ops);
    ASSERT_TRUE(bad.failed) << entry.path() << ": passed with the mutant on";
    EXPECT_EQ(bad.failure->property, expected) << entry.path() << "\n" << bad.failure->text();
    OpsSetup clean = s.setup;
    clean.mutants = md::MutantSet();
    OpsRunner without(clean);
    const RunOutcome good = without.run(s.ops);
    EXPECT_FALSE(good.failed) << entry.path() << ": fails without the mutant\n"
                              << (good.failure ? good.failure->text() : "");
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

}  // namespace
}  // namespace mdsim::faults
