// One fio-like job: fio's key names, meanings and defaults, for the subset of
// fio that matters to md (docs/workload.md lists every key and each difference
// from fio).
//
// A JobSpec is built from defaults, then keys are applied one at a time with
// apply_job_key() (by the fio job-file reader and the JSON/Python loaders, so
// the three agree), then validate_job() checks it. Sizes are bytes, times are
// sim::Duration; distribution parameters are fixed-point (millionths) so that
// no floating point enters simulated behaviour.
//
// Invariants (after validate_job):
//  (1) 512 <= bs_min_bytes <= bs_max_bytes, both multiples of 512;
//  (2) 1 <= iodepth <= kIodepthMax, 1 <= numjobs <= kNumjobsMax;
//  (3) rwmixread <= 100; time_based implies runtime > 0;
//  (4) the distribution parameter is in its documented range.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/workload/iolog.h"
#include "model/workload/units.h"
#include "sim/time.h"

namespace mdsim::workload {

inline constexpr uint32_t kIodepthMax = 4096;
inline constexpr uint32_t kNumjobsMax = 256;
inline constexpr uint64_t kMicroUnit = 1'000'000;  // fixed-point scale of distribution params

// fio's rw= values (readwrite is an alias of rw).
enum class RwMode : uint8_t {
  read, write, trim, randread, randwrite, randtrim, readwrite, randrw, trimwrite, randtrimwrite
};
const char* rw_mode_name(RwMode m);
bool rw_is_random(RwMode m);

// fio's random_distribution= values (random is fio's name for uniform).
enum class DistributionKind : uint8_t { uniform, zipf, pareto, normal };
const char* distribution_name(DistributionKind k);

struct RandomDistribution {
  DistributionKind kind = DistributionKind::uniform;
  // zipf: theta (> 0); pareto: h (0 < h < 1); normal: deviation in percent of the
  // region (0 < dev <= 100). In millionths: zipf:1.2 => 1'200'000.
  uint64_t param_micro = 0;
};

// A byte amount or a percentage of the target (fio accepts size=50%, offset=10%).
struct SizeSpec {
  uint64_t bytes = 0;
  std::optional<uint32_t> percent;  // when set, bytes is ignored
  // Resolves against the target's size in bytes, rounded down to 512 bytes.
  uint64_t resolve_bytes(uint64_t target_bytes) const;
};

struct JobSpec {
  std::string name = "job";
  RwMode rw = RwMode::read;                 // fio default: read
  uint32_t rwmixread = 50;                  // percent of reads in rw/randrw
  uint64_t bs_min_bytes = 4096;             // bs= sets both; bsrange=lo-hi sets a range
  uint64_t bs_max_bytes = 4096;
  uint32_t iodepth = 1;
  // IOs per submission call (one plug). 0 means iodepth, as in fio. Default 1:
  // each IO is submitted as soon as it is generated.
  uint32_t iodepth_batch_submit = 1;
  // When the queue is full, wait for at least this many completions (fio: 1).
  uint32_t iodepth_batch_complete_min = 1;
  uint32_t numjobs = 1;
  sim::Duration startdelay;                 // bare number: seconds
  SizeSpec offset;                          // start of the region
  uint64_t offset_increment_bytes = 0;      // clone i starts at offset + i * increment
  std::optional<SizeSpec> size;             // region length; default: to the end of the target
  std::optional<uint64_t> io_size_bytes;    // bytes to transfer; default: size
  uint64_t number_ios = 0;                  // 0: no IO-count limit
  sim::Duration runtime;                    // 0: unlimited; bare number: seconds
  bool time_based = false;                  // keep going until runtime even past io_size
  RandomDistribution random_distribution;
  sim::Duration thinktime;                  // bare number: microseconds
  uint32_t thinktime_blocks = 1;
  sim::Duration thinktime_spin;             // accepted; part of thinktime (see docs)
  uint64_t fsync_blocks = 0;                // fsync=N: flush after every N writes
  uint64_t fdatasync_blocks = 0;            // fdatasync=N: same on a block device
  bool end_fsync = false;                   // flush once when the job's IOs are done
  bool sync_writes = false;                 // sync=1/dsync: writes carry FUA
  bool sync_engine = false;                 // ioengine=psync/sync/...: depth is 1
  std::string ioengine = "libaio";
  // read_iolog=FILE: replay this fio iolog v2 instead of generating IOs (rw, bs,
  // offset, size, io_size and random_distribution are then unused).
  std::shared_ptr<const Iolog> read_iolog;

  // Batch size in effect: iodepth_batch_submit, with 0 meaning iodepth, capped at
  // the effective depth.
  uint32_t effective_batch() const;
  // Depth in effect: 1 for synchronous engines, else iodepth.
  uint32_t effective_iodepth() const;
};

enum class KeyStatus : uint8_t { applied, ignored, unsupported, bad_value };
struct KeyResult {
  KeyStatus status = KeyStatus::applied;
  std::string message;  // for unsupported / bad_value
};

// Applies one fio key=value to `job`. Keys are case-insensitive; '-' and '_'
// are not interchangeable (fio spells them with '_').
KeyResult apply_job_key(JobSpec& job, std::string_view key, std::string_view value,
                        SizeUnits units);

// Throws WorkloadError with a clear message if the job is invalid.
void validate_job(const JobSpec& job);

// A workload object (scenario JSON, Python dict): fio keys, values as strings
// ("4KiB", "randwrite"), integers or booleans. "ios" is accepted as an alias of
// number_ios. Throws WorkloadError naming `where` and the key on any bad or
// unsupported key. The result is validated.
JobSpec job_from_json(const nlohmann::json& obj, std::string_view where);

// The fio keys this reader understands (documented in docs/workload.md).
const std::vector<std::string>& supported_job_keys();

}  // namespace mdsim::workload
