// The CI regression gate (issue 7): a fixed set of scenarios (scenarios/gate/)
// is rerun and its key metrics compared with reports/baseline.json.
//
// Each scenario is run once (mdsim run), except an ops-form file whose name
// contains "explore": it is explored at every event boundary (mdsim explore). The gate fails when
//   - any property fails (verdict "fail"),
//   - meta_writes_per_user_write rises more than kMetaRiseMax (2 %),
//   - iops_sim falls more than kIopsFallMax (5 %),
//   - resync_sectors rises more than kResyncRiseMax (5 %),
//   - a scenario is missing from the baseline or from the scenario folder.
// Falls in metadata/resync work and rises in IOPS are improvements: reported,
// never failing. Write latency p99 and p99.9 of run scenarios are kept in the
// baseline and a move is printed, but never fails the gate (not a gated
// metric; deterministic, so it moves only when the model does).
// `--update-baseline` rewrites the baseline deliberately.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/run/result.h"

namespace mdsim::run {

inline constexpr double kMetaRiseMax = 0.02;
inline constexpr double kIopsFallMax = 0.05;
inline constexpr double kResyncRiseMax = 0.05;

// The key metrics of one gate scenario.
struct GateRow {
  std::string file;  // path relative to the scenario folder's parent's parent (as given)
  std::string name;  // scenario name
  std::string mode;  // "run" or "explore"
  std::string verdict;
  std::vector<std::string> failed_checks;
  double meta_writes_per_user_write = 0;
  double iops_sim = 0;
  uint64_t resync_sectors = 0;
  uint64_t crash_points_checked = 0;
  uint64_t trace_hash = 0;  // informational: a change alone does not fail the gate
  // informational (run mode; -1 = absent, e.g. an older baseline or an explore row)
  int64_t write_lat_ns_p99 = -1;
  int64_t write_lat_ns_p999 = -1;
};

// One line of the "what moved" table.
struct GateMove {
  std::string scenario;
  std::string metric;
  std::string baseline;
  std::string current;
  std::string change;  // e.g. "+3.10 %"
  bool fails = false;
  std::string why;  // limit broken, or "" for an informational move
};

struct GateReport {
  std::vector<GateMove> moves;  // every metric that changed, plus structural problems
  bool passed() const;
};

GateRow gate_row(const std::string& file, const std::string& mode, const Result& r);

// Runs (or explores) every *.json directly in `dir`, sorted by file name.
// REQUIRES: dir exists and holds at least one scenario.
std::vector<GateRow> run_gate_scenarios(const std::string& dir);

nlohmann::json baseline_json(const std::vector<GateRow>& rows);
// Throws std::runtime_error on a malformed baseline.
std::vector<GateRow> rows_from_baseline(const nlohmann::json& j);

GateReport compare_gate(const std::vector<GateRow>& baseline, const std::vector<GateRow>& current);

// The table, aligned columns, one line per move.
std::string format_gate_table(const GateReport& rep);

}  // namespace mdsim::run
