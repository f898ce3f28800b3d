#include "model/disk/sector_store.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "model/disk/io.h"
#include "sim/assert.h"

namespace mdsim::disk {

// Nodes and leaves are reference counted by hand (8-byte child pointers, half
// the size of shared_ptr children) and released without recursion.
struct DiskImage::Cell {
  explicit Cell(bool leaf) : is_leaf(leaf) {}
  Cell(const Cell& o) : refs(1), is_leaf(o.is_leaf) {}
  Cell& operator=(const Cell&) = delete;
  std::atomic<uint32_t> refs{1};
  bool is_leaf;
};

struct DiskImage::Leaf : Cell {
  Leaf() : Cell(true) {}
  // Sectors holding real bytes, sorted by index within the page. Placed next to
  // the reference count so that a stamp write touches the header cache line
  // plus the words it sets (random writes miss the cache on every leaf).
  std::vector<std::pair<uint8_t, SectorBytesPtr>> bytes;
  std::array<uint64_t, kPageSectors> words{};
};

struct DiskImage::Node : Cell {
  Node() : Cell(false) {}
  // A copy shares every child: one more reference each.
  Node(const Node& o) : Cell(o), child(o.child) {
    for (Cell* c : child) {
      if (c) c->refs.fetch_add(1, std::memory_order_relaxed);
    }
  }
  // Children are Nodes above level 1 and Leaves at level 1.
  std::array<Cell*, kFan> child{};
};

namespace {

// Bound on the tree depth: 64-bit sector addresses need at most this many.
constexpr uint32_t kLevelsMax = (64 - kPageShift + kFanShift - 1) / kFanShift;

uint32_t child_index(uint64_t page, uint32_t level) {
  return static_cast<uint32_t>((page >> (kFanShift * (level - 1))) & (kFan - 1));
}

bool unique(const std::atomic<uint32_t>& refs) { return refs.load(std::memory_order_acquire) == 1; }

}  // namespace

// Drops one reference to `top` and frees every cell that reaches zero, with an
// explicit stack (bounded by depth * fan-out).
template <class CellT, class NodeT, class LeafT>
static void release_cells(CellT* top) {
  std::vector<CellT*> stack;
  if (top) stack.push_back(top);
  while (!stack.empty()) {
    CellT* c = stack.back();
    stack.pop_back();
    if (c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) continue;
    if (c->is_leaf) {
      delete static_cast<LeafT*>(c);
      continue;
    }
    NodeT* n = static_cast<NodeT*>(c);
    for (CellT* k : n->child) {
      if (k) stack.push_back(k);
    }
    delete n;
  }
}

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

DiskImage::DiskImage(const DiskImage& o)
    : capacity_(o.capacity_), levels_(o.levels_), root_(o.root_) {
  if (root_) root_->refs.fetch_add(1, std::memory_order_relaxed);
}

DiskImage& DiskImage::operator=(const DiskImage& o) {
  if (this == &o) return *this;
  if (o.root_) o.root_->refs.fetch_add(1, std::memory_order_relaxed);
  release_cells<Cell, Node, Leaf>(root_);
  capacity_ = o.capacity_;
  levels_ = o.levels_;
  root_ = o.root_;
  return *this;
}

DiskImage::DiskImage(DiskImage&& o) noexcept
    : capacity_(o.capacity_), levels_(o.levels_), root_(std::exchange(o.root_, nullptr)) {}

DiskImage& DiskImage::operator=(DiskImage&& o) noexcept {
  if (this == &o) return *this;
  release_cells<Cell, Node, Leaf>(root_);
  capacity_ = o.capacity_;
  levels_ = o.levels_;
  root_ = std::exchange(o.root_, nullptr);
  return *this;
}

DiskImage::~DiskImage() { release_cells<Cell, Node, Leaf>(root_); }

const DiskImage::Leaf* DiskImage::find_leaf(uint64_t page) const {
  const Node* node = root_;
  for (uint32_t level = levels_; node != nullptr; --level) {
    const Cell* c = node->child[child_index(page, level)];
    if (level == 1) return static_cast<const Leaf*>(c);
    node = static_cast<const Node*>(c);
  }
  return nullptr;
}

DiskImage::Leaf& DiskImage::mutable_leaf(uint64_t page) {
  // Path copying: any cell another image may still see is cloned first; the
  // clone takes this path's reference from the shared original.
  if (!root_) {
    root_ = new Node();
  } else if (!unique(root_->refs)) {
    Node* copy = new Node(*root_);
    release_cells<Cell, Node, Leaf>(root_);
    root_ = copy;
  }
  Node* node = root_;
  for (uint32_t level = levels_;; --level) {
    Cell*& slot = node->child[child_index(page, level)];
    if (level == 1) {
      if (!slot) {
        slot = new Leaf();
      } else if (!unique(slot->refs)) {
        Leaf* copy = new Leaf(*static_cast<const Leaf*>(slot));
        release_cells<Cell, Node, Leaf>(slot);
        slot = copy;
      }
      SIM_ASSERT(slot->is_leaf);
      return *static_cast<Leaf*>(slot);
    }
    if (!slot) {
      slot = new Node();
    } else if (!unique(slot->refs)) {
      Node* copy = new Node(*static_cast<const Node*>(slot));
      release_cells<Cell, Node, Leaf>(slot);
      slot = copy;
    }
    SIM_ASSERT(!slot->is_leaf);
    node = static_cast<Node*>(slot);
  }
}

uint64_t DiskImage::word(Sector s) const {
  SIM_ASSERT(s.value() < capacity_.value());
  const Leaf* leaf = find_leaf(s.value() >> kPageShift);
  return leaf ? leaf->words[s.value() & (kPageSectors - 1)] : 0;
}

void DiskImage::words(Sector start, uint64_t n, uint64_t* out) const {
  SIM_ASSERT(start.value() + n <= capacity_.value());
  uint64_t i = 0;
  while (i < n) {
    const uint64_t s = start.value() + i;
    const uint64_t offset = s & (kPageSectors - 1);
    const uint64_t in_page = std::min<uint64_t>(n - i, kPageSectors - offset);
    const Leaf* leaf = find_leaf(s >> kPageShift);
    for (uint64_t k = 0; k < in_page; ++k, ++i) out[i] = leaf ? leaf->words[offset + k] : 0;
  }
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

void DiskImage::prefetch(Sector s, bool deep) const {
  SIM_ASSERT(s.value() < capacity_.value());
  const uint64_t page = s.value() >> kPageShift;
  const Node* node = root_;
  for (uint32_t level = levels_; node != nullptr && level > 1; --level) {
    node = static_cast<const Node*>(node->child[child_index(page, level)]);
  }
  if (node == nullptr) return;
  if (!deep) {
    __builtin_prefetch(&node->child[child_index(page, 1)], 0);
    return;
  }
  const Cell* leaf = node->child[child_index(page, 1)];
  if (leaf == nullptr) return;
  const auto* l = static_cast<const Leaf*>(leaf);
  __builtin_prefetch(l, 1);
  __builtin_prefetch(&l->words[s.value() & (kPageSectors - 1)], 1);
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
    if (bytes == nullptr && leaf.bytes.empty()) {
      // Stamps over a page without bytes (the data path): plain word stores.
      const uint64_t offset = s & (kPageSectors - 1);
      for (uint64_t k = 0; k < in_page; ++k, ++i) {
        if (!skip || !skip[i]) leaf.words[offset + k] = words[i];
      }
      continue;
    }
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
  if (root_ != other.root_) stack.push_back({root_, other.root_, levels_, 0});
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
      const void* ca = na ? na->child[k] : nullptr;
      const void* cb = nb ? nb->child[k] : nullptr;
      if (ca == cb) continue;  // both absent, or the very same subtree
      stack.push_back({ca, cb, f.level - 1, (f.prefix << kFanShift) | k});
    }
  }
}

}  // namespace mdsim::disk
