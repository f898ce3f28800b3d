#include "faults/ops.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mdsim::faults {
namespace {

TEST(Ops, ScenarioRoundTripsThroughJson) {
  OpsScenario s;
  s.setup.name = "cx";
  s.setup.seed = 99;
  s.setup.intent.type = md::IntentType::llbitmap;
  s.setup.intent.chunk_bytes = 65536;
  s.setup.mutants.set(md::Mutant::resync_skips_needed);
  s.ops = {{.kind = OpKind::write, .sector = 8, .sectors = 16},
           {.kind = OpKind::write, .sector = 64, .sectors = 8, .batch = true},
           {.kind = OpKind::flush},
           {.kind = OpKind::advance, .ns = 1000},
           {.kind = OpKind::power_loss, .choice = 7},
           {.kind = OpKind::readd_disk, .disk = 1},
           {.kind = OpKind::slow_disk, .disk = 0, .factor = 8},
           {.kind = OpKind::bad_block, .sector = 100, .sectors = 1, .disk = 1}};
  const nlohmann::json j = scenario_to_json(s);
  EXPECT_EQ(j.at("ops").at(0).at("op"), "write");
  EXPECT_EQ(j.at("mutants").at(0), "resync_skips_needed");
  const OpsScenario back = scenario_from_json(j);
  EXPECT_EQ(back.ops, s.ops);
  EXPECT_EQ(back.setup.seed, 99u);
  EXPECT_EQ(back.setup.intent.type, md::IntentType::llbitmap);
  EXPECT_EQ(back.setup.intent.chunk_bytes, 65536u);
  EXPECT_TRUE(back.setup.mutants.on(md::Mutant::resync_skips_needed));
  EXPECT_EQ(scenario_to_json(back), j);
}

TEST(Ops, BadInputNamesThePointer) {
  auto j = nlohmann::json::parse(R"({"ops": [{"op": "write", "sector": 1, "sectors": 1},
                                             {"op": "explode"}]})");
  try {
    scenario_from_json(j);
    FAIL() << "accepted an unknown op";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("/ops/1/op"), std::string::npos) << e.what();
  }
  auto k = nlohmann::json::parse(R"({"ops": [{"op": "write", "sector": 1}]})");
  EXPECT_THROW(scenario_from_json(k), std::invalid_argument);
}

TEST(Ops, SizesAcceptIecUnits) {
  EXPECT_EQ(parse_size_bytes(nlohmann::json("64KiB"), ""), 65536u);
  EXPECT_EQ(parse_size_bytes(nlohmann::json("1GiB"), ""), 1ull << 30);
  EXPECT_EQ(parse_size_bytes(nlohmann::json(4096), ""), 4096u);
  EXPECT_THROW(parse_size_bytes(nlohmann::json("12XB"), ""), std::invalid_argument);
}

}  // namespace
}  // namespace mdsim::faults
