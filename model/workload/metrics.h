// Per-run metrics with the result contract's names (design.md section 5).
//
// The user side (IOs, bytes, latencies, IOPS, bandwidth) is filled by the
// workload generator; the backend side (member data writes, metadata writes by
// kind, flushes, resync work, time until the intent is clean) is filled by the
// orchestrator from the engine's and disks' counters. to_json() writes both
// with stable names, units last.
//
// Counting rules: user_* counters count IOs when they are submitted (what the
// user asked for, also when a crash cuts the run short); *_completed count
// completions; latencies are recorded at completion (completion instant minus
// the instant of the submission call). iops_sim and bandwidth count completed
// reads, writes and discards (not flushes) over workload_time_ns, the span from
// the first submission to the last completion in simulated time.
//
// Invariants: user_writes_completed <= user_writes (likewise for reads, ...);
// write_lat.count() == user_writes_completed.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "sim/latency_histogram.h"

namespace mdsim::workload {

struct RunMetrics {
  // --- user side (generator) ---------------------------------------------
  uint64_t user_reads = 0;
  uint64_t user_read_bytes = 0;
  uint64_t user_writes = 0;
  uint64_t user_write_bytes = 0;
  uint64_t user_discards = 0;
  uint64_t user_discard_bytes = 0;
  uint64_t user_flushes = 0;
  uint64_t user_fua_writes = 0;
  uint64_t user_reads_completed = 0;
  uint64_t user_writes_completed = 0;
  uint64_t user_discards_completed = 0;
  uint64_t user_flushes_completed = 0;
  uint64_t user_io_errors = 0;             // completions with a status other than ok
  uint64_t user_completed_bytes = 0;       // reads + writes + discards
  uint64_t submit_calls = 0;               // submit_batch() calls (plugs)
  sim::LatencyHistogram write_lat;
  sim::LatencyHistogram read_lat;
  sim::LatencyHistogram discard_lat;
  sim::LatencyHistogram flush_lat;
  std::optional<int64_t> first_submit_ns;
  std::optional<int64_t> last_completion_ns;
  std::optional<int64_t> last_write_completion_ns;

  // --- backend side (orchestrator) ------------------------------------------
  uint64_t data_writes = 0;                // member data write requests, summed over members
  uint64_t meta_writes = 0;                // intent + superblock writes, summed over members
  uint64_t meta_write_bytes = 0;
  uint64_t intent_writes = 0;
  uint64_t intent_write_bytes = 0;
  uint64_t superblock_writes = 0;
  uint64_t superblock_write_bytes = 0;
  uint64_t flushes = 0;                    // member flush requests (incl. FUA emulation)
  uint64_t resync_sectors = 0;             // after a crash
  std::optional<int64_t> resync_time_ns;   // from the start of resync to its end
  std::optional<int64_t> intent_clean_time_ns;  // last user write completion -> intent clean

  // --- derived ------------------------------------------------------------
  uint64_t user_ios_completed() const;     // reads + writes + discards
  int64_t workload_time_ns() const;        // 0 if nothing completed
  double meta_writes_per_user_write() const;
  double iops_sim() const;
  double bandwidth_bytes_per_s() const;

  // Adds `other`'s user side (counters, histograms, time span) into this one.
  void merge_user_side(const RunMetrics& other);
  nlohmann::json to_json() const;
};

}  // namespace mdsim::workload
