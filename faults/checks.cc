#include "faults/checks.h"

#include <algorithm>
#include <sstream>

#include "sim/assert.h"

namespace mdsim::faults {

// --- RangeSet ---------------------------------------------------------------

RangeSet::RangeSet(std::vector<SectorRange> ranges) : ranges_(std::move(ranges)) { normalise(); }

void RangeSet::add(SectorRange r) {
  if (r.empty()) return;
  ranges_.push_back(r);
  normalise();
}

void RangeSet::normalise() {
  std::erase_if(ranges_, [](const SectorRange& r) { return r.empty(); });
  std::sort(ranges_.begin(), ranges_.end(),
            [](const SectorRange& a, const SectorRange& b) { return a.start < b.start; });
  std::vector<SectorRange> out;
  for (const SectorRange& r : ranges_) {
    if (!out.empty() && r.start <= out.back().end()) {
      const Sector end = std::max(out.back().end(), r.end());
      out.back().count = end - out.back().start;
    } else {
      out.push_back(r);
    }
  }
  ranges_ = std::move(out);
}

bool RangeSet::contains(Sector s) const {
  // The last range starting at or before s is the only candidate.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), s,
                             [](Sector v, const SectorRange& r) { return v < r.start; });
  if (it == ranges_.begin()) return false;
  return std::prev(it)->contains(s);
}

bool RangeSet::covers(SectorRange r) const {
  if (r.empty()) return true;
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), r.start,
                             [](Sector v, const SectorRange& x) { return v < x.start; });
  if (it == ranges_.begin()) return false;
  return std::prev(it)->end() >= r.end();
}

uint64_t RangeSet::total_sectors() const {
  uint64_t n = 0;
  for (const SectorRange& r : ranges_) n += r.count.value();
  return n;
}

std::string RangeSet::to_string() const {
  std::ostringstream os;
  os << '{';
  for (size_t i = 0; i < ranges_.size(); ++i) {
    if (i) os << ", ";
    os << '[' << ranges_[i].start.value() << ',' << ranges_[i].end().value() << ')';
  }
  os << '}';
  return os.str();
}

// --- helpers ------------------------------------------------------------------

namespace {

std::string words_text(const std::vector<uint64_t>& words) {
  std::ostringstream os;
  for (size_t m = 0; m < words.size(); ++m)
    os << (m ? " " : "") << "slot" << m << "=0x" << std::hex << words[m] << std::dec;
  return os.str();
}

// Collects up to kMaxReportedSectors offending sectors of the first failing
// intent-space chunk.
class ViolationBuilder {
 public:
  ViolationBuilder(const md::MemberImages& m, std::string property, SectorCount chunk_sectors)
      : m_(m), property_(std::move(property)), chunk_(chunk_sectors.value()) {
    SIM_ASSERT(chunk_ > 0);
  }
  // `s` is reported; `intent` is where it is judged. Returns false once the
  // violation is complete (a later chunk was reached).
  bool add(Sector s, uint64_t intent, const std::string& why) {
    if (!v_) {
      v_.emplace();
      v_->property = property_;
      v_->chunk = intent / chunk_;
      v_->words = md::slot_words(m_, intent);
      v_->detail = why;
    } else if (intent / chunk_ != v_->chunk) {
      return false;
    }
    if (v_->sectors.size() < kMaxReportedSectors) v_->sectors.push_back(s);
    return true;
  }
  CheckResult finish(uint64_t examined, std::string ok_detail) {
    CheckResult r;
    r.name = property_;
    r.sectors_examined = examined;
    if (!v_) {
      r.detail = std::move(ok_detail);
      return r;
    }
    r.held = false;
    std::ostringstream os;
    os << property_ << " violated in chunk " << v_->chunk << " at sector " << v_->sectors.front().value()
       << " (raid" << m_.geo.level << "): " << v_->detail << " (" << words_text(v_->words) << ")";
    r.detail = os.str();
    r.violation = std::move(v_);
    return r;
  }

