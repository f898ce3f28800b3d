// DiskImage against a plain map, with copies taken along the way: every copy
// keeps exactly the contents it had when taken (copy-on-write isolation).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "model/disk/sector_store.h"

namespace mdsim::disk {
namespace {

using Reference = std::map<uint64_t, uint64_t>;

void check_equal(const DiskImage& img, const Reference& ref, uint64_t capacity) {
  uint64_t nonzero = 0;
  std::vector<uint64_t> pages;
  img.touched_pages(pages);
  for (uint64_t p : pages) {
    const uint64_t* w = img.page_words(p);
    RC_ASSERT(w != nullptr);
    for (uint32_t s = 0; s < kPageSectors; ++s) {
      const uint64_t sector = (p << kPageShift) + s;
      if (sector >= capacity) break;
      const auto it = ref.find(sector);
      RC_ASSERT(w[s] == (it == ref.end() ? 0 : it->second));
      nonzero += w[s] != 0 ? 1 : 0;
    }
  }
  uint64_t ref_nonzero = 0;
  for (const auto& [s, v] : ref) {
    ref_nonzero += v != 0 ? 1 : 0;
    RC_ASSERT(img.word(Sector(s)) == v);
  }
  RC_ASSERT(nonzero == ref_nonzero);
}

RC_GTEST_PROP(DiskImageProp, MatchesMapAndCopiesAreIsolated, ()) {
  const uint64_t capacity = *rc::gen::element<uint64_t>(100, 4096, 1ull << 20, 1ull << 40);
  DiskImage img{SectorCount(capacity)};
  Reference ref;
  std::vector<std::pair<DiskImage, Reference>> snapshots;
  const int ops = *rc::gen::inRange(1, 60);
  for (int i = 0; i < ops; ++i) {
    // Cluster addresses so that pages and subtrees are shared and overwritten.
    const uint64_t base = *rc::gen::element<uint64_t>(0, 64, capacity / 2, capacity - 1);
    const uint64_t start = std::min(base + *rc::gen::inRange<uint64_t>(0, 200), capacity - 1);
    const uint64_t n = std::min(*rc::gen::inRange<uint64_t>(1, 100), capacity - start);
    std::vector<uint64_t> words(n);
    for (uint64_t k = 0; k < n; ++k) words[k] = (static_cast<uint64_t>(i) << 32) | k;
    img.set_range(Sector(start), n, words.data(), nullptr);
    for (uint64_t k = 0; k < n; ++k) ref[start + k] = words[k];
    if (*rc::gen::inRange(0, 4) == 0) snapshots.emplace_back(img, ref);
  }
  check_equal(img, ref, capacity);
  for (const auto& [snap, snap_ref] : snapshots) {
    check_equal(snap, snap_ref, capacity);
    // Differences found by the shared-subtree walk equal the brute-force ones.
    Reference diff;
    for_each_difference(snap, img, [&](Sector s, uint64_t, uint64_t wb) { diff[s.value()] = wb; });
    Reference expect;
    for (const auto& [s, v] : ref) {
      const auto it = snap_ref.find(s);
      if ((it == snap_ref.end() ? 0 : it->second) != v) expect[s] = v;
    }
    RC_ASSERT(diff == expect);
  }
}

}  // namespace
}  // namespace mdsim::disk
