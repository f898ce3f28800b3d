#include "model/run/gate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

#include "model/run/runner.h"
#include "model/scenario/loader.h"
#include "sim/assert.h"

namespace mdsim::run {

namespace fs = std::filesystem;

bool GateReport::passed() const {
  return std::none_of(moves.begin(), moves.end(), [](const GateMove& m) { return m.fails; });
}

GateRow gate_row(const std::string& file, const std::string& mode, const Result& r) {
  GateRow row;
  row.file = file;
  row.name = r.scenario;
  row.mode = mode;
  row.verdict = r.verdict();
  for (const auto& [name, c] : r.checks)
    if (!c.held) row.failed_checks.push_back(name);
  row.meta_writes_per_user_write = r.meta_writes_per_user_write();
  row.iops_sim = r.iops_sim();
  row.resync_sectors = r.resync_sectors;
  row.crash_points_checked = r.crash_points_checked;
  row.trace_hash = r.trace_hash;
  if (mode == "run") {
    row.write_lat_ns_p99 = r.write_lat_ns_p99;
    row.write_lat_ns_p999 = r.write_lat_ns_p999;
  }
  return row;
}

std::vector<GateRow> run_gate_scenarios(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());  // directory order is not stable
  SIM_ASSERT(!files.empty());
  std::vector<GateRow> rows;
  for (const auto& f : files) {
    const scenario::Scenario s = scenario::load_scenario(f);
    const std::string rel = fs::path(f).filename().string();
    // Explored: ops-form files whose name says so; every other file is run once.
    if (s.ops.empty() || rel.find("explore") == std::string::npos) {
      rows.push_back(gate_row(rel, "run", run_scenario(s, RunOptions{}).result));
    } else {
      rows.push_back(gate_row(rel, "explore", explore_scenario(s, ExploreOptions{}).result));
    }
  }
  return rows;
}

nlohmann::json baseline_json(const std::vector<GateRow>& rows) {
  nlohmann::json j;
  j["format"] = "mdsim-gate-baseline/1";
  j["limits"] = {{"meta_writes_per_user_write_rise", kMetaRiseMax},
                 {"iops_sim_fall", kIopsFallMax},
                 {"resync_sectors_rise", kResyncRiseMax}};
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json lat = nlohmann::json::object();
    if (r.write_lat_ns_p99 >= 0)
      lat = {{"write_lat_ns_p99", r.write_lat_ns_p99}, {"write_lat_ns_p999", r.write_lat_ns_p999}};
    list.push_back({{"file", r.file},
                    {"name", r.name},
                    {"mode", r.mode},
                    {"verdict", r.verdict},
                    {"failed_checks", r.failed_checks},
                    {"meta_writes_per_user_write", r.meta_writes_per_user_write},
                    {"iops_sim", r.iops_sim},
                    {"resync_sectors", r.resync_sectors},
                    {"crash_points_checked", r.crash_points_checked},
                    {"trace_hash", sim::hash_hex(r.trace_hash)}});
    list.back().update(lat);
  }
  j["scenarios"] = list;
  return j;
}

std::vector<GateRow> rows_from_baseline(const nlohmann::json& j) {
  if (!j.is_object() || j.value("format", "") != "mdsim-gate-baseline/1" || !j.contains("scenarios") ||
      !j["scenarios"].is_array())
    throw std::runtime_error("baseline: not an mdsim-gate-baseline/1 document");
  std::vector<GateRow> rows;
  for (const auto& s : j["scenarios"]) {
    GateRow r;
    r.file = s.at("file").get<std::string>();
    r.name = s.at("name").get<std::string>();
    r.mode = s.at("mode").get<std::string>();
    r.verdict = s.at("verdict").get<std::string>();
    r.failed_checks = s.value("failed_checks", std::vector<std::string>{});
    r.meta_writes_per_user_write = s.at("meta_writes_per_user_write").get<double>();
    r.iops_sim = s.at("iops_sim").get<double>();
    r.resync_sectors = s.at("resync_sectors").get<uint64_t>();
    r.crash_points_checked = s.value("crash_points_checked", uint64_t{0});
    r.write_lat_ns_p99 = s.value("write_lat_ns_p99", int64_t{-1});
    r.write_lat_ns_p999 = s.value("write_lat_ns_p999", int64_t{-1});
    rows.push_back(r);
  }
  return rows;
}

