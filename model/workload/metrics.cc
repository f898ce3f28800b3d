#include "model/workload/metrics.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace mdsim::workload {
namespace {

template <class T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

void min_into(std::optional<int64_t>& into, const std::optional<int64_t>& v) {
  if (v && (!into || *v < *into)) into = v;
}
void max_into(std::optional<int64_t>& into, const std::optional<int64_t>& v) {
  if (v && (!into || *v > *into)) into = v;
}

void latency_json(nlohmann::json& j, const char* prefix, const sim::LatencyHistogram& h) {
  const std::string p(prefix);
  j[p + "_p50"] = h.percentile_ppm_ns(500'000);
  j[p + "_p90"] = h.percentile_ppm_ns(900'000);
  j[p + "_p99"] = h.percentile_ppm_ns(990'000);
  j[p + "_p999"] = h.percentile_ppm_ns(999'000);
  j[p + "_max"] = h.max_ns();
  j[p + "_mean"] = h.mean_ns();
}

}  // namespace

uint64_t RunMetrics::user_ios_completed() const {
  return user_reads_completed + user_writes_completed + user_discards_completed;
}

int64_t RunMetrics::workload_time_ns() const {
  if (!first_submit_ns || !last_completion_ns) return 0;
  return std::max<int64_t>(*last_completion_ns - *first_submit_ns, 0);
}

double RunMetrics::meta_writes_per_user_write() const {
  return user_writes ? static_cast<double>(meta_writes) / static_cast<double>(user_writes) : 0.0;
}

double RunMetrics::iops_sim() const {
  const int64_t t = workload_time_ns();
  return t > 0 ? static_cast<double>(user_ios_completed()) * 1e9 / static_cast<double>(t) : 0.0;
}

double RunMetrics::bandwidth_bytes_per_s() const {
  const int64_t t = workload_time_ns();
  return t > 0 ? static_cast<double>(user_completed_bytes) * 1e9 / static_cast<double>(t) : 0.0;
}

void RunMetrics::merge_user_side(const RunMetrics& o) {
  user_reads += o.user_reads;
  user_read_bytes += o.user_read_bytes;
  user_writes += o.user_writes;
  user_write_bytes += o.user_write_bytes;
  user_discards += o.user_discards;
  user_discard_bytes += o.user_discard_bytes;
  user_flushes += o.user_flushes;
  user_fua_writes += o.user_fua_writes;
  user_reads_completed += o.user_reads_completed;
  user_writes_completed += o.user_writes_completed;
  user_discards_completed += o.user_discards_completed;
  user_flushes_completed += o.user_flushes_completed;
  user_io_errors += o.user_io_errors;
  user_completed_bytes += o.user_completed_bytes;
  submit_calls += o.submit_calls;
  write_lat.merge(o.write_lat);
  read_lat.merge(o.read_lat);
  discard_lat.merge(o.discard_lat);
  flush_lat.merge(o.flush_lat);
  min_into(first_submit_ns, o.first_submit_ns);
  max_into(last_completion_ns, o.last_completion_ns);
  max_into(last_write_completion_ns, o.last_write_completion_ns);
}

nlohmann::json RunMetrics::to_json() const {
  nlohmann::json j;
  j["user_reads"] = user_reads;
  j["user_read_bytes"] = user_read_bytes;
  j["user_writes"] = user_writes;
  j["user_write_bytes"] = user_write_bytes;
  j["user_discards"] = user_discards;
  j["user_discard_bytes"] = user_discard_bytes;
  j["user_flushes"] = user_flushes;
  j["user_fua_writes"] = user_fua_writes;
  j["user_writes_completed"] = user_writes_completed;
  j["user_io_errors"] = user_io_errors;
  j["submit_calls"] = submit_calls;
  j["data_writes"] = data_writes;
  j["meta_writes"] = meta_writes;
  j["meta_write_bytes"] = meta_write_bytes;
  j["intent_writes"] = intent_writes;
  j["intent_write_bytes"] = intent_write_bytes;
  j["superblock_writes"] = superblock_writes;
  j["superblock_write_bytes"] = superblock_write_bytes;
  j["flushes"] = flushes;
  j["meta_writes_per_user_write"] = meta_writes_per_user_write();
  latency_json(j, "write_lat_ns", write_lat);
  latency_json(j, "read_lat_ns", read_lat);
  j["iops_sim"] = iops_sim();
  j["bandwidth_bytes_per_s_sim"] = bandwidth_bytes_per_s();
  j["workload_time_ns"] = workload_time_ns();
  j["resync_sectors"] = resync_sectors;
  j["resync_time_ns"] = opt(resync_time_ns);
  j["intent_clean_time_ns"] = opt(intent_clean_time_ns);
  return j;
}

}  // namespace mdsim::workload
