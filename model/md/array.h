// The public face of one md array: what the scenario runner, the workload
// generator, the CLI and the verification harness drive. Everything behind it
// (md core, raid1, intent backends) lives in md_array.h and friends.
//
// Lifecycle, as mdadm and md do it:
//   Array::create(...)    mdadm --create: superblock + intent area on every
//                         member, then the array runs (initial resync unless
//                         assume_clean).
//   Array::assemble(...)  mdadm --assemble: FROM THE DISKS ONLY. Reads the
//                         superblocks, picks the freshest by events, loads the
//                         intent record from an In_sync member and decides:
//                         nothing / intent-driven resync / full resync /
//                         recovery, or refuses (see AssembleDecision).
//   array.stop()          clean shutdown (intent flush, "clean" superblock).
//
// These three step the Simulator until their metadata IO is done (they are for
// the top level of a scenario, not for use inside a simulated process).
//
// User data stamps (the oracle decodes them): every user write gets a unique
// write id (>= 1). Sector i of the write (0-based, i < 2^20) holds the content
// word  stamp(write_id, i) = (write_id << 20) | i,  never 0. Discarded or never
// written sectors read back 0.
//
// Submission calls: submit_batch() is ONE submission call (fio's
// iodepth_batch_submit, one io_submit). Mainline 7.2 behaviour, modelled:
//  - fs/aio.c only starts a block plug when a call carries more than
//    AIO_PLUG_THRESHOLD (2) iocbs; then all the call's member bios share the plug
//    and one intent unplug at blk_finish_plug (or earlier: 32 x copies bios, or
//    when the submitter sleeps, which hands the bios to raid1d).
//  - without a plug, raid1_add_bio_to_plug() returns false and every member bio
//    goes to conf->pending_bio_list and wakes raid1d. raid1d's
//    flush_pending_writes() takes the whole list, runs the intent unplug and
//    waits for it, then submits. Bios queued while that metadata write is in
//    flight share the NEXT unplug: that is why concurrent writers share bitmap
//    writes on 7.2 even with one IO per submission.
//  - with the `none` backend (bitmap_ops->enabled false) bios are submitted
//    directly, never plugged.
// See docs/engine-raid1.md.
//
// Invariants:
//  (1) a user write is acknowledged only after its data is on (the cache of)
//      every In_sync non-write-behind mirror that did not fail;
//  (2) with the online check on, every member data write is submitted only when
//      the intent on that member's media covers it (else a violation is
//      recorded and, if fatal_intent_violation, SIM_ASSERT fails).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/disk/disk.h"
#include "model/md/intent_backend.h"
#include "model/md/mutants.h"
#include "sim/latency_histogram.h"
#include "sim/simulator.h"

