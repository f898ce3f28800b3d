// Ownership of in-flight request objects (r10bio, raid5 bios) whose raw
// pointers travel through completion callbacks, as the kernel's do.
//
// A power loss abandons requests mid-flight: their callbacks are dropped with
// the simulator, so nothing would ever free them. The personality owns every
// live request here instead; done() frees one, and whatever is still live is
// freed with the personality.
//
// Invariants: items_[i]->live_index == i for every i; add/done are O(1).
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
  // REQUIRES: item was returned by add() and not yet done.
  void done(T* item) {
    const size_t i = item->live_index;
    SIM_ASSERT(i < items_.size() && items_[i].get() == item);
    if (i + 1 != items_.size()) {
      items_[i] = std::move(items_.back());
      items_[i]->live_index = i;
    }
    items_.pop_back();
  }
  size_t size() const { return items_.size(); }

 private:
  std::vector<std::unique_ptr<T>> items_;
};

}  // namespace mdsim::md
