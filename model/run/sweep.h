// Sweeps: a base scenario plus a grid of parameters (docs/scenario-format.md).
//
//   {"name": "chunk-vs-depth",
//    "base": "../examples/raid1-bitmap-randwrite.json",   (or an inline scenario)
//    "grid": {"/workload/iodepth": [1, 32], "/array/intent/chunk": ["64KiB", "1MiB"]}}
//
// Grid keys are JSON pointers into the base; the points are the cartesian
// product, the first grid key varying slowest (keys in file order). Every point
// is validated as a scenario before anything runs, so a bad point refuses the
// whole sweep (exit code 2) with the point named in the message.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/run/result.h"
#include "model/scenario/scenario.h"

namespace mdsim::run {

struct SweepPoint {
  std::vector<std::pair<std::string, nlohmann::json>> params;  // pointer -> value, grid order
  scenario::Scenario scenario;
};

struct Sweep {
  std::string name;
  std::vector<std::string> columns;  // grid pointers, in file order
  std::vector<SweepPoint> points;
};

inline constexpr size_t kSweepPointsMax = 100000;

// Throws scenario::ScenarioError.
Sweep load_sweep(const std::string& path);
Sweep parse_sweep(const nlohmann::ordered_json& doc, const std::string& source, const std::string& base_dir);

// One row per point: the grid values, then the result fields.
nlohmann::ordered_json sweep_row(const SweepPoint& p, const Result& r);
std::string sweep_csv(const Sweep& s, const std::vector<nlohmann::ordered_json>& rows);

}  // namespace mdsim::run
