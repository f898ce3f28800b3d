// Ownership of in-flight request objects (r10bio, raid5 bios) whose raw
// pointers travel through completion callbacks, as the kernel's do.
//
// A power loss abandons requests mid-flight: their callbacks are dropped with
// the simulator, so nothing would ever free them. The personality owns every
// live request here instead; done() frees one, and whatever is still live is
// freed with the personality.
//
// Finished items are kept on a bounded free list and handed out again by
// make() (an r1bio per user write was a measurable share of the per-IO cost).
//
// Invariants: items_[i]->live_index == i for every i; add/make/done are O(1);
// every item on the free list holds a default-constructed T.
#pragma once

#include <memory>
#include <vector>

#include "sim/assert.h"

namespace mdsim::md {

template <class T>  // T has a `size_t live_index` member
class LiveSet {
 public:
  T* add(std::unique_ptr<T> item) {
    item->live_index = items_.size();
    items_.push_back(std::move(item));
    return items_.back().get();
  }
  // A default-constructed T, recycled when one is free.
  T* make() {
    if (free_.empty()) return add(std::make_unique<T>());
    std::unique_ptr<T> item = std::move(free_.back());
    free_.pop_back();
    return add(std::move(item));
  }
  // REQUIRES: item was returned by add() or make() and not yet done. The item
  // is reset (releasing what it holds) and may be handed out again by make().
  void done(T* item) {
    const size_t i = item->live_index;
    SIM_ASSERT(i < items_.size() && items_[i].get() == item);
    std::unique_ptr<T> own = std::move(items_[i]);
    if (i + 1 != items_.size()) {
      items_[i] = std::move(items_.back());
      items_[i]->live_index = i;
    }
    items_.pop_back();
    if (free_.size() >= kFreeMax) return;  // `own` frees it
    *own = T{};
    free_.push_back(std::move(own));
  }
  size_t size() const { return items_.size(); }

 private:
  static constexpr size_t kFreeMax = 256;  // bounds the free list's memory
  std::vector<std::unique_ptr<T>> items_;
  std::vector<std::unique_ptr<T>> free_;
};

}  // namespace mdsim::md
