#include "model/run/result.h"

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
