#include "sim/event_queue.h"

#include <utility>

namespace mdsim::sim {

EventId EventQueue::push(Instant at, Callback&& fn) {
  SIM_ASSERT(fn != nullptr);
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const uint64_t seq = next_seq_++;
  SIM_ASSERT(slot <= kSlotMask && seq < (uint64_t{1} << (64 - kSlotBits)));
  slots_[slot].fn = std::move(fn);
  slots_[slot].seq = seq;
  SIM_ASSERT(at.ns() >= now_ns_);
  const Entry e{at.ns(), seq << kSlotBits | slot};
  if (at.ns() == now_ns_) {
    fifo_.push_back(e);  // invariant 4: seq is the largest yet
  } else {
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }
  ++live_;
  return EventId(slot, seq);
}

bool EventQueue::pending(EventId id) const {
  return id.valid() && id.slot_ < slots_.size() && slots_[id.slot_].seq == id.seq_;
}

bool EventQueue::cancel(EventId id) {
  if (!pending(id)) return false;
  Slot& s = slots_[id.slot_];
  s.seq = 0;
  s.fn = nullptr;
  --live_;
  ++dead_;
  // The slot is recycled when its heap entry is popped, never earlier, so a
  // stale heap entry can never alias a new event (invariant 1).
  return true;
}

bool EventQueue::fifo_first() {
  drop_dead_fifo();
  if (fifo_head_ == fifo_.size()) return false;
  drop_dead_top();
  return heap_.empty() || heap_.front().time_ns != now_ns_;
}

Instant EventQueue::next_time() {
  if (fifo_first()) return Instant::from_ns(now_ns_);
  drop_dead_top();
  SIM_ASSERT(!heap_.empty());
  return Instant::from_ns(heap_.front().time_ns);
}

void EventQueue::take(uint32_t slot, Callback& out) {
  Slot& s = slots_[slot];
  out = std::move(s.fn);  // leaves s.fn empty
  s.seq = 0;
  --live_;
  free_slots_.push_back(slot);
}

Instant EventQueue::pop(Callback& out) {
  if (fifo_first()) {
    const Entry e = fifo_[fifo_head_++];
    if (fifo_head_ == fifo_.size()) {
      fifo_.clear();
      fifo_head_ = 0;
    }
    take(e.slot(), out);
    return Instant::from_ns(e.time_ns);
  }
  drop_dead_top();
  SIM_ASSERT(!heap_.empty());
  const Entry top = heap_.front();
  SIM_ASSERT(slots_[top.slot()].seq == top.seq());
  pop_top();
  take(top.slot(), out);
  if (top.time_ns != now_ns_) {
    SIM_ASSERT(fifo_head_ == fifo_.size());  // invariant 4: drained before time moves
    now_ns_ = top.time_ns;
  }
  return Instant::from_ns(top.time_ns);
}

void EventQueue::drop_dead_top() {
  while (dead_ != 0 && !heap_.empty() && slots_[heap_.front().slot()].seq != heap_.front().seq()) {
    free_slots_.push_back(heap_.front().slot());
    pop_top();
    --dead_;
  }
}

void EventQueue::drop_dead_fifo() {
  while (dead_ != 0 && fifo_head_ < fifo_.size() &&
         slots_[fifo_[fifo_head_].slot()].seq != fifo_[fifo_head_].seq()) {
    free_slots_.push_back(fifo_[fifo_head_].slot());
    ++fifo_head_;
    --dead_;
  }
}

void EventQueue::pop_top() {
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
}

void EventQueue::sift_up(size_t i) {
  Entry e = heap_[i];
  while (i > 0) {
    const size_t parent = (i - 1) / kArity;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventQueue::sift_down(size_t i) {
  // Bottom-up (Floyd): the entry placed at i is the heap's last one, which
  // nearly always belongs near the bottom, so move the hole down along the
  // smallest children without comparing against it, then sift it up from
  // there. Same resulting order as the textbook loop, fewer comparisons.
  const size_t n = heap_.size();
  Entry* h = heap_.data();
  const Entry e = h[i];
  const size_t start = i;
  for (;;) {
    const size_t first = kArity * i + 1;
    if (first >= n) break;
    size_t child = first;
    if (first + kArity <= n) {
      // A full node (nearly always): a tournament of two pairs, 3 comparisons
      // and no loop. Keys are unique, so the minimum is the one a scan finds.
      static_assert(kArity == 4);
      const size_t a = before(h[first + 1], h[first]) ? first + 1 : first;
      const size_t b = before(h[first + 3], h[first + 2]) ? first + 3 : first + 2;
      child = before(h[b], h[a]) ? b : a;
    } else {
      for (size_t c = first + 1; c < n; ++c)
        if (before(h[c], h[child])) child = c;
    }
    h[i] = h[child];
    i = child;
  }
  while (i > start) {
    const size_t parent = (i - 1) / kArity;
    if (!before(e, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = e;
}

}  // namespace mdsim::sim