 private:
  const md::MemberImages& m_;
  std::string property_;
  uint64_t chunk_;
  std::optional<Violation> v_;
};

const char* disagree_text(const md::MemberImages& m) {
  return m.geo.level == 5 ? "parity differs from the XOR of the data" : "copies differ";
}

}  // namespace

// --- checks -------------------------------------------------------------------

std::vector<Sector> specified_only(const Oracle& oracle, std::span<const Sector> candidates) {
  std::vector<Sector> out;
  out.reserve(candidates.size());
  for (Sector s : candidates)
    if (!oracle.unspecified(s)) out.push_back(s);
  return out;
}

std::vector<Sector> intent_candidates(const md::RaidGeometry& g, const Oracle& oracle,
                                      std::span<const Sector> array_sectors, bool specified) {
  std::vector<uint64_t> v;
  v.reserve(array_sectors.size());
  for (Sector a : array_sectors)
    if (a.value() < g.array_sectors()) v.push_back(md::intent_sector_of(g, a.value()));
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  std::vector<Sector> out;
  for (uint64_t i : v) out.push_back(Sector(i));
  return specified ? specified_intent(g, oracle, out) : out;
}

std::vector<Sector> specified_intent(const md::RaidGeometry& g, const Oracle& oracle,
                                     std::span<const Sector> intent_sectors) {
  std::vector<Sector> out;
  std::vector<uint64_t> row;
  for (Sector i : intent_sectors) {
    row.clear();
    md::array_sectors_of(g, i.value(), row);
    bool ok = true;
    for (uint64_t a : row) ok = ok && !oracle.unspecified(Sector(a));
    if (ok) out.push_back(i);
  }
  return out;
}

CheckResult check_coverage(const md::MemberImages& m, std::span<const Sector> candidates,
                           const RangeSet& will_resync, SectorCount chunk_sectors) {
  ViolationBuilder vb(m, "coverage", chunk_sectors);
  const std::string why = std::string(disagree_text(m)) + " but the loaded intent does not mark the chunk for resync";
  uint64_t examined = 0;
  for (Sector s : candidates) {
    ++examined;
    if (will_resync.contains(s) || !md::inconsistent_at(m, s.value())) continue;
    if (!vb.add(s, s.value(), why)) break;
  }
  return vb.finish(examined, "every inconsistent sector is marked for resync");
}

CheckResult check_convergence(const md::MemberImages& m, std::span<const Sector> candidates,
                              const Oracle& oracle, SectorCount chunk_sectors) {
  ViolationBuilder vb(m, "convergence", chunk_sectors);
  uint64_t examined = 0;
  for (Sector s : candidates) {
    if (oracle.unspecified(s) || s.value() >= m.geo.array_sectors()) continue;  // discard: no promise
    // No readable copy (recorded bad blocks on every member left): md fails
    // the read with EIO (read_balance finds no disk), nothing is returned
    // silently; durability skips such a sector the same way.
    if (m.geo.level != 5 && md::copies_of(m, s.value()).empty()) continue;
    if (md::raid5_unreadable(m, s.value())) continue;
    ++examined;
    const uint64_t i = md::intent_sector_of(m.geo, s.value());
    std::string why;
    if (md::inconsistent_at(m, i)) {
      why = std::string(disagree_text(m)) + " after the resync finished";
    } else if (const uint64_t w = md::array_word(m, s.value()); !oracle.allowed(s, w)) {
      why = "array sector reads a value the user could not have seen; oracle: " + oracle.describe(s);
    } else {
      continue;
    }
    if (!vb.add(s, i, why)) break;
  }
  return vb.finish(examined, "the redundancy agrees and reads return values the user could have seen");
}

CheckResult check_durability(const md::MemberImages& m, const Oracle& oracle, SectorCount chunk_sectors) {
  const auto sectors = oracle.written_sectors();
  return check_durability(m, oracle, chunk_sectors, sectors);
}

