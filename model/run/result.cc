#include "model/run/result.h"

#include <algorithm>
#include <cstdint>

#include "sim/trace.h"

namespace mdsim::run {

double Result::meta_writes_per_user_write() const {
  return user_writes == 0 ? 0.0 : static_cast<double>(meta_writes) / static_cast<double>(user_writes);
}

double Result::iops_sim() const {
  // Reporting only (outside simulated logic): doubles are fine here.
  const int64_t t = workload_time_ns > 0 ? workload_time_ns : sim_time_ns;
  return t <= 0 ? 0.0 : static_cast<double>(user_writes) * 1e9 / static_cast<double>(t);
}

bool Result::passed() const {
  for (const auto& [name, c] : checks)
    if (!c.held) return false;
  return true;
}

std::string Result::first_failed_check() const {
  for (const auto& [name, c] : checks)
    if (!c.held) return name;
  return {};
}

void set_write_latency(Result& r, const sim::LatencyHistogram& h) {
  auto ns = [](uint64_t v) { return static_cast<int64_t>(std::min<uint64_t>(v, INT64_MAX)); };
  r.write_lat_ns_p50 = ns(h.percentile_ppm_ns(500'000));
  r.write_lat_ns_p90 = ns(h.percentile_ppm_ns(900'000));
  r.write_lat_ns_p99 = ns(h.percentile_ppm_ns(990'000));
  r.write_lat_ns_p999 = ns(h.percentile_ppm_ns(999'000));
  r.write_lat_ns_max = ns(h.max_ns());
  r.write_lat_cdf = h.cdf();
}

nlohmann::json to_json(const Result& r) {
  nlohmann::json j = nlohmann::json::object();
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["trace_hash"] = sim::hash_hex(r.trace_hash);
  j["events"] = r.events;
  j["sim_time_ns"] = r.sim_time_ns;
  j["user_writes"] = r.user_writes;
  j["user_write_bytes"] = r.user_write_bytes;
  j["data_writes"] = r.data_writes;
  j["meta_writes"] = r.meta_writes;
  j["meta_write_bytes"] = r.meta_write_bytes;
  j["flushes"] = r.flushes;
  j["meta_writes_per_user_write"] = r.meta_writes_per_user_write();
  j["write_lat_ns_p50"] = r.write_lat_ns_p50;
  j["write_lat_ns_p99"] = r.write_lat_ns_p99;
  j["write_lat_ns_p90"] = r.write_lat_ns_p90;
  j["write_lat_ns_p999"] = r.write_lat_ns_p999;
  j["write_lat_ns_max"] = r.write_lat_ns_max;
  nlohmann::json cdf = nlohmann::json::array();
  for (const auto& p : r.write_lat_cdf) cdf.push_back({p.latency_ns, p.fraction});
  j["write_lat_cdf"] = cdf;
  j["iops_sim"] = r.iops_sim();
  j["crash_points_checked"] = r.crash_points_checked;
  j["inconsistent_chunks"] = r.inconsistent_chunks;
  j["resync_sectors"] = r.resync_sectors;
  j["workload_time_ns"] = r.workload_time_ns;
  j["crash_states_checked"] = r.crash_states_checked;
  j["crash_state_failures"] = r.crash_state_failures;
  nlohmann::json checks = nlohmann::json::object();
  for (const auto& [name, c] : r.checks) checks[name] = {{"held", c.held}, {"detail", c.detail}};
  j["checks"] = checks;
  j["verdict"] = r.verdict();
  return j;
}

}  // namespace mdsim::run