namespace mdsim::md {

inline constexpr int kStampOffsetBits = 20;
inline constexpr uint64_t kStampOffsetMask = (1ull << kStampOffsetBits) - 1;
inline constexpr uint64_t kMaxSectorsPerUserIo = 1ull << kStampOffsetBits;
// REQUIRES: write_id >= 1, offset_in_write < 2^20.
constexpr uint64_t stamp(uint64_t write_id, uint64_t offset_in_write) {
  return (write_id << kStampOffsetBits) | offset_in_write;
}
constexpr uint64_t stamp_write_id(uint64_t word) { return word >> kStampOffsetBits; }
constexpr uint64_t stamp_offset(uint64_t word) { return word & kStampOffsetMask; }

// MaxSector: "no resync pending" in resync_offset / recovery_offset.
inline constexpr Sector kMaxSector = Sector::max();

struct ArrayConfig {
  int level = 1;
  int raid_disks = 2;
  // [raid: added] raid10 / raid5 geometry (raid_geometry.h). chunk_sectors
  // 0 = 1024 (mdadm's 512 KiB); layout 0 = level default (raid10 near-2
  // 0x102, raid5 left-symmetric 2), md's superblock encoding.
  uint32_t chunk_sectors = 0;
  uint32_t layout = 0;
  // raid5 stripe cache entries (stripe_cache_size, default 256).
  uint32_t stripe_cache_size = 256;
  // Space used on each member (mdadm --size). 0 = all that fits after data_offset.
  SectorCount member_data_size;
  IntentOptions intent;
  bool assume_clean = false;
  std::vector<bool> write_mostly;      // per member (empty = none)
  std::array<uint8_t, 16> uuid{};      // all zero = derived from the seed
  int64_t safemode_delay_ms = 200;     // DEFAULT_SAFEMODE_DELAY
  uint64_t sync_speed_min_kib_s = 1'000;    // /proc/sys/dev/raid/speed_limit_min
  uint64_t sync_speed_max_kib_s = 200'000;  // speed_limit_max
  uint32_t max_corrected_read_errors = 20;  // MD_DEFAULT_MAX_CORRECTED_READ_ERRORS
  // Online intent-before-data check (always on in tests).
  bool check_intent_before_data = true;
  bool fatal_intent_violation = true;
  // Plug rule for submit(): start a plug when a call has more than this many
  // IOs (fs/aio.c AIO_PLUG_THRESHOLD). A file system's writeback always plugs:
  // pass SubmitOptions::plug explicitly for that.
  uint32_t plug_threshold = 2;
  // Deliberate bugs for the harness's mutant campaign (model/md/mutants.h);
  // a run-time knob: assembly keeps the caller's set. Empty in production.
  MutantSet mutants{};
};

enum class UserOp : uint8_t { write, read, discard, flush };

struct UserIo {
  UserOp op = UserOp::write;
  Sector sector;        // array sector
  SectorCount count;    // 0 for flush
  uint64_t write_id = 0;  // writes: 0 = assigned by the array (returned in the result)
  uint64_t tag = 0;       // caller's own cookie, echoed back
  // Writes only (REQUIRES: false for other ops). REQ_FUA: every member copy
  // is written FUA, so the write is on media when acknowledged. REQ_PREFLUSH:
  // md_flush_request flushes every member first (writes acknowledged before
  // this one was submitted become durable), then the write proceeds.
  bool fua = false;
  bool preflush = false;
};

struct UserResult {
  bool ok = true;
  uint64_t write_id = 0;
  uint64_t tag = 0;
  std::vector<uint64_t> words;  // reads: one content word per sector
  sim::Instant submitted;
  sim::Instant completed;
};
using UserDone = std::function<void(const UserIo&, const UserResult&)>;

struct SubmitOptions {
  int plug = -1;  // -1: rule from ArrayConfig::plug_threshold; 0 no plug; 1 plug
};

enum class SyncAction : uint8_t { idle, resync, recover, check, repair };
const char* sync_action_name(SyncAction a);

enum class AssembleDecision : uint8_t {
  nothing,          // clean, all members current
  intent_resync,    // unclean; the intent record limits the resync
  full_resync,      // unclean and no usable intent record
  recovery,         // a member is recovering (re-added or new)
  refused,          // md would not start it (see detail)
};
const char* assemble_decision_name(AssembleDecision d);

struct MemberState {
  int raid_disk = -1;     // -1: spare / not in the array
  bool in_sync = false;
  bool faulty = false;
  bool write_mostly = false;
  bool write_error_seen = false;
  Sector recovery_offset;  // kMaxSector when in sync
  uint64_t sb_events = 0;  // what its superblock said at assembly
  uint64_t bad_blocks = 0;
  uint32_t corrected_read_errors = 0;
};

struct IoTally {
  uint64_t requests = 0;
  uint64_t bytes = 0;
};

struct ArrayCounters {
  // Member requests summed over members, by disk::IoClass.
  std::array<IoTally, disk::kIoClassCount> member_writes{};
  std::array<IoTally, disk::kIoClassCount> member_reads{};
  uint64_t member_flushes = 0;   // empty flush requests sent by md
  uint64_t user_writes = 0;
  uint64_t user_write_bytes = 0;
  uint64_t user_reads = 0;
  uint64_t user_discards = 0;
  uint64_t user_flushes = 0;
  uint64_t user_errors = 0;
  uint64_t sb_rounds = 0;        // md_update_sb calls that wrote superblocks
  uint64_t intent_unplugs = 0;   // unplug calls (plug flushes)
  uint64_t resync_sectors = 0;   // sectors read for resync/recovery/check
  uint64_t mismatch_sectors = 0; // check/repair (resync_mismatches)
  uint64_t corrected_read_errors = 0;
  uint64_t intent_violations = 0;
  // Acknowledged user writes, submission to completion: a bounded histogram
  // (memory grows with the latency range seen, never with the write count).
  sim::LatencyHistogram write_latency;
};

// A small text table of the per-class member IO counts (requests and bytes,
// summed over members) plus the user counts; what `mdsim run` prints.
std::string format_counters(const ArrayCounters& c);

// Observation of every member data write at submission (online checks).
struct DataWriteEvent {
  int member = 0;
  Sector member_offset;   // intent space (sector relative to data_offset)
  SectorCount count;
  disk::IoClass io_class = disk::IoClass::data;
  bool intent_covered = true;
  sim::Instant at;
};
using DataWriteHook = std::function<void(const DataWriteEvent&)>;
// Observation of every member request at submission (tests: exact IO order).
using MemberIoHook = std::function<void(int member, const disk::IoRequest&)>;

struct AssembleOptions {
  ArrayConfig runtime;    // only the run-time knobs are used (check, speed, plug)
  bool force = false;     // mdadm --force: start even where md would refuse
};

class Mddev;  // md core (md_array.h)

class Array {
 public:
  // REQUIRES: disks.size() == config.raid_disks, fresh (zeroed) disks.
  static std::unique_ptr<Array> create(sim::Simulator& sim, std::vector<disk::Disk*> disks,
                                       const ArrayConfig& config);
  struct Assembled {
    std::unique_ptr<Array> array;   // null when refused
    AssembleDecision decision = AssembleDecision::refused;
    std::string detail;
  };
  static Assembled assemble(sim::Simulator& sim, std::vector<disk::Disk*> disks,
                            const AssembleOptions& options);
  ~Array();
  Array(const Array&) = delete;
  Array& operator=(const Array&) = delete;

