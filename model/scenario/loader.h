// Scenario loading and validation (the rules of scenarios/schema.json plus the
// cross-field rules of docs/scenario-format.md, in code).
//
// Every entry point either returns a complete, valid Scenario (see the
// invariants in scenario.h) or throws ScenarioError; nothing else escapes for
// any input (the fuzz test tests/scenario/loader_fuzz_prop_test.cc checks that).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario/error.h"
#include "model/scenario/scenario.h"

namespace mdsim::scenario {

// REQUIRES: nothing. `source` names the document in messages (a path, or
// "sweep.json#point 3"). `seed_override` replaces the document's seed.
Scenario parse_scenario(const nlohmann::json& doc, const std::string& source,
                        std::optional<uint64_t> seed_override = std::nullopt);
// Parses text first; a syntax error is a ScenarioError at the root.
Scenario parse_scenario_text(const std::string& text, const std::string& source,
                             std::optional<uint64_t> seed_override = std::nullopt);
// Reads the file; an unreadable file is a ScenarioError too.
Scenario load_scenario(const std::string& path, std::optional<uint64_t> seed_override = std::nullopt);

// Reads and parses a JSON file (no scenario rules), for sweeps and replays.
nlohmann::json read_json_file(const std::string& path);
nlohmann::json parse_json_text(const std::string& text, const std::string& source);

// The keys each object kind accepts, named like the "$defs" of
// scenarios/schema.json ("scenario", "array", "intent", "fault_power_loss",
// "op_write", ...). Used by the loader and by the schema consistency test.
const std::vector<std::pair<std::string, std::vector<std::string>>>& key_sets();
const std::vector<std::string>& keys_of(const std::string& def_name);

}  // namespace mdsim::scenario
