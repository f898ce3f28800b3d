// The correctness properties of design.md section 4, as pure functions over
// what the disks hold, what the loaded intent marks, and what the user wrote
// (faults/oracle.h), for raid1, raid10 and raid5 alike.
//
// The checks never look inside an engine: they read member contents through
// md::MemberImages (model/md/consistency.h, the one level-generic core the
// scenario runner's checks use too: post-crash images, or a live array's
// current images after resync) and take the resync set the ASSEMBLED array
// derived from the disks. So a check costs what it walks: the candidate
// sectors it is given (sectors some write touched), not the capacity.
//
// Sector spaces:
//  - INTENT space (coverage, resync ranges, inconsistent_sectors): what
//    IntentBackend ranges use; raid1 member data sectors, raid10 array
//    sectors, raid5 dev sectors of rows (a row is inconsistent when its
//    parity differs from the XOR of its data: the write hole);
//  - ARRAY space (the oracle, convergence and durability candidates): user
//    sectors; each is judged at md::intent_sector_of(a).
//
// Invariants: a check that holds returns held=true and no violation; a failed
// check names one concrete chunk (intent space) and sector (the first found
// in sector order), so reports are reproducible.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "faults/oracle.h"
#include "model/disk/sector.h"
#include "model/md/consistency.h"

namespace mdsim::faults {

using disk::SectorRange;

// A sorted set of disjoint sector ranges, for "will be resynced" questions.
class RangeSet {
 public:
  RangeSet() = default;
  explicit RangeSet(std::vector<SectorRange> ranges);  // any order, may overlap
  void add(SectorRange r);
  bool contains(Sector s) const;
  bool covers(SectorRange r) const;
  uint64_t total_sectors() const;
  const std::vector<SectorRange>& ranges() const { return ranges_; }
  std::string to_string() const;

 private:
  void normalise();
  std::vector<SectorRange> ranges_;
};

struct Violation {
  std::string property;
  uint64_t chunk = 0;             // intent-space chunk (intent sector / chunk_sectors)
  std::vector<Sector> sectors;    // offending sectors in the chunk (first few; the check's space)
  std::vector<uint64_t> words;    // per slot (raid_disk), where sectors.front() is judged
  std::string detail;
};

struct CheckResult {
  std::string name;
  bool held = true;
  std::string detail;              // one line: what was checked, or what failed
  std::optional<Violation> violation;
  uint64_t sectors_examined = 0;
};

inline constexpr uint64_t kMaxReportedSectors = 8;

// The candidates whose content the oracle specifies (drops sectors whose
// content may come from a discard: md promises nothing there). Array space.
std::vector<Sector> specified_only(const Oracle& oracle, std::span<const Sector> candidates);

// The intent-space sectors judging the array sectors `array_sectors`, sorted
// and unique; with `specified`, only those every array sector of which is
// specified by the oracle (a raid5 row with a discarded block is skipped).
std::vector<Sector> intent_candidates(const md::RaidGeometry& g, const Oracle& oracle,
                                      std::span<const Sector> array_sectors, bool specified);
// The intent-space sectors (sorted) every array sector of which the oracle specifies.
std::vector<Sector> specified_intent(const md::RaidGeometry& g, const Oracle& oracle,
                                     std::span<const Sector> intent_sectors);

// coverage: every candidate intent-space sector where the redundancy
// disagrees lies in a range the assembled array will resync.
// REQUIRES: chunk_sectors > 0.
CheckResult check_coverage(const md::MemberImages& m, std::span<const Sector> candidates,
                           const RangeSet& will_resync, SectorCount chunk_sectors);

// convergence (after resync): at every candidate array sector the redundancy
// agrees and a read returns a value the user could have seen (unspecified
// sectors skipped).
CheckResult check_convergence(const md::MemberImages& m, std::span<const Sector> candidates,
                              const Oracle& oracle, SectorCount chunk_sectors);

// durability (at the crash state and after resync): at every array sector
// with a durable write, every readable copy (raid1 / raid10) or the read
// (raid5) holds a value the oracle allows (which excludes anything the
// durable write superseded).
CheckResult check_durability(const md::MemberImages& m, const Oracle& oracle,
                             SectorCount chunk_sectors);
// The same, restricted to array `sectors` (ascending): the explorer's incremental form.
CheckResult check_durability(const md::MemberImages& m, const Oracle& oracle,
                             SectorCount chunk_sectors, std::span<const Sector> sectors);

// liveness (faults off): the post-crash resync finished and the intent is clean.
CheckResult check_liveness(bool resync_finished, const RangeSet& dirty_after);

// The intent-space sectors, among candidates, where the redundancy disagrees
// (efficiency figures and the double-crash driver).
std::vector<Sector> inconsistent_sectors(const md::MemberImages& m, std::span<const Sector> candidates);

// Efficiency, measured not asserted: what the resync will cover versus what
// truly differs (intent space).
struct Efficiency {
  uint64_t resync_sectors = 0;
  uint64_t inconsistent_sectors = 0;
  uint64_t inconsistent_chunks = 0;
};
Efficiency measure_efficiency(const md::MemberImages& m, std::span<const Sector> candidates,
                              const RangeSet& will_resync, SectorCount chunk_sectors);

// The online intent-before-data check: fed by the engine's observer hook on
// every member data-write submission; `covered` is the backend's media_covers
// answer at that instant. Keeps the first violation.
class IntentBeforeDataMonitor {
 public:
  void on_data_write(int member, Sector offset, SectorCount sectors, bool covered,
                     int64_t now_ns);
  CheckResult result(SectorCount chunk_sectors) const;
  uint64_t writes_checked() const { return checked_; }

 private:
  uint64_t checked_ = 0;
  bool failed_ = false;
  int member_ = -1;
  Sector offset_;
  SectorCount sectors_;
  int64_t at_ns_ = 0;
};

}  // namespace mdsim::faults
