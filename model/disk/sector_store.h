// DiskImage: the contents of one disk as a sparse, persistent (copy-on-write)
// sector store.
//
// Layout: a radix tree over 64-sector pages. Interior nodes have 32 children;
// the depth follows from the capacity (a 16 TiB member has 5 interior levels).
// A leaf page holds one 64-bit content word per sector, and the real bytes of
// the few sectors written with bytes (metadata), as shared immutable buffers.
//
// Copying a DiskImage is O(1): both copies share the tree. A mutation copies
// only the path from the root to the touched leaf when that path is shared
// (path copying), so an image derived from another costs memory and time
// proportional to what differs. Comparing two images that share subtrees skips
// the shared parts by pointer identity (differing_pages).
//
// Invariants:
//  (1) a sector never set reads as word 0 with no bytes;
//  (2) a sector with bytes has word == content_word_of_bytes(bytes) != 0
//      (all-zero bytes are stored as word 0 without bytes);
//  (3) memory grows with pages touched, never with capacity;
//  (4) every node reachable from a root shared by two images is immutable:
//      mutation clones any node whose reference count is not 1;
//  (5) a node's reference count = the number of parents and roots pointing to it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::disk {

struct SectorBytes {
  std::array<uint8_t, kSectorBytes> b{};
};
using SectorBytesPtr = std::shared_ptr<const SectorBytes>;

inline constexpr uint32_t kPageShift = 6;
inline constexpr uint32_t kPageSectors = 1u << kPageShift;  // sectors per leaf page
inline constexpr uint32_t kFanShift = 5;
inline constexpr uint32_t kFan = 1u << kFanShift;  // children per interior node

// Renders a stamped sector as bytes: the 64-bit word repeated, little-endian.
void render_word(uint64_t word, uint8_t* out);

class DiskImage {
 public:
  DiskImage() : DiskImage(SectorCount(0)) {}
  explicit DiskImage(SectorCount capacity);
  // Copies share the tree (O(1)); nodes are reference counted (atomically, so
  // images may be shared between threads read-only).
  DiskImage(const DiskImage& o);
  DiskImage& operator=(const DiskImage& o);
  DiskImage(DiskImage&& o) noexcept;
  DiskImage& operator=(DiskImage&& o) noexcept;
  ~DiskImage();

  SectorCount capacity() const { return capacity_; }

  // REQUIRES: s < capacity.
  uint64_t word(Sector s) const;
  // The stored bytes of s, or null if s holds a stamp (or nothing).
  SectorBytesPtr bytes(Sector s) const;
  // Words of n consecutive sectors into out[0..n), one tree walk per page.
  // REQUIRES: start + n <= capacity.
  void words(Sector start, uint64_t n, uint64_t* out) const;
  // 512 bytes of s: stored bytes, else the rendered stamp. REQUIRES: s < capacity.
  void render(Sector s, uint8_t* out) const;

  // A hint without effect on contents: starts loading the tree path and leaf
  // words of s into the CPU cache ahead of a set() (random writes over a large
  // image miss the cache on every leaf). `leaf` false: only the interior slot
  // that points to the leaf (no load that can miss); true: the leaf itself (a
  // pipeline issues the shallow hint some writes before the deep one).
  // REQUIRES: s < capacity.
  void prefetch(Sector s, bool leaf = true) const;

  // REQUIRES: s < capacity; bytes null or word == content_word_of_bytes(bytes).
  void set(Sector s, uint64_t word, SectorBytesPtr bytes);
  // Sets n consecutive sectors; `bytes` may be null (stamps) else has n entries.
  // `skip` (may be null) has n flags: a set flag leaves that sector unchanged.
  // REQUIRES: start + n <= capacity.
  void set_range(Sector start, uint64_t n, const uint64_t* words, const SectorBytesPtr* bytes,
                 const uint8_t* skip = nullptr);

  // Pages (64-sector units, page p covers sectors [64p, 64p + 64)) present in
  // the tree, ascending. Cost: proportional to pages touched.
  void touched_pages(std::vector<uint64_t>& out) const;
  uint64_t touched_page_count() const;
  // The 64 words of page p, or null if the page was never touched.
  const uint64_t* page_words(uint64_t page) const;
  // Pages whose leaves differ between *this and other (present in either and
  // not the very same leaf), ascending. Shared subtrees are skipped, so the
  // cost is proportional to the difference. REQUIRES: same capacity.
  void differing_pages(const DiskImage& other, std::vector<uint64_t>& out) const;
  // True if both images share the same tree (no mutation since the copy).
  bool same_tree(const DiskImage& other) const { return root_ == other.root_; }

 private:
  struct Cell;  // reference-counted base of Node and Leaf
  struct Leaf;
  struct Node;
  const Leaf* find_leaf(uint64_t page) const;
  Leaf& mutable_leaf(uint64_t page);

  SectorCount capacity_;
  uint32_t levels_ = 1;   // interior levels above the leaves
  Node* root_ = nullptr;  // owns one reference
};

// Calls fn(Sector, const uint64_t* words) for every sector of every page touched
// in at least one of `images` (sorted, each sector once), with words[i] the
// content word in images[i] (0 where untouched). For "members disagree" checks.
// Cost: proportional to pages touched in the union times images.size().
template <class Fn>
void for_each_touched_sector(const std::vector<const DiskImage*>& images, Fn&& fn) {
  std::vector<uint64_t> pages, one;
  for (const DiskImage* img : images) {
    one.clear();
    img->touched_pages(one);
    std::vector<uint64_t> merged;
    merged.reserve(pages.size() + one.size());
    size_t i = 0, j = 0;
    while (i < pages.size() || j < one.size()) {
      uint64_t next;
      if (j == one.size() || (i < pages.size() && pages[i] < one[j])) {
        next = pages[i++];
      } else if (i == pages.size() || one[j] < pages[i]) {
        next = one[j++];
      } else {
        next = pages[i++];
        ++j;
      }
      merged.push_back(next);
    }
    pages.swap(merged);
  }
  std::vector<const uint64_t*> rows(images.size());
  std::vector<uint64_t> words(images.size());
  for (uint64_t p : pages) {
    for (size_t k = 0; k < images.size(); ++k) rows[k] = images[k]->page_words(p);
    for (uint32_t s = 0; s < kPageSectors; ++s) {
      const Sector sector((p << kPageShift) + s);
      if (sector.value() >= images[0]->capacity().value()) break;
      for (size_t k = 0; k < images.size(); ++k) words[k] = rows[k] ? rows[k][s] : 0;
      fn(sector, words.data());
    }
  }
}

// Calls fn(Sector, uint64_t word_a, uint64_t word_b) for every sector whose
// content word differs between a and b, ascending. Cost: proportional to the
// leaves that are not shared between the two images.
template <class Fn>
void for_each_difference(const DiskImage& a, const DiskImage& b, Fn&& fn) {
  std::vector<uint64_t> pages;
  a.differing_pages(b, pages);
  for (uint64_t p : pages) {
    const uint64_t* ra = a.page_words(p);
    const uint64_t* rb = b.page_words(p);
    for (uint32_t s = 0; s < kPageSectors; ++s) {
      const uint64_t wa = ra ? ra[s] : 0;
      const uint64_t wb = rb ? rb[s] : 0;
      if (wa != wb) fn(Sector((p << kPageShift) + s), wa, wb);
    }
  }
}

}  // namespace mdsim::disk
