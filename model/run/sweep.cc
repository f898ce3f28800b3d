#include "model/run/sweep.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/scenario/loader.h"
#include "model/scenario/node.h"

namespace mdsim::run {

using nlohmann::json;
using nlohmann::ordered_json;
using scenario::ScenarioError;

static ordered_json read_ordered(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, "", "expected a readable file (cannot open it)");
  std::ostringstream ss;
  ss << in.rdbuf();
  try {
    return ordered_json::parse(ss.str());
  } catch (const ordered_json::parse_error& e) {
    std::string what = e.what();
    const size_t p = what.find("parse error");
    throw ScenarioError(path, "", "expected valid JSON: " + (p == std::string::npos ? what : what.substr(p)));
  }
}

Sweep load_sweep(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_sweep(read_ordered(path), path, dir);
}

static json base_document(const scenario::Node& base, const std::string& base_dir, std::string& base_source) {
  if (base.value().is_object()) return base.value();
  if (!base.value().is_string()) base.fail("expected a scenario object or a path to a scenario file");
  std::filesystem::path p = base.value().get<std::string>();
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  base_source = p.string();
  return scenario::read_json_file(base_source);
}

static void set_pointer(json& doc, const std::string& ptr, const json& value, const scenario::Node& where) {
  try {
    const json::json_pointer jp(ptr);
    if (jp.empty()) where.fail("expected a pointer to a value inside the base, not the whole document", false);
    if (!doc.contains(jp.parent_pointer()) || !doc.at(jp.parent_pointer()).is_object()) {
      if (!doc.contains(jp)) where.fail("expected a pointer whose parent object exists in the base", false);
    }
    doc[jp] = value;
  } catch (const json::exception& e) {
    where.fail(std::string("expected a valid JSON pointer into the base (") + e.what() + ")", false);
  }
}

Sweep parse_sweep(const ordered_json& odoc, const std::string& source, const std::string& base_dir) {
  const json doc = json::parse(odoc.dump());  // scenario rules work on the sorted form
  const scenario::Node root(doc, "", source);
  root.require_object(scenario::keys_of("sweep"));
  Sweep s;
  s.name = root.has("name") ? root.at("name").string() : std::filesystem::path(source).stem().string();
  std::string base_source = source + "#/base";
  const json base = base_document(root.required("base", "a scenario object or path"), base_dir, base_source);
  const scenario::Node grid = root.required("grid", "an object of JSON pointer -> list of values");
  if (!grid.value().is_object() || grid.value().empty()) grid.fail("expected a non-empty object");
  std::vector<std::vector<json>> values;
  size_t total = 1;
  for (const auto& [ptr, list] : odoc.at("grid").items()) {  // file order
    const scenario::Node entry = grid.at(ptr);
    if (!list.is_array() || list.empty()) entry.fail("expected a non-empty array of values");
    s.columns.push_back(ptr);
    values.emplace_back();
    for (const auto& v : list) values.back().push_back(json::parse(v.dump()));
    total *= list.size();
    if (total > kSweepPointsMax) entry.fail("expected at most " + std::to_string(kSweepPointsMax) + " points in all");
  }
  for (size_t i = 0; i < total; ++i) {
    SweepPoint p;
    json doc_i = base;
    size_t rest = i;
    for (size_t k = values.size(); k-- > 0;) {
      const json& v = values[k][rest % values[k].size()];
      rest /= values[k].size();
      set_pointer(doc_i, s.columns[k], v, grid.at(s.columns[k]));
      p.params.insert(p.params.begin(), {s.columns[k], v});
    }
    std::string label = source + "#point " + std::to_string(i) + " (";
    for (size_t k = 0; k < p.params.size(); ++k) label += (k ? ", " : "") + p.params[k].first + "=" + p.params[k].second.dump();
    p.scenario = scenario::parse_scenario(doc_i, label + ")");
    s.points.push_back(std::move(p));
  }
  return s;
}

ordered_json sweep_row(const SweepPoint& p, const Result& r) {
  ordered_json row;
  row["point"] = p.scenario.name;
  for (const auto& [ptr, v] : p.params) row[ptr] = v;
  const json res = to_json(r);
  for (const char* k : {"seed", "trace_hash", "events", "sim_time_ns", "user_writes", "user_write_bytes", "data_writes",
                        "meta_writes", "meta_write_bytes", "flushes", "meta_writes_per_user_write", "write_lat_ns_p50",
                        "write_lat_ns_p90", "write_lat_ns_p99", "write_lat_ns_p999", "iops_sim", "crash_points_checked", "inconsistent_chunks",
                        "resync_sectors", "verdict"})
    row[k] = res.at(k);
  return row;
}

static std::string csv_cell(const ordered_json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string sweep_csv(const Sweep& s, const std::vector<ordered_json>& rows) {
  (void)s;
  std::string out;
  if (rows.empty()) return out;
  bool first = true;
  for (const auto& [k, _] : rows.front().items()) {
    out += (first ? "" : ",") + csv_cell(k);
    first = false;
  }
  out += "\n";
  for (const auto& row : rows) {
    first = true;
    for (const auto& [k, v] : row.items()) {
      out += (first ? "" : ",") + csv_cell(v);
      first = false;
    }
    out += "\n";
  }
  return out;
}

}  // namespace mdsim::run