namespace {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string pct(double base, double cur) {
  if (base == 0) return cur == 0 ? "0 %" : "new";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.2f %%", 100.0 * (cur - base) / base);
  return buf;
}

// rise_max > 0: fails when cur > base * (1 + rise_max); rise_max < 0: fails
// when cur < base * (1 + rise_max) (a fall limit); 0: printed, never fails.
void compare_metric(const std::string& scen, const std::string& metric, double base, double cur, double limit,
                    std::vector<GateMove>& out) {
  if (base == cur) return;
  GateMove m{scen, metric, num(base), num(cur), pct(base, cur), false, ""};
  // A relative tolerance of 1e-9 absorbs printing round-off of the baseline.
  const double bound = base * (1.0 + limit);
  if (limit > 0 && cur > bound * (1 + 1e-9)) {
    m.fails = true;
    m.why = "rose more than " + num(limit * 100) + " %";
  } else if (limit < 0 && cur < bound * (1 - 1e-9)) {
    m.fails = true;
    m.why = "fell more than " + num(-limit * 100) + " %";
  } else if (limit == 0) {
    m.why = "not gated";
  }
  out.push_back(m);
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s.empty() ? "-" : s;
}

}  // namespace

GateReport compare_gate(const std::vector<GateRow>& baseline, const std::vector<GateRow>& current) {
  GateReport rep;
  std::map<std::string, const GateRow*> base;
  for (const auto& b : baseline) base[b.file] = &b;
  std::map<std::string, const GateRow*> cur_by_file;
  for (const auto& c : current) cur_by_file[c.file] = &c;
  for (const auto& c : current) {
    if (c.verdict != "pass")
      rep.moves.push_back({c.file, "verdict", base.count(c.file) ? base[c.file]->verdict : "-", c.verdict,
                           "", true, "property failed: " + join(c.failed_checks)});
    const auto it = base.find(c.file);
    if (it == base.end()) {
      rep.moves.push_back({c.file, "-", "missing", "present", "", true, "not in the baseline (--update-baseline)"});
      continue;
    }
    const GateRow& b = *it->second;
    compare_metric(c.file, "meta_writes_per_user_write", b.meta_writes_per_user_write, c.meta_writes_per_user_write,
                   kMetaRiseMax, rep.moves);
    compare_metric(c.file, "iops_sim", b.iops_sim, c.iops_sim, -kIopsFallMax, rep.moves);
    compare_metric(c.file, "resync_sectors", static_cast<double>(b.resync_sectors),
                   static_cast<double>(c.resync_sectors), kResyncRiseMax, rep.moves);
    // resync work appearing where there was none is a rise of more than 5 %.
    if (b.resync_sectors == 0 && c.resync_sectors > 0) rep.moves.back().fails = true, rep.moves.back().why = "new resync work";
    // Latency is printed, never gated (limit 0: no failure either way).
    if (b.write_lat_ns_p99 >= 0 && c.write_lat_ns_p99 >= 0) {
      compare_metric(c.file, "write_lat_ns_p99", static_cast<double>(b.write_lat_ns_p99),
                     static_cast<double>(c.write_lat_ns_p99), 0.0, rep.moves);
      compare_metric(c.file, "write_lat_ns_p999", static_cast<double>(b.write_lat_ns_p999),
                     static_cast<double>(c.write_lat_ns_p999), 0.0, rep.moves);
    }
  }
  for (const auto& b : baseline)
    if (!cur_by_file.count(b.file))
      rep.moves.push_back({b.file, "-", "present", "missing", "", true, "scenario file removed (--update-baseline)"});
  return rep;
}

std::string format_gate_table(const GateReport& rep) {
  const std::vector<std::string> head = {"scenario", "metric", "baseline", "current", "change", "status"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : rep.moves) {
    const std::string status = m.fails ? "FAIL: " + m.why : m.why.empty() ? "ok" : "ok, " + m.why;
    rows.push_back({m.scenario, m.metric, m.baseline, m.current, m.change, status});
  }
  std::vector<size_t> w(head.size());
  for (size_t i = 0; i < head.size(); ++i) w[i] = head[i].size();
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
  std::ostringstream os;
  auto line = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      os << r[i];
      if (i + 1 < r.size()) os << std::string(w[i] - r[i].size() + 2, ' ');
    }
    os << "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
  return os.str();
}

}  // namespace mdsim::run
