#include "model/md/mutants.h"

namespace mdsim::md {

namespace {

struct MutantInfo {
  Mutant id;
  std::string_view name;
  std::string_view backend;
  std::string_view description;
};

// One row per mutant, in enum order (checked by mutants_test).
constexpr std::array<MutantInfo, kMutantCount> kMutants{{
    {Mutant::data_before_unplug, "data_before_unplug", "any",
     "data bios are submitted before the intent unplug completed"},
    {Mutant::write_error_ignored, "write_error_ignored", "any",
     "a member write error is ignored: member stays In_sync, no bad block"},
    {Mutant::degraded_write_clears, "degraded_write_clears", "any",
     "a write on a degraded array does not keep its chunk NEEDED (the daemon clears the bit)"},
    {Mutant::skip_second_mirror, "skip_second_mirror", "any",
     "raid1 writes only the first In_sync mirror"},
    {Mutant::flush_first_member_only, "flush_first_member_only", "any",
     "a user flush (empty PREFLUSH) is sent to the first member only"},
    {Mutant::metadata_no_fua, "metadata_no_fua", "any",
     "intent and superblock writes are sent without PREFLUSH|FUA"},
    {Mutant::daemon_clears_inflight, "daemon_clears_inflight", "bitmap",
     "the bitmap daemon clears a chunk whose write counter is not zero"},
    {Mutant::bitmap_set_in_memory_only, "bitmap_set_in_memory_only", "bitmap",
     "start_write sets the bit in memory but unplug does not write the page"},
    {Mutant::bitmap_load_ignores_dirty, "bitmap_load_ignores_dirty", "bitmap",
     "bitmap_load does not turn set bits on disk into NEEDED chunks"},
    {Mutant::readd_skips_recovery, "readd_skips_recovery", "any",
     "a re-added member is marked In_sync at once, without any recovery"},
    {Mutant::resync_skips_needed, "resync_skips_needed", "any",
     "md_do_sync skips chunks the intent marks as needing sync"},
    {Mutant::end_sync_partial_clean, "end_sync_partial_clean", "any",
     "end_sync marks a partly synced chunk clean"},
    {Mutant::load_from_rebuilding, "load_from_rebuilding", "any",
     "the intent record is read from a rebuilding (not In_sync) member"},
    {Mutant::resync_copies_wrong_way, "resync_copies_wrong_way", "any",
     "resync/recovery reads from the last writable member, even one not In_sync"},
    {Mutant::clean_sb_with_writes, "clean_sb_with_writes", "none",
     "the md superblock is written clean while writes are still pending"},
    {Mutant::llbitmap_reload_keeps_dirty, "llbitmap_reload_keeps_dirty", "llbitmap",
     "the Reload action is not applied at load: Dirty stays Dirty instead of NeedSync"},
    {Mutant::llbitmap_transition_before_barrier, "llbitmap_transition_before_barrier",
     "llbitmap", "Startwrite transition happens before the page barrier is raised"},
    {Mutant::llbitmap_cond_end_sync_partial, "llbitmap_cond_end_sync_partial", "llbitmap",
     "cond_end_sync ends the chunk holding the current resync position"},
    {Mutant::llbitmap_daemon_ignores_barrier, "llbitmap_daemon_ignores_barrier", "llbitmap",
     "the daemon cleans a page without waiting for its writes to drain"},
    {Mutant::journal_zero_before_all_mirrors, "journal_zero_before_all_mirrors", "journal",
     "a journal entry is zeroed before the data completed on every mirror"},
    {Mutant::journal_degraded_not_recorded, "journal_degraded_not_recorded", "journal",
     "writes on a degraded array do not update the journal's missing set"},
    {Mutant::journal_recovery_skips_first_slot, "journal_recovery_skips_first_slot", "journal",
     "journal recovery ignores the entries of ring slot 0"},
    {Mutant::ours_marks_first_chunk_only, "ours_marks_first_chunk_only", "ours",
     "a write spanning several chunks marks only its first chunk"},
    {Mutant::journal_no_fua, "journal_no_fua", "journal",
     "journal slot writes are plain writes (no PREFLUSH|FUA): the entry may sit in a cache"},
    {Mutant::journal_recovery_skips_last, "journal_recovery_skips_last", "journal",
     "journal recovery drops the newest entry of the newest ring slot"},
    {Mutant::ours_skip_intent_for_overwrite, "ours_skip_intent_for_overwrite", "ours",
     "an overwrite of a chunk already dirty in memory skips the unplug while its block write "
     "may still be in flight"},
    {Mutant::raid5_fill_ignores_unsynced, "raid5_fill_ignores_unsynced", "llbitmap",
     "raid5 need_this_block ignores blocks_synced: a degraded write to a row the llbitmap has not "
     "synced finds no block to read and the stripe is handled again and again (IO hang)"},
    {Mutant::raid10_still_degraded_inverted, "raid10_still_degraded_inverted", "bitmap",
     "raid10 recovery passes degraded = false to start_sync while a slot is still missing, so "
     "NEEDED bits a later re-add needs are cleared"},
}};

const MutantInfo& info(Mutant m) { return kMutants[static_cast<size_t>(m)]; }

}  // namespace

std::string_view mutant_name(Mutant m) { return info(m).name; }
std::string_view mutant_description(Mutant m) { return info(m).description; }
std::string_view mutant_backend(Mutant m) { return info(m).backend; }

int mutant_level(Mutant m) {
  if (m == Mutant::raid5_fill_ignores_unsynced) return 5;
  if (m == Mutant::raid10_still_degraded_inverted) return 10;
  return 1;
}

std::optional<Mutant> mutant_from_name(std::string_view name) {
  for (const MutantInfo& i : kMutants)
    if (i.name == name) return i.id;
  return std::nullopt;
}

std::vector<Mutant> all_mutants() {
  std::vector<Mutant> out;
  for (const MutantInfo& i : kMutants) out.push_back(i.id);
  return out;
}

std::string MutantSet::to_string() const {
  std::string out;
  for (const MutantInfo& i : kMutants) {
    if (!on(i.id)) continue;
    if (!out.empty()) out += ',';
    out += i.name;
  }
  return out;
}

}  // namespace mdsim::md
