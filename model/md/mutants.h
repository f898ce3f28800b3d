// Named, deliberately injected bugs ("mutants") that prove the verification
// harness has teeth: for every mutant the property suites must find a failing
// case (see faults/mutant_campaign.h and reports/mutants.md).
//
// The mechanism is a small value type carried in the array configuration: no
// globals, so many simulations with different mutants run in one process. The
// engine asks `mutants.on(Mutant::X)` at the one place X changes behaviour;
// each insertion is one to three lines so it stays out of the engine's way.
//
// Invariants: an empty MutantSet (the default) changes nothing; mutant names are
// unique and stable (they appear in scenario JSON, reports and CLI flags).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdsim::md {

enum class Mutant : uint8_t {
  // --- raid1 write path ---------------------------------------------------
  data_before_unplug,        // data bios submitted before the intent unplug completes
  write_error_ignored,       // a member write error neither fails the member nor records a bad block
  degraded_write_clears,     // a write on a degraded array ends its intent as if all mirrors were written
  skip_second_mirror,        // raid1 writes only the first In_sync mirror
  flush_first_member_only,   // a user flush (PREFLUSH) is sent to the first member only
  // --- classic bitmap -----------------------------------------------------
  metadata_no_fua,           // intent/superblock writes lose PREFLUSH|FUA (sit in the volatile cache)
  daemon_clears_inflight,    // daemon clears a chunk whose write counter is non-zero
  bitmap_set_in_memory_only, // start_write sets the bit in memory; unplug does not write it
  bitmap_load_ignores_dirty, // bitmap_load does not turn on-disk set bits into NEEDED
  readd_skips_recovery,      // a re-added member is marked In_sync at once, without recovery
  // --- md core / resync ---------------------------------------------------
  resync_skips_needed,       // md_do_sync skips chunks the intent marks as needing sync
  end_sync_partial_clean,    // end_sync marks a partly synced chunk clean
  load_from_rebuilding,      // the intent record is loaded from a rebuilding (not In_sync) member
  resync_copies_wrong_way,   // resync/recovery reads from the last writable member, even one not In_sync
  clean_sb_with_writes,      // the superblock is marked clean while writes are pending
  // --- llbitmap -----------------------------------------------------------
  llbitmap_reload_keeps_dirty,       // Reload not applied at load: Dirty stays Dirty (no NeedSync)
  llbitmap_transition_before_barrier,// state transition before the page barrier is raised
  llbitmap_cond_end_sync_partial,    // cond_end_sync ends the chunk holding the resync position
  llbitmap_daemon_ignores_barrier,   // daemon cleans a page without waiting for writes to drain
  // --- journal / ours -----------------------------------------------------
  journal_zero_before_all_mirrors,   // entry zeroed before the data completed on every mirror
  journal_degraded_not_recorded,     // degraded writes do not update the missing set
  journal_recovery_skips_first_slot, // recovery ignores the entries of ring slot 0
  ours_marks_first_chunk_only,       // a write spanning chunks marks only its first chunk
  journal_no_fua,                    // journal slot writes go out without PREFLUSH|FUA
  journal_recovery_skips_last,       // recovery drops the newest entry of the newest slot
  ours_skip_intent_for_overwrite,    // an overwrite of a chunk dirty in memory skips the unplug
  // --- raid5 / raid10 (md-internals 3.8 rows 5 and 25) --------------------
  raid5_fill_ignores_unsynced,       // degraded write to an unsynced llbitmap row finds no block to read: spins
  raid10_still_degraded_inverted,    // raid10 recovery tells start_sync "not degraded" with a slot missing
  count_
};

inline constexpr int kMutantCount = static_cast<int>(Mutant::count_);

// Stable name of a mutant (snake_case, as in the enum).
std::string_view mutant_name(Mutant m);
// One-line description: what realistic bug it models.
std::string_view mutant_description(Mutant m);
// The intent backend a mutant lives in ("any", "bitmap", "llbitmap", "journal", "ours").
std::string_view mutant_backend(Mutant m);
// The raid level whose code path a mutant changes (1 for the shared ones).
int mutant_level(Mutant m);
std::optional<Mutant> mutant_from_name(std::string_view name);
std::vector<Mutant> all_mutants();

// The set of mutants switched on for one array. Cheap to copy (a bit mask).
class MutantSet {
 public:
  MutantSet() = default;
  static MutantSet of(Mutant m) {
    MutantSet s;
    s.set(m);
    return s;
  }
  bool on(Mutant m) const { return (bits_ >> static_cast<unsigned>(m)) & 1u; }
  void set(Mutant m, bool enabled = true) {
    const uint64_t bit = uint64_t{1} << static_cast<unsigned>(m);
    bits_ = enabled ? (bits_ | bit) : (bits_ & ~bit);
  }
  bool empty() const { return bits_ == 0; }
  uint64_t bits() const { return bits_; }
  // Comma-separated names, "" when empty (scenario JSON, reports).
  std::string to_string() const;

 private:
  static_assert(kMutantCount <= 64);
  uint64_t bits_ = 0;
};

}  // namespace mdsim::md
