#include "faults/intent_window.h"

#include <algorithm>
#include <array>
#include <utility>

#include "faults/world.h"
#include "model/md/llbitmap.h"
#include "model/md/llbitmap_layout.h"
#include "model/md/md_array.h"
#include "sim/assert.h"

namespace mdsim::faults {

namespace {

bool marks(uint8_t b) { return md::llb::covers_inflight_write(b); }  // what a load resyncs

// Per chunk: does this member's llbitmap copy mark it? One byte per chunk from
// byte kDataOffsetBytes of the area (llbitmap_read_page).
std::vector<bool> marked_chunks(const disk::DiskImage& img, Sector area, uint64_t chunks) {
  std::vector<bool> out(chunks, false);
  std::array<uint8_t, disk::kSectorBytes> sector{};
  uint64_t rendered = ~0ull;
  for (uint64_t c = 0; c < chunks; ++c) {
    const uint64_t pos = md::llb::kDataOffsetBytes + c;
    if (pos / disk::kSectorBytes != rendered) {
      rendered = pos / disk::kSectorBytes;
      img.render(area + SectorCount(rendered), sector.data());
    }
    out[c] = marks(sector[pos % disk::kSectorBytes]);
  }
  return out;
}

// Did the crash drop this member's newest write of c's byte, one that would
// have un-marked c?
bool lost_unmarking_write(const std::map<uint64_t, disk::SectorBytesPtr>& dropped, Sector area, uint64_t c) {
  const uint64_t pos = md::llb::kDataOffsetBytes + c;
  const auto it = dropped.find((area + SectorCount(pos / disk::kSectorBytes)).value());
  if (it == dropped.end()) return false;
  return !marks(it->second ? it->second->b[pos % disk::kSectorBytes] : 0);
}

}  // namespace

DroppedIntent dropped_intent_writes(const CrashState& st, const CrashStateChoice& c) {
  SIM_ASSERT(c.size() == st.disks.size());
  DroppedIntent out(st.disks.size());
  for (size_t d = 0; d < st.disks.size(); ++d) {
    const Disk::CrashLayers& l = st.disks[d];
    std::map<uint64_t, std::pair<bool, disk::SectorBytesPtr>> newest;  // sector -> (kept, content)
    auto note = [&](const Disk::PendingWrite& w, auto kept_sector) {
      if (w.io_class != disk::IoClass::intent) return;
      for (uint64_t k = 0; k < w.count.value(); ++k)
        newest[w.sector.value() + k] = {kept_sector(k), k < w.bytes.size() ? w.bytes[k] : nullptr};
    };
    // Cached writes in completion order, then in-flight ones in submission order.
    for (uint32_t i = 0; i < l.cached.size(); ++i) {
      const bool kept = std::binary_search(c[d].cached_kept.begin(), c[d].cached_kept.end(), i);
      note(*l.cached[i], [kept](uint64_t) { return kept; });
    }
    for (uint32_t i = 0; i < l.in_flight.size(); ++i) {
      const std::vector<uint32_t>* blocks = nullptr;
      for (const TornWrite& t : c[d].torn)
        if (t.write_index == i) blocks = &t.blocks;
      note(*l.in_flight[i], [&](uint64_t k) {
        const auto b = static_cast<uint32_t>(k / l.block_sectors);
        return blocks != nullptr && std::binary_search(blocks->begin(), blocks->end(), b);
      });
    }
    for (const auto& [sector, e] : newest)
      if (!e.first) out[d].emplace(sector, e.second);
  }
  return out;
}

RangeSet llbitmap_copies_mark(md::Array& a, const std::vector<disk::DiskImage>& images,
                              const DroppedIntent& dropped) {
  const auto* llb = dynamic_cast<const md::Llbitmap*>(&a.intent());
  if (llb == nullptr || llb->chunks() == 0) return RangeSet();
  // read_area: the first source that answers; a failed read there only makes
  // this narrower (the copy then excluded is one md did not load).
  const std::vector<int> sources = a.core().metadata_read_sources();
  const std::vector<bool> trusted = trusted_members(a);
  if (sources.empty() || images.size() != trusted.size() || dropped.size() != images.size()) return RangeSet();
  const auto loaded = static_cast<size_t>(sources.front());
  if (loaded >= images.size() || !trusted[loaded]) return RangeSet();
  const Sector area = a.core().intent_area_start();
  const std::vector<bool> in_loaded = marked_chunks(images[loaded], area, llb->chunks());
  std::vector<bool> window(llb->chunks(), false);
  for (size_t m = 0; m < images.size(); ++m) {
    if (!trusted[m] || m == loaded || dropped[m].empty()) continue;
    const std::vector<bool> mine = marked_chunks(images[m], area, llb->chunks());
    for (uint64_t c = 0; c < mine.size(); ++c)
      if (mine[c] && !in_loaded[c] && lost_unmarking_write(dropped[m], area, c)) window[c] = true;
  }
  const uint64_t cs = llb->chunk_sectors().value();
  const uint64_t end = a.core().geo_.intent_sectors();
  std::vector<SectorRange> out;
  for (uint64_t c = 0; c < window.size() && c * cs < end; ++c)
    if (window[c]) out.push_back({Sector(c * cs), SectorCount(std::min(c * cs + cs, end) - c * cs)});
  return RangeSet(std::move(out));
}

bool only_one_copy_window(const RangeSet& copies_mark, const md::MemberImages& view,
                          std::span<const Sector> candidates, const RangeSet& will_resync,
                          SectorCount chunk_sectors) {
  if (copies_mark.ranges().empty()) return false;
  RangeSet either = copies_mark;
  for (const SectorRange& r : will_resync.ranges()) either.add(r);
  return check_coverage(view, candidates, either, chunk_sectors).held;
}

}  // namespace mdsim::faults