  // Clean shutdown: waits for user IO and sync to finish (sync is interrupted
  // and checkpointed), flushes the intent record, writes the clean superblock.
  void stop();

  // --- user IO -------------------------------------------------------------
  // One submission call. done runs once per IO, from a simulator event.
  void submit(UserIo io, UserDone done);
  void submit_batch(std::vector<UserIo> ios, UserDone done, SubmitOptions opts = {});
  uint64_t next_write_id() const;
  SectorCount capacity() const;  // array sectors

  // --- management ------------------------------------------------------------
  void fail_member(int member);        // mdadm --fail (md_error)
  // mdadm --remove (REQUIRES: faulty or spare). False (EBUSY) while write
  // bios chosen for the member are still queued; nothing changes then.
  bool remove_member(int member);
  // mdadm --re-add: the disk keeps its old superblock; partial recovery when the
  // intent record allows it, else full recovery. Returns false if refused.
  bool re_add_member(int member);
  void start_sync_action(SyncAction action);  // resync / check / repair
  SyncAction sync_action() const;
  bool idle() const;             // no user IO in flight, no sync running or needed
  void wait_idle();              // steps the simulator until idle()
  void wait_sync_done();         // steps until no sync runs or is needed

  // --- inspection ------------------------------------------------------------
  const ArrayCounters& counters() const;
  std::vector<MemberState> members() const;
  uint64_t events() const;
  bool clean() const;            // in_sync: the superblock says clean
  Sector resync_offset() const;  // recovery_cp
  bool broken() const;           // MD_BROKEN (last member failed)
  // MD_SB_CHANGE_PENDING: a superblock change (e.g. a member's failure) is
  // not yet on the members' media.
  bool sb_change_pending() const;
  // Non-empty when assembly found two members tied on events whose role
  // tables disagree (md's events rollback window, docs/verification.md F25).
  const std::string& assembly_conflict() const;
  Sector data_offset() const;    // on every member (sectors)
  IntentBackend& intent();
  const IntentBackend& intent() const;
  void set_data_write_hook(DataWriteHook hook);
  void set_member_io_hook(MemberIoHook hook);

  Mddev& core() { return *md_; }

 private:
  explicit Array(std::unique_ptr<Mddev> md);
  std::unique_ptr<Mddev> md_;
};

}  // namespace mdsim::md
