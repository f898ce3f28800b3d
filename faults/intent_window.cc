#include "faults/intent_window.h"

#include <array>

#include "faults/world.h"
#include "model/md/llbitmap.h"
#include "model/md/llbitmap_layout.h"
#include "model/md/md_array.h"

namespace mdsim::faults {

namespace {

// Per chunk: does this member's llbitmap copy mark it? The states a load
// resyncs (Dirty, NeedSync, Syncing, an invalid byte), one byte per chunk from
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
    out[c] = md::llb::covers_inflight_write(sector[pos % disk::kSectorBytes]);
  }
  return out;
}

}  // namespace

RangeSet llbitmap_copies_mark(md::Array& a, const std::vector<disk::DiskImage>& images) {
  const auto* llb = dynamic_cast<const md::Llbitmap*>(&a.intent());
  if (llb == nullptr || llb->chunks() == 0) return RangeSet();
  // read_area: the first source that answers; a failed read there only makes
  // this narrower (the copy then excluded is one md did not load).
  const std::vector<int> sources = a.core().metadata_read_sources();
  const std::vector<bool> trusted = trusted_members(a);
  if (sources.empty() || images.size() != trusted.size()) return RangeSet();
  const auto loaded = static_cast<size_t>(sources.front());
  if (loaded >= images.size() || !trusted[loaded]) return RangeSet();
  const Sector area = a.core().intent_area_start();
  // Only where the copies DIFFER: a chunk the loaded copy marks on media and
  // the load still leaves out is the engine's own (mutant llbitmap_reload_keeps_dirty).
  const std::vector<bool> in_loaded = marked_chunks(images[loaded], area, llb->chunks());
  std::vector<bool> in_other(llb->chunks(), false);
  for (size_t m = 0; m < images.size(); ++m) {
    if (!trusted[m] || m == loaded) continue;
    const std::vector<bool> mine = marked_chunks(images[m], area, llb->chunks());
    for (uint64_t c = 0; c < mine.size(); ++c) in_other[c] = in_other[c] || mine[c];
  }
  const uint64_t cs = llb->chunk_sectors().value();
  const uint64_t end = a.core().geo_.intent_sectors();
  std::vector<SectorRange> marked;
  for (uint64_t c = 0; c < in_other.size() && c * cs < end; ++c)
    if (in_other[c] && !in_loaded[c]) marked.push_back({Sector(c * cs), SectorCount(std::min(c * cs + cs, end) - c * cs)});
  return RangeSet(std::move(marked));
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
