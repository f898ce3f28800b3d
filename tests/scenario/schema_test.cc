// scenarios/schema.json and the loader must agree: the same keys for every
// object kind, the same defaults, and every example must load.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "model/scenario/defaults.h"
#include "model/scenario/loader.h"
#include "model/scenario/size.h"

namespace mdsim::scenario {
namespace {

using nlohmann::json;

json schema() { return read_json_file(std::string(MDSIM_SOURCE_DIR) + "/scenarios/schema.json"); }

std::set<std::string> keys_in(const json& properties) {
  std::set<std::string> out;
  for (const auto& [k, _] : properties.items()) out.insert(k);
  return out;
}

TEST(Schema, EveryObjectKindHasTheLoadersKeys) {
  const json s = schema();
  EXPECT_EQ(keys_in(s.at("properties")), std::set<std::string>(keys_of("scenario").begin(), keys_of("scenario").end()));
  std::set<std::string> kinds_with_properties;
  for (const auto& [name, def] : s.at("$defs").items()) {
    if (!def.contains("properties")) continue;
    kinds_with_properties.insert(name);
    const auto& keys = keys_of(name);  // asserts the loader knows this kind
    EXPECT_EQ(keys_in(def.at("properties")), std::set<std::string>(keys.begin(), keys.end())) << name;
    EXPECT_EQ(def.value("additionalProperties", true), false) << name << ": unknown keys must be refused";
  }
  for (const auto& [name, keys] : key_sets())
    if (name != "scenario") {
      EXPECT_TRUE(kinds_with_properties.count(name)) << name << " missing from schema $defs";
    }
}

uint64_t schema_size_default(const json& v) {
  if (v.is_number()) return v.get<uint64_t>();
  return parse_iec_size(v.get<std::string>()).bytes;
}

TEST(Schema, DefaultsMatchDefaultsH) {
  const json d = schema().at("$defs");
  EXPECT_EQ(schema_size_default(d["array"]["properties"]["size"]["default"]), defaults::kArraySizeBytes);
  EXPECT_EQ(schema_size_default(d["array"]["properties"]["chunk"]["default"]), defaults::kRaidChunkBytes);
  EXPECT_EQ(d["array"]["properties"]["safe_mode_delay_ms"]["default"], defaults::kSafeModeDelayMs);
  EXPECT_EQ(d["intent"]["properties"]["daemon_sleep_s"]["default"], defaults::kDaemonSleepS);
  EXPECT_EQ(d["intent"]["properties"]["barrier_idle_s"]["default"], defaults::kBarrierIdleS);
  EXPECT_EQ(d["intent"]["properties"]["journal_entries"]["default"], defaults::kJournalEntries);
  EXPECT_EQ(d["disk"]["properties"]["profile"]["default"], defaults::kDiskProfile);
  EXPECT_EQ(d["disk"]["properties"]["write_cache"]["default"], defaults::kWriteCache);
  EXPECT_EQ(d["disk"]["properties"]["queue_depth"]["default"], defaults::kQueueDepth);
  EXPECT_EQ(d["disk"]["properties"]["destage_delay_ns"]["default"], defaults::kDestageDelayNs);
  EXPECT_EQ(d["workload"]["properties"]["rw"]["default"], defaults::kRw);
  EXPECT_EQ(schema_size_default(d["workload"]["properties"]["bs"]["default"]), defaults::kBsBytes);
  EXPECT_EQ(d["workload"]["properties"]["iodepth"]["default"], defaults::kIodepth);
  EXPECT_EQ(d["workload"]["properties"]["ios"]["default"], defaults::kIos);
  EXPECT_EQ(d["after_crash"]["properties"]["timeout_ns"]["default"], defaults::kConvergenceTimeoutNs);
  EXPECT_EQ(d["limits"]["properties"]["events_max"]["default"], defaults::kEventsMax);
}

TEST(Schema, EveryExampleLoadsAndHasAnExpectedVerdict) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(MDSIM_SOURCE_DIR) + "/scenarios/examples")) {
    if (e.path().extension() != ".json") continue;
    const Scenario s = load_scenario(e.path().string());
    EXPECT_FALSE(s.expect.verdict.empty()) << e.path();
    EXPECT_EQ(s.name + ".json", e.path().filename().string()) << "example name must match its file";
    ++n;
  }
  EXPECT_GE(n, 15u);
}

}  // namespace
}  // namespace mdsim::scenario
