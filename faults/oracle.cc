#include "faults/oracle.h"

#include <algorithm>
#include <sstream>

#include "sim/assert.h"

namespace mdsim::faults {

void Oracle::write_submitted(uint64_t id, Sector start, SectorCount count,
                             std::span<const uint64_t> words) {
  SIM_ASSERT(words.size() == count.value());
  SIM_ASSERT(!write_index_.contains(id));
  const auto index = static_cast<uint32_t>(writes_.size());
  writes_.push_back(Write{id, ++seq_, 0, false});
  write_index_.emplace(id, index);
  not_durable_.push_back(index);
  for (uint64_t i = 0; i < count.value(); ++i)
    history_[start.value() + i].push_back(Version{index, words[i]});
}

void Oracle::discard_submitted(uint64_t id, Sector start, SectorCount count) {
  write_submitted(id, start, count, std::vector<uint64_t>(count.value(), 0));
  writes_.back().discard = true;
}

void Oracle::write_completed(uint64_t id, bool fua) {
  auto it = write_index_.find(id);
  SIM_ASSERT(it != write_index_.end());
  Write& w = writes_[it->second];
  SIM_ASSERT(w.complete_seq == 0);
  w.complete_seq = ++seq_;
  if (fua) w.durable = true;
}

void Oracle::write_failed(uint64_t id) {
  write_completed(id, false);
  const uint32_t index = write_index_.at(id);
  std::erase(not_durable_, index);  // never made durable by a later flush
}

void Oracle::flush_submitted(uint64_t flush_id) {
  SIM_ASSERT(!flushes_.contains(flush_id));
  flushes_[flush_id] = Flush{++seq_, false};
}

void Oracle::flush_completed(uint64_t flush_id) {
  auto it = flushes_.find(flush_id);
  SIM_ASSERT(it != flushes_.end());
  SIM_ASSERT(!it->second.completed);
  it->second.completed = true;
  make_durable_completed_before(it->second.submit_seq);
}

void Oracle::power_loss() {
  for (uint32_t index : not_durable_) {
    Write& w = writes_[index];
    if (w.complete_seq == 0) w.complete_seq = ++seq_;
  }
  not_durable_.clear();
  for (auto& [id, f] : flushes_) f.completed = true;  // abandoned: never completes
}

void Oracle::make_durable_completed_before(uint64_t seq) {
  // A write submitted after `seq` also completed after it, so the scan stops
  // at the first such write; FUA writes are already durable and just leave.
  size_t keep = 0, i = 0;
  for (; i < not_durable_.size(); ++i) {
    Write& w = writes_[not_durable_[i]];
    if (w.submit_seq > seq) break;
    if (w.complete_seq != 0 && w.complete_seq < seq) w.durable = true;
    if (!w.durable) not_durable_[keep++] = not_durable_[i];
  }
  for (; i < not_durable_.size(); ++i) not_durable_[keep++] = not_durable_[i];
  not_durable_.resize(keep);
}

namespace {
// The largest submission sequence number among durable writes to a sector.
template <class Versions, class Writes>
uint64_t max_durable_submit(const Versions& h, const Writes& writes) {
  uint64_t m = 0;
  for (const auto& v : h) {
    const auto& w = writes[v.write_index];
    if (w.durable) m = std::max(m, w.submit_seq);
  }
  return m;
}
}  // namespace

bool Oracle::allowed(Sector sector, uint64_t word) const {
  auto it = history_.find(sector.value());
  if (it == history_.end()) return word == 0;
  const uint64_t barrier = max_durable_submit(it->second, writes_);
  if (barrier == 0 && word == 0) return true;
  for (const Version& v : it->second) {
    if (v.word != word) continue;
    const Write& w = writes_[v.write_index];
    const bool superseded = w.complete_seq != 0 && w.complete_seq < barrier;
    if (!superseded) return true;
  }
  return false;
}

bool Oracle::unspecified(Sector sector) const {
  auto it = history_.find(sector.value());
  if (it == history_.end()) return false;
  const uint64_t barrier = max_durable_submit(it->second, writes_);
  for (const Version& v : it->second) {
    const Write& w = writes_[v.write_index];
    if (!w.discard) continue;
    // Superseded: completed before the latest durable write was submitted
    // (the latest durable write itself may be the discard: still unspecified).
    if (!(w.complete_seq != 0 && w.complete_seq < barrier)) return true;
  }
  return false;
}

bool Oracle::has_durable(Sector sector, uint64_t* word) const {
  auto it = history_.find(sector.value());
  if (it == history_.end()) return false;
  uint64_t best = 0;
  bool found = false;
  for (const Version& v : it->second) {
    const Write& w = writes_[v.write_index];
    if (w.durable && (!found || w.submit_seq >= best)) {
      best = w.submit_seq;
      if (word) *word = v.word;
      found = true;
    }
  }
  return found;
}

std::vector<Sector> Oracle::written_sectors() const {
  std::vector<Sector> out;
  out.reserve(history_.size());
  for (const auto& [s, h] : history_) out.push_back(Sector(s));
  return out;
}

std::string Oracle::describe(Sector sector) const {
  std::ostringstream os;
  auto it = history_.find(sector.value());
  if (it == history_.end()) return "never written (only 0 allowed)";
  const uint64_t barrier = max_durable_submit(it->second, writes_);
  os << "writes:";
  for (const Version& v : it->second) {
    const Write& w = writes_[v.write_index];
    const bool superseded = w.complete_seq != 0 && w.complete_seq < barrier;
    os << " [id=" << w.id << " word=0x" << std::hex << v.word << std::dec
       << (w.complete_seq ? " acked" : " in-flight") << (w.durable ? " durable" : "")
       << (superseded ? " superseded" : "") << "]";
  }
  if (barrier == 0) os << " (0 allowed: nothing durable)";
  return os.str();
}

}  // namespace mdsim::faults
