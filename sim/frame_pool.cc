#include "sim/frame_pool.h"

#include <array>
#include <new>

// Under AddressSanitizer frames bypass the pool: a recycled block stays
// addressable, so a resumption of a destroyed coroutine frame (a use after
// free) would silently read another frame instead of being reported.
#if defined(__SANITIZE_ADDRESS__)
#define MDSIM_FRAME_POOL_BYPASS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MDSIM_FRAME_POOL_BYPASS 1
#endif
#endif
#ifndef MDSIM_FRAME_POOL_BYPASS
#define MDSIM_FRAME_POOL_BYPASS 0
#endif

namespace mdsim::sim::detail {

namespace {

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible and constant-initialized, so each access is a plain
// thread-local load (no lazy-initialization wrapper on the hot path).
struct FreeLists {
  std::array<FreeBlock*, kFrameClasses> head;
  std::array<std::size_t, kFrameClasses> count;
  bool reaper_armed;
  bool gone;  // the thread is exiting: frames go straight to delete
};
thread_local FreeLists tl_lists{};

// Frees the thread's listed blocks at thread exit. Touched once per thread
// (the first pooled free), which registers its destructor.
struct Reaper {
  ~Reaper() {
    FreeLists& l = tl_lists;
    for (FreeBlock*& h : l.head) {
      while (h != nullptr) {
        FreeBlock* b = h;
        h = b->next;
        ::operator delete(b);
      }
    }
    l.count = {};
    l.gone = true;
  }
};
thread_local Reaper tl_reaper;

// Size class of an n-byte frame, or kFrameClasses if not pooled.
std::size_t class_of(std::size_t n) {
  if (n == 0) return kFrameClasses;
  const std::size_t c = (n - 1) / kFrameClassBytes;
  return c < kFrameClasses ? c : kFrameClasses;
}

}  // namespace

void* frame_alloc(std::size_t n) {
  if constexpr (MDSIM_FRAME_POOL_BYPASS) return ::operator new(n);
  const std::size_t c = class_of(n);
  FreeLists& l = tl_lists;
  if (c == kFrameClasses) return ::operator new(n);
  if (FreeBlock* b = l.head[c]) {
    l.head[c] = b->next;
    --l.count[c];
    return b;
  }
  return ::operator new((c + 1) * kFrameClassBytes);
}

void frame_free(void* p, std::size_t n) noexcept {
  if constexpr (MDSIM_FRAME_POOL_BYPASS) {
    ::operator delete(p);
    return;
  }
  const std::size_t c = class_of(n);
  FreeLists& l = tl_lists;
  if (c == kFrameClasses || l.gone || l.count[c] >= kFramePoolPerClass) {
    ::operator delete(p);
    return;
  }
  if (!l.reaper_armed) {
    l.reaper_armed = true;
    Reaper* volatile keep = &tl_reaper;  // odr-use: constructs it, registers ~Reaper
    static_cast<void>(keep);
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = l.head[c];
  l.head[c] = b;
  ++l.count[c];
}

}  // namespace mdsim::sim::detail
