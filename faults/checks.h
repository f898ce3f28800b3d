// The correctness properties of design.md section 4, as pure functions over
// what the disks hold, what the loaded intent marks, and what the user wrote
// (faults/oracle.h).
//
// The checks never look inside an engine: they read member contents through
// ArrayView (post-crash disks, or a live array after resync) and take the
// resync set the ASSEMBLED array derived from the disks. So a check costs what
// it walks: the candidate sectors it is given (sectors some write touched), not
// the capacity.
//
// Sector spaces: candidates and resync ranges are in per-member data space
// (intent space for raid1: member sector minus data_offset), which for raid1
// equals the array sector space the oracle uses. Parity levels are not
// implemented; the coverage check's "members disagree" is mirror-only.
//
// Invariants: a check that holds returns held=true and no violation; a failed
// check names one concrete chunk and sector (the first found in sector order),
// so reports are reproducible.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "faults/oracle.h"
#include "model/disk/sector.h"

namespace mdsim::faults {

using disk::SectorRange;

// Read access to an array's members for checking (no IO, no simulated time).
class ArrayView {
 public:
  virtual ~ArrayView() = default;
  virtual int members() const = 0;
  // Does the (assembled) array treat member m as holding current data? Only
  // such members must agree and must hold durable data.
  virtual bool member_in_sync(int m) const = 0;
  // Content word of member m at data sector s (member sector - data_offset).
  virtual uint64_t data_word(int m, Sector s) const = 0;
  // Is sector s of member m readable data? False on a recorded bad block:
  // md never reads it there (it reads another mirror), so it may differ.
  virtual bool member_has_sector(int m, Sector s) const {
    (void)m;
    (void)s;
    return true;
  }
};

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
  uint64_t chunk = 0;             // chunk index (sector / chunk_sectors)
  std::vector<Sector> sectors;    // offending sectors in the chunk (first few)
  std::vector<uint64_t> words;    // per member, at sectors.front()
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
// content may come from a discard: md promises nothing there).
std::vector<Sector> specified_only(const Oracle& oracle, std::span<const Sector> candidates);

// coverage: every candidate sector where in-sync members disagree lies in a
// range the assembled array will resync. REQUIRES: chunk_sectors > 0.
CheckResult check_coverage(const ArrayView& view, std::span<const Sector> candidates,
                           const RangeSet& will_resync, SectorCount chunk_sectors);

// convergence (after resync): in-sync members agree on every candidate sector
// and hold a value the user could have seen (unspecified sectors skipped).
CheckResult check_convergence(const ArrayView& view, std::span<const Sector> candidates,
                              const Oracle& oracle, SectorCount chunk_sectors);

// durability (at the crash state and after resync): every in-sync member holds,
// at every sector with a durable write, a value the oracle allows (which
// excludes anything the durable write superseded).
CheckResult check_durability(const ArrayView& view, const Oracle& oracle,
                             SectorCount chunk_sectors);
// The same, restricted to `sectors` (ascending): the explorer's incremental form.
CheckResult check_durability(const ArrayView& view, const Oracle& oracle,
                             SectorCount chunk_sectors, std::span<const Sector> sectors);

// liveness (faults off): the post-crash resync finished and the intent is clean.
CheckResult check_liveness(bool resync_finished, const RangeSet& dirty_after);

// The sectors, among candidates, where in-sync members disagree (efficiency
// figures and the double-crash driver).
std::vector<Sector> inconsistent_sectors(const ArrayView& view, std::span<const Sector> candidates);

// Efficiency, measured not asserted: what the resync will cover versus what
// truly differs.
struct Efficiency {
  uint64_t resync_sectors = 0;
  uint64_t inconsistent_sectors = 0;
  uint64_t inconsistent_chunks = 0;
};
Efficiency measure_efficiency(const ArrayView& view, std::span<const Sector> candidates,
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
