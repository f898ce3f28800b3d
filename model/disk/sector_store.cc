#include "model/disk/sector_store.h"

#include <algorithm>
#include <utility>

#include "model/disk/io.h"
#include "sim/assert.h"

namespace mdsim::disk {

struct DiskImage::Leaf {
  std::array<uint64_t, kPageSectors> words{};
  // Sectors holding real bytes, sorted by index within the page.
  std::vector<std::pair<uint8_t, SectorBytesPtr>> bytes;
};

struct DiskImage::Node {
  // Children are Nodes above level 1 and Leaves at level 1 (the level is
  // known while walking, so no tag is stored).
  std::array<std::shared_ptr<void>, kFan> child;
};

namespace {

// Bound on the tree depth: 64-bit sector addresses need at most this many.
constexpr uint32_t kLevelsMax = (64 - kPageShift + kFanShift - 1) / kFanShift;

uint32_t child_index(uint64_t page, uint32_t level) {
  return static_cast<uint32_t>((page >> (kFanShift * (level - 1))) & (kFan - 1));
}

}  // namespace

void render_word(uint64_t word, uint8_t* out) {
  for (uint32_t i = 0; i < kSectorBytes; ++i) out[i] = static_cast<uint8_t>(word >> (8 * (i % 8)));
}

DiskImage::DiskImage(SectorCount capacity) : capacity_(capacity) {
  const uint64_t pages = (capacity.value() + kPageSectors - 1) >> kPageShift;
  const uint64_t last_page = pages > 0 ? pages - 1 : 0;
  levels_ = 1;
  while (levels_ < kLevelsMax && (last_page >> (kFanShift * levels_)) != 0) ++levels_;
  SIM_ASSERT(levels_ >= 1);
  SIM_ASSERT(levels_ <= kLevelsMax);
}

const DiskImage::Leaf* DiskImage::find_leaf(uint64_t page) const {
  const Node* node = root_.get();
  for (uint32_t level = levels_; node != nullptr; --level) {
    const void* c = node->child[child_index(page, level)].get();
    if (level == 1) return static_cast<const Leaf*>(c);
    node = static_cast<const Node*>(c);
  }
  return nullptr;
}

DiskImage::Leaf& DiskImage::mutable_leaf(uint64_t page) {
  // Path copying: any node another image may still see is cloned first.
  if (!root_) {
    root_ = std::make_shared<Node>();
  } else if (root_.use_count() != 1) {
    root_ = std::make_shared<Node>(*root_);
  }
  Node* node = root_.get();
  for (uint32_t level = levels_;; --level) {
    std::shared_ptr<void>& slot = node->child[child_index(page, level)];
    if (level == 1) {
      if (!slot) {
        slot = std::make_shared<Leaf>();
      } else if (slot.use_count() != 1) {
        slot = std::make_shared<Leaf>(*static_cast<const Leaf*>(slot.get()));
      }
      return *static_cast<Leaf*>(slot.get());
    }
    if (!slot) {
      slot = std::make_shared<Node>();
    } else if (slot.use_count() != 1) {
      slot = std::make_shared<Node>(*static_cast<const Node*>(slot.get()));
    }
    node = static_cast<Node*>(slot.get());
  }
}

uint64_t DiskImage::word(Sector s) const {
  SIM_ASSERT(s.value() < capacity_.value());
  const Leaf* leaf = find_leaf(s.value() >> kPageShift);
  return leaf ? leaf->words[s.value() & (kPageSectors - 1)] : 0;
}

SectorBytesPtr DiskImage::bytes(Sector s) const {
  SIM_ASSERT(s.value() < capacity_.value());
  const Leaf* leaf = find_leaf(s.value() >> kPageShift);
  if (!leaf) return nullptr;
  const auto idx = static_cast<uint8_t>(s.value() & (kPageSectors - 1));
  for (const auto& [i, p] : leaf->bytes) {
    if (i == idx) return p;
  }
  return nullptr;
}

void DiskImage::render(Sector s, uint8_t* out) const {
  if (SectorBytesPtr p = bytes(s)) {
    std::copy(p->b.begin(), p->b.end(), out);
    return;
  }
  render_word(word(s), out);
}

void DiskImage::set(Sector s, uint64_t word, SectorBytesPtr bytes) {
  set_range(s, 1, &word, bytes ? &bytes : nullptr, nullptr);
}

void DiskImage::set_range(Sector start, uint64_t n, const uint64_t* words,
                          const SectorBytesPtr* bytes, const uint8_t* skip) {
  SIM_ASSERT(start.value() + n <= capacity_.value());
  SIM_ASSERT(n == 0 || words != nullptr);
  uint64_t i = 0;
  while (i < n) {
    const uint64_t s = start.value() + i;
    const uint64_t page = s >> kPageShift;
    const uint64_t in_page = std::min<uint64_t>(n - i, kPageSectors - (s & (kPageSectors - 1)));
    Leaf& leaf = mutable_leaf(page);
    for (uint64_t k = 0; k < in_page; ++k, ++i) {
      if (skip && skip[i]) continue;
      const auto idx = static_cast<uint8_t>((s + k) & (kPageSectors - 1));
      leaf.words[idx] = words[i];
      auto it = std::lower_bound(leaf.bytes.begin(), leaf.bytes.end(), idx,
                                 [](const auto& e, uint8_t v) { return e.first < v; });
      const bool has = it != leaf.bytes.end() && it->first == idx;
      const SectorBytesPtr* b = bytes ? &bytes[i] : nullptr;
      if (b && *b && words[i] != 0) {
        SIM_ASSERT(words[i] == content_word_of_bytes((*b)->b.data()));
        if (has) {
          it->second = *b;
        } else {
          leaf.bytes.insert(it, {idx, *b});
        }
      } else if (has) {
        leaf.bytes.erase(it);
      }
    }
  }
}

const uint64_t* DiskImage::page_words(uint64_t page) const {
  const Leaf* leaf = find_leaf(page);
  return leaf ? leaf->words.data() : nullptr;
}

namespace {

// One step of an explicit-stack tree walk (no recursion, bounded depth).
struct WalkFrame {
  const void* a;
  const void* b;
  uint32_t level;
  uint64_t prefix;  // page index bits above this node
};

}  // namespace

void DiskImage::touched_pages(std::vector<uint64_t>& out) const {
  differing_pages(DiskImage(capacity_), out);
}

uint64_t DiskImage::touched_page_count() const {
  std::vector<uint64_t> pages;
  touched_pages(pages);
  return pages.size();
}

void DiskImage::differing_pages(const DiskImage& other, std::vector<uint64_t>& out) const {
  SIM_ASSERT(capacity_ == other.capacity_);
  SIM_ASSERT(levels_ == other.levels_);
  std::vector<WalkFrame> stack;
  stack.reserve(kLevelsMax * kFan);
  if (root_.get() != other.root_.get())
    stack.push_back({root_.get(), other.root_.get(), levels_, 0});
  while (!stack.empty()) {
    const WalkFrame f = stack.back();
    stack.pop_back();
    if (f.level == 0) {
      out.push_back(f.prefix);
      continue;
    }
    const Node* na = static_cast<const Node*>(f.a);
    const Node* nb = static_cast<const Node*>(f.b);
    // Push in reverse so that pages come out ascending.
    for (uint32_t k = kFan; k-- > 0;) {
      const void* ca = na ? na->child[k].get() : nullptr;
      const void* cb = nb ? nb->child[k].get() : nullptr;
      if (ca == cb) continue;  // both absent, or the very same subtree
      stack.push_back({ca, cb, f.level - 1, (f.prefix << kFanShift) | k});
    }
  }
}

}  // namespace mdsim::disk
