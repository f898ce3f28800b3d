// A validated scenario: what to build (array, disks), what to do (workload or an
// explicit op list), what goes wrong (faults), and what must hold (checks).
//
// A Scenario is only ever produced by the loader (loader.h), which refuses any
// document that breaks a rule of scenarios/schema.json or a cross-field rule
// (docs/scenario-format.md). So code that receives a Scenario may rely on:
//
// Invariants:
//  (1) every size is in bytes and a multiple of 512; every time is in ns, >= 0;
//  (2) array.disks is within the level's range; every disk index (members,
//      faults, ops) is < array.disks;
//  (3) chunk sizes are powers of two; a classic bitmap fits mdadm's space;
//  (4) workload or ops (or both) is present;
//  (5) at most one power loss (fault or op) per scenario;
//  (6) `document` is the input as given (plus a --seed override); loading it
//      again gives an equal Scenario. Saved counterexamples and sweeps use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario/defaults.h"

namespace mdsim::scenario {

enum class IntentType : uint8_t { none, bitmap, llbitmap, journal, ours };
const char* intent_type_name(IntentType t);

struct IntentConfig {
  IntentType type = IntentType::bitmap;
  uint64_t chunk_bytes = defaults::kIntentChunkAuto;  // 0 = backend's automatic choice
  uint32_t daemon_sleep_s = defaults::kDaemonSleepS;
  uint32_t barrier_idle_s = defaults::kBarrierIdleS;  // llbitmap only
  uint32_t journal_entries = defaults::kJournalEntries;  // journal / ours only
};

struct ArrayConfig {
  int level = 1;                                       // 1, 10 or 5
  uint32_t disks = 2;
  uint64_t size_bytes = defaults::kArraySizeBytes;     // per member
  bool assume_clean = defaults::kAssumeClean;
  uint64_t chunk_bytes = defaults::kRaidChunkBytes;    // stripe chunk, raid10/raid5
  std::string layout;                                  // "n2" (raid10), "left-symmetric" (raid5), "" (raid1)
  uint32_t safe_mode_delay_ms = defaults::kSafeModeDelayMs;
  IntentConfig intent;

  // Bytes the array exposes to the workload (level, disks, layout, size).
  uint64_t capacity_bytes() const;
  uint32_t copies() const;  // raid10 copies (near x far); 2.. for raid1 = disks; 1 for raid5
};

struct DiskSettings {
  std::string profile = defaults::kDiskProfile;        // ramdisk|nvme|sata_ssd|hdd
  std::string write_cache = defaults::kWriteCache;     // volatile|write_through
  bool fua = defaults::kFuaSupported;
  uint32_t logical_block_bytes = defaults::kLogicalBlockBytes;
  uint32_t queue_depth = defaults::kQueueDepth;
  int64_t destage_delay_ns = defaults::kDestageDelayNs;
  uint32_t slow_factor = 1;                            // per-member override only
};

struct DiskConfig {
  DiskSettings base;
  std::vector<DiskSettings> members;  // size array.disks: base + per-member overrides
};

struct WorkloadConfig {
  std::string rw = defaults::kRw;  // write|randwrite|read|randread|rw|randrw|trim|randtrim
  uint64_t bs_bytes = defaults::kBsBytes;
  uint32_t iodepth = defaults::kIodepth;
  uint32_t iodepth_batch_submit = defaults::kIodepthBatchSubmit;
  uint32_t numjobs = defaults::kNumjobs;
  uint64_t ios = defaults::kIos;                       // per job
  uint32_t rwmixwrite = defaults::kRwmixwrite;
  uint32_t fsync = defaults::kFsync;                   // flush every N writes, 0 = never
  bool sync = false;                                   // fio sync=1: writes carry FUA
  uint64_t offset_bytes = defaults::kOffsetBytes;
  uint64_t size_bytes = defaults::kSizeBytesWholeArray;  // resolved: never 0 after loading
  int64_t runtime_ns = defaults::kRuntimeNsUnlimited;
};

enum class FaultType : uint8_t {
  power_loss, bad_block, write_error, fail_disk, remove_disk, readd_disk, latency_spike, slow_disk
};
const char* fault_type_name(FaultType t);

// How a power loss picks what survives of the volatile caches (design.md §3).
struct PersistChoice {
  std::string mode = defaults::kPersist;  // random|none|all|prefix|explicit
  bool torn = defaults::kTorn;
  // mode == "explicit": per member, indices (completion order) of cached writes kept.
  std::vector<std::vector<uint64_t>> keep;
  // Seed of the persisted-subset choice (ops "choice", as the harness saves
  // counterexamples); absent: derived from the run's seed.
  std::optional<uint64_t> choice;
};

struct Fault {
  FaultType type = FaultType::power_loss;
  std::optional<int64_t> at_ns;         // when (all types; power_loss: this or at_event)
  std::optional<uint64_t> at_event;     // power_loss only: after this many trace events
  int disk = -1;                        // member index, all types but power_loss
  uint64_t sector = 0;                  // bad_block / write_error, member sectors
  uint64_t sectors = 0;
  bool sticky = defaults::kBadBlockSticky;
  int64_t duration_ns = 0;              // latency_spike
  int64_t extra_ns = 0;                 // latency_spike
  uint32_t factor = 1;                  // slow_disk
  PersistChoice persist;                // power_loss
};

enum class OpType : uint8_t {
  write, read, flush, discard, advance, wait, power_loss, fail_disk, remove_disk, readd_disk,
  bad_block, write_error, start_resync, daemon_tick, slow_disk
};
const char* op_type_name(OpType t);

struct Op {
  OpType type = OpType::write;
  uint64_t sector = 0;    // array sectors (write/read/discard); member sectors (bad_block/write_error)
  uint64_t sectors = 0;
  bool fua = false;       // write
  bool preflush = false;  // write
  bool batch = false;     // write: join the previous write's submission call (one plug)
  int64_t ns = 0;         // advance; wait (0 = no limit)
  uint32_t factor = 1;    // slow_disk
  int disk = -1;          // disk ops
  bool sticky = false;    // bad_block
  PersistChoice persist;  // power_loss
};

struct AfterCrash {
  bool assemble = defaults::kAssemble;
  bool resync = defaults::kResync;
  int64_t timeout_ns = defaults::kConvergenceTimeoutNs;
};

struct Limits {
  uint64_t events_max = defaults::kEventsMax;
  int64_t time_ns_max = defaults::kTimeNsMax;
};

struct Expect {
  std::string verdict;                  // "pass" | "fail" | "" (not given)
  std::vector<std::string> failed_checks;
  std::string trace_hash;               // hex, optional
  std::string pending;                  // non-empty: what must land before it can run
};

struct Scenario {
  std::string source;                   // file name or "<string>", for messages
  std::string name;
  std::string description;
  uint64_t seed = defaults::kSeed;
  ArrayConfig array;
  DiskConfig disk;
  std::optional<WorkloadConfig> workload;
  std::vector<Fault> faults;
  std::vector<Op> ops;
  AfterCrash after_crash;
  std::vector<std::string> checks;      // in the order given
  Limits limits;
  Expect expect;
  std::vector<std::string> mutants;     // deliberate engine bugs (model/md/mutants.h), harness use
  nlohmann::json document;              // the input, with any seed override applied

  bool has_power_loss() const;
};

// The property names a scenario may ask for (design.md §4).
const std::vector<std::string>& known_checks();

}  // namespace mdsim::scenario
