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
  slots_[slot].fn = std::move(fn);
  slots_[slot].seq = seq;
  heap_.push_back(Entry{at.ns(), seq, slot});
  sift_up(heap_.size() - 1);
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
  // The slot is recycled when its heap entry is popped, never earlier, so a
  // stale heap entry can never alias a new event (invariant 1).
  return true;
}

Instant EventQueue::next_time() {
  drop_dead_top();
  SIM_ASSERT(!heap_.empty());
  return Instant::from_ns(heap_.front().time_ns);
}

Instant EventQueue::pop(Callback& out) {
  drop_dead_top();
  SIM_ASSERT(!heap_.empty());
  const Entry top = heap_.front();
  Slot& s = slots_[top.slot];
  SIM_ASSERT(s.seq == top.seq);
  out = std::move(s.fn);  // leaves s.fn empty
  s.seq = 0;
  --live_;
  pop_top();
  free_slots_.push_back(top.slot);
  return Instant::from_ns(top.time_ns);
}

void EventQueue::drop_dead_top() {
  while (!heap_.empty() && slots_[heap_.front().slot].seq != heap_.front().seq) {
    free_slots_.push_back(heap_.front().slot);
    pop_top();
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
  const Entry e = heap_[i];
  const size_t start = i;
  for (;;) {
    const size_t first = kArity * i + 1;
    if (first >= n) break;
    const size_t last = first + kArity < n ? first + kArity : n;
    size_t child = first;
    for (size_t c = first + 1; c < last; ++c) {
      if (before(heap_[c], heap_[child])) child = c;
    }
    heap_[i] = heap_[child];
    i = child;
  }
  while (i > start) {
    const size_t parent = (i - 1) / kArity;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

}  // namespace mdsim::sim
