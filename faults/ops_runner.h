// Executes an ops list (faults/ops.h) against a simulated array and checks the
// properties of design.md section 4 at every power loss and at the end.
//
// One OpsRunner owns a "world" (Simulator + member disks + md Array) at a time.
// A power_loss op captures every disk's crash layers, picks the persisted
// subset from the op's `choice` seed (faults crash model), builds post-crash
// images, and assembles a FRESH world from those images only. The Oracle
// (what the user wrote) outlives worlds: it is the user's view.
//
// Checks, in order:
//  - at each crash: durability and coverage on the post-crash images, against
//    the intent the freshly assembled array loaded;
//  - during the whole run: intent-before-data (the engine's data-write hook);
//  - at the end: the run settles (user IO completes, resync finishes), then
//    convergence; liveness (intent clean after daemon passes) when no fault op
//    ran since the last crash and every member is in sync;
//  - an engine assertion (SIM_ASSERT) is reported as property engine_assertion.
//
// Outcomes md itself gives, not failures: assembly refused after a crash
// (e.g. raid5 dirty and degraded), on raid5 a member lost while the
// post-crash resync is still owed (the write hole), two members tied on
// events with disagreeing role tables (F25), and llbitmap's one-copy window
// (F31). Each ends the run with the reason in RunOutcome::refused /
// write_hole / events_tie / intent_window.
//
// Write ids are assigned by the runner (unique across worlds), so stamps of
// writes made after a crash never collide with older ones.
//
// Invariants: the same setup and ops give the same outcome (determinism), so a
// failing list replays bit for bit; memory grows with sectors written.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "faults/checks.h"
#include "faults/intent_window.h"
#include "faults/ops.h"
#include "faults/oracle.h"

namespace mdsim::sim {
class Simulator;
}
namespace mdsim::disk {
class Disk;
class DiskImage;
}
namespace mdsim::md {
class Array;
}

namespace mdsim::faults {

struct World;

struct RunOptions {
  int64_t settle_limit_ns = 300'000'000'000;  // simulated time allowed to settle
  uint64_t event_limit = 20'000'000;          // per settle phase
  bool record_trace = false;                  // keep trace events (failure reports)
  bool final_checks = true;                   // settle + convergence + liveness at the end
};

// Everything a developer needs to act on one failure.
struct FailureReport {
  std::string property;
  std::string detail;
  uint64_t chunk = 0;
  uint64_t chunk_sectors = 0;
  std::vector<uint64_t> sectors;
  std::vector<uint64_t> member_words;        // per member at sectors.front()
  std::vector<std::string> member_intent;    // describe_media per member
  std::vector<std::string> recent_events;    // ops and trace events touching the chunk
  size_t failing_op = 0;                     // index of the op after which it failed
  uint64_t seed = 0;
  std::string scenario_path;                 // set once saved
  std::string replay_command() const;
  std::string text() const;
};

struct RunOutcome {
  bool failed = false;
  std::optional<FailureReport> failure;
  size_t ops_executed = 0;
  uint64_t crashes = 0;
  uint64_t writes_checked_online = 0;
  Efficiency efficiency;      // summed over crashes
  uint64_t events = 0;        // simulator events over all worlds
  // Non-empty when md refused to assemble after a power loss (its reason,
  // e.g. "cannot start dirty degraded array"): the run ends there, passing.
  std::string refused;
  // Non-empty when a raid5 run lost a member while the post-crash resync was
  // still owed, or crashed with a write in flight to a row holding a bad
  // block (the write hole on a degraded stripe, L12): the run ends there,
  // passing.
  std::string write_hole;
  // Non-empty when a power loss left two members tied on events with role
  // tables that disagree (md's events rollback window, F25): the assembly
  // may trust the stale member, in md too. The run ends there, passing.
  std::string events_tie;
  // Non-empty when a power loss left chunks that only llbitmap's one-copy
  // window explains: md loads a copy saying Clean while another member's copy
  // marks the chunk and that member lost the data from its cache (F31,
  // faults/intent_window.h). md leaves them unsynced; the run ends, passing.
  std::string intent_window;
};

class OpsRunner {
 public:
  explicit OpsRunner(OpsSetup setup, RunOptions options = {});
  ~OpsRunner();
  OpsRunner(const OpsRunner&) = delete;
  OpsRunner& operator=(const OpsRunner&) = delete;

  // Runs the whole list. REQUIRES: called once per runner.
  RunOutcome run(std::span<const Op> ops);

  // For the crash explorer: step hook called after every simulator event of
  // the live world (not during post-crash assembly).
  using StepHook = std::function<void(OpsRunner&)>;
  void set_step_hook(StepHook hook) { step_hook_ = std::move(hook); }

  // Live world inspection (valid while run() executes, e.g. from the hook).
  sim::Simulator& simulator();
  md::Array* array();
  const std::vector<std::unique_ptr<disk::Disk>>& disks() const;
  const Oracle& oracle() const { return oracle_; }
  const OpsSetup& setup() const { return setup_; }
  uint64_t user_io_in_flight() const { return in_flight_.size(); }

 private:
  void build_world();
  void install_hook();
  void build_world_from(std::vector<disk::DiskImage> images, const DroppedIntent& dropped);
  void execute(std::span<const Op> ops, size_t& i);
  void submit_writes(std::span<const Op> ops, size_t& i);
  void submit_discard(const Op& op);
  void wait_no_overlap(uint64_t start, uint64_t n);
  void user_io_done(uint64_t oracle_id, bool ok);
  void submit_flush();
  void flush_done(uint64_t flush_id);
  // A member is Faulty and the superblock round recording it has not completed.
  bool failure_unrecorded();
  void settle_deferred_flushes();
  void step_until(int64_t deadline_ns, const std::function<bool()>& done);
  void power_loss(uint64_t choice);
  void management(const Op& op);
  void final_checks();
  void fail(const CheckResult& r);
  void note_fault() { faults_since_crash_ = true; }
  void watch_write_hole();
  bool write_in_flight_to_bad_stripe();

  OpsSetup setup_;
  RunOptions options_;
  Oracle oracle_;
  IntentBeforeDataMonitor online_;
  std::unique_ptr<World> world_;
  StepHook step_hook_;
  RunOutcome outcome_;
  std::span<const Op> ops_;
  size_t current_op_ = 0;
  uint64_t next_write_id_ = 1;
  uint64_t next_flush_id_ = 1;
  uint64_t worlds_built_ = 0;
  bool dead_ = false;            // the array could not be assembled / broke
  bool faults_since_crash_ = false;
  // A recovery ran since the last crash (the assembly found a member
  // rebuilding, or a re-add): the intent need not become clean (F5; raid10's
  // recovery visits only the recovering member's copy sets).
  bool recovery_since_crash_ = false;
  bool resync_owed_ = false;     // raid5: an unclean assembly's resync not yet done
  uint32_t max_slow_factor_ = 1;  // largest slow_disk factor in force in this world
  Sector loaded_checkpoint_ = Sector::max();  // resync_offset the last assembly loaded
  // User writes/discards in flight: oracle id and array sector range.
  struct InFlight {
    uint64_t id;
    uint64_t start;
    uint64_t end;
    bool fua = false;          // write with REQ_FUA
    uint64_t preflush_id = 0;  // write with REQ_PREFLUSH: its flush's oracle id
  };
  std::vector<InFlight> in_flight_;
  // Flushes md acknowledged while a member's failure was not yet on the
  // superblocks (F16): durable only once that superblock round completes.
  std::vector<uint64_t> deferred_flushes_;
};

}  // namespace mdsim::faults
