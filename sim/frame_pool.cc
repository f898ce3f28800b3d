#include "sim/frame_pool.h"

#include <array>
#include <new>

namespace mdsim::sim::detail {

namespace {

struct FreeBlock {
  FreeBlock* next;
};

struct FreeLists {
  std::array<FreeBlock*, kFrameClasses> head{};
  std::array<std::size_t, kFrameClasses> count{};
  ~FreeLists();
};

// Set once the thread's lists are destroyed: frames freed later (objects with
// thread or static storage that outlive the lists) go straight to delete.
thread_local bool tl_lists_gone = false;
thread_local FreeLists tl_lists;

FreeLists::~FreeLists() {
  for (FreeBlock*& h : head) {
    while (h != nullptr) {
      FreeBlock* b = h;
      h = b->next;
      ::operator delete(b);
    }
  }
  tl_lists_gone = true;
}

// Size class of an n-byte frame, or kFrameClasses if not pooled.
std::size_t class_of(std::size_t n) {
  if (n == 0) return kFrameClasses;
  const std::size_t c = (n - 1) / kFrameClassBytes;
  return c < kFrameClasses ? c : kFrameClasses;
}

}  // namespace

void* frame_alloc(std::size_t n) {
  const std::size_t c = class_of(n);
  if (c == kFrameClasses || tl_lists_gone) return ::operator new(n);
  FreeLists& l = tl_lists;
  if (FreeBlock* b = l.head[c]) {
    l.head[c] = b->next;
    --l.count[c];
    return b;
  }
  return ::operator new((c + 1) * kFrameClassBytes);
}

void frame_free(void* p, std::size_t n) noexcept {
  const std::size_t c = class_of(n);
  if (c == kFrameClasses || tl_lists_gone) {
    ::operator delete(p);
    return;
  }
  FreeLists& l = tl_lists;
  if (l.count[c] >= kFramePoolPerClass) {
    ::operator delete(p);
    return;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = l.head[c];
  l.head[c] = b;
  ++l.count[c];
}

}  // namespace mdsim::sim::detail
