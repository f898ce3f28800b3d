// The result object of one run (design.md §5: names and units are a contract;
// CI, notebooks and the Python module read them). Extra fields may be added,
// never renamed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/latency_histogram.h"

namespace mdsim::run {

struct CheckOutcome {
  bool held = true;
  std::string detail;
};

struct Result {
  std::string scenario;                 // scenario name
  uint64_t seed = 0;
  uint64_t trace_hash = 0;              // printed as 16 hex digits
  uint64_t events = 0;                  // trace events recorded
  int64_t sim_time_ns = 0;
  uint64_t user_writes = 0;
  uint64_t user_write_bytes = 0;
  uint64_t data_writes = 0;             // member data write requests, summed over members
  uint64_t meta_writes = 0;             // member metadata write requests (intent + superblock)
  uint64_t meta_write_bytes = 0;
  uint64_t flushes = 0;
  // Write latency of the acknowledged user writes (before any crash), all
  // from one bounded-error histogram (relative error <= 1/256; max exact).
  int64_t write_lat_ns_p50 = 0;
  int64_t write_lat_ns_p99 = 0;
  int64_t write_lat_ns_p90 = 0;         // extra
  int64_t write_lat_ns_p999 = 0;        // extra: p99.9
  int64_t write_lat_ns_max = 0;         // extra
  // extra: the CDF, at most LatencyHistogram::kCdfPointsMax points; JSON
  // "write_lat_cdf": [[latency_ns, fraction of writes <= latency_ns], ...].
  std::vector<sim::LatencyHistogram::CdfPoint> write_lat_cdf;
  uint64_t crash_points_checked = 0;
  uint64_t inconsistent_chunks = 0;
  uint64_t resync_sectors = 0;
  int64_t workload_time_ns = 0;         // extra: time from workload start to its end or the crash
  // md::format_counters of the pre-crash array: the human summary prints it;
  // not part of the JSON object (the contract's numbers are above).
  std::string member_io_table;
  // extra: crash states checked (a run: one per power loss; an exploration:
  // every persisted-subset choice at every crash point) and how many failed.
  uint64_t crash_states_checked = 0;
  uint64_t crash_state_failures = 0;
  std::map<std::string, CheckOutcome> checks;  // sorted by name: stable output

  // Derived, as the contract defines them.
  double meta_writes_per_user_write() const;
  double iops_sim() const;              // user writes per simulated second of the workload phase
  bool passed() const;                  // every check held
  std::string verdict() const { return passed() ? "pass" : "fail"; }
  // Name of the first failed check (by name order), or "".
  std::string first_failed_check() const;
};

// Fills every write_lat_* field of r from h.
void set_write_latency(Result& r, const sim::LatencyHistogram& h);

nlohmann::json to_json(const Result& r);

}  // namespace mdsim::run