CheckResult check_durability(const md::MemberImages& m, const Oracle& oracle, SectorCount chunk_sectors,
                             std::span<const Sector> sectors) {
  ViolationBuilder vb(m, "durability", chunk_sectors);
  uint64_t examined = 0;
  for (Sector s : sectors) {
    if (s.value() >= m.geo.array_sectors() || !oracle.has_durable(s, nullptr) || oracle.unspecified(s)) continue;
    ++examined;
    for (const md::CopyWord& c : md::copies_of(m, s.value())) {
      if (oracle.allowed(s, c.word)) continue;
      const std::string who = c.slot >= 0 ? "slot" + std::to_string(c.slot) : std::string("a read");
      if (!vb.add(s, md::intent_sector_of(m.geo, s.value()),
                  who + " lost acknowledged durable data; oracle: " + oracle.describe(s)))
        return vb.finish(examined, "");
      break;
    }
  }
  return vb.finish(examined, "every FUA/flushed write survives on every in-sync copy");
}

CheckResult check_liveness(bool resync_finished, const RangeSet& dirty_after) {
  CheckResult r;
  r.name = "liveness";
  if (!resync_finished) {
    r.held = false;
    r.detail = "liveness violated: the post-crash resync did not finish";
  } else if (!dirty_after.ranges().empty()) {
    r.held = false;
    r.detail = "liveness violated: intent still dirty after resync and daemon passes: " +
               dirty_after.to_string();
  } else {
    r.detail = "resync finished and the intent is clean";
  }
  return r;
}

std::vector<Sector> inconsistent_sectors(const md::MemberImages& m, std::span<const Sector> candidates) {
  std::vector<Sector> out;
  for (Sector s : candidates)
    if (md::inconsistent_at(m, s.value())) out.push_back(s);
  return out;
}

Efficiency measure_efficiency(const md::MemberImages& m, std::span<const Sector> candidates,
                              const RangeSet& will_resync, SectorCount chunk_sectors) {
  SIM_ASSERT(chunk_sectors.value() > 0);
  Efficiency e;
  e.resync_sectors = will_resync.total_sectors();
  uint64_t last_chunk = UINT64_MAX;
  for (Sector s : inconsistent_sectors(m, candidates)) {
    ++e.inconsistent_sectors;
    const uint64_t c = s.value() / chunk_sectors.value();
    if (c != last_chunk) ++e.inconsistent_chunks;
    last_chunk = c;
  }
  return e;
}

// --- online monitor --------------------------------------------------------------

void IntentBeforeDataMonitor::on_data_write(int member, Sector offset, SectorCount sectors,
                                            bool covered, int64_t now_ns) {
  ++checked_;
  if (covered || failed_) return;
  failed_ = true;
  member_ = member;
  offset_ = offset;
  sectors_ = sectors;
  at_ns_ = now_ns;
}

CheckResult IntentBeforeDataMonitor::result(SectorCount chunk_sectors) const {
  CheckResult r;
  r.name = "intent_before_data";
  r.sectors_examined = checked_;
  if (!failed_) {
    r.detail = "every member data write was covered by on-media intent (" +
               std::to_string(checked_) + " writes)";
    return r;
  }
  r.held = false;
  const uint64_t cs = std::max<uint64_t>(chunk_sectors.value(), 1);
  Violation v;
  v.property = r.name;
  v.chunk = offset_.value() / cs;
  v.sectors.push_back(offset_);
  v.detail = "data write to member" + std::to_string(member_) + " sectors [" +
             std::to_string(offset_.value()) + "," +
             std::to_string((offset_ + sectors_).value()) + ") submitted at t=" +
             std::to_string(at_ns_) + "ns before its intent was on that member's media";
  r.detail = "intent_before_data violated in chunk " + std::to_string(v.chunk) + ": " + v.detail;
  r.violation = std::move(v);
  return r;
}

}  // namespace mdsim::faults
