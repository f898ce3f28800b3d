// The pending-event set of one simulation.
//
// Ordering rule (total, documented, independent of any std container's tie
// order): events fire in increasing (time_ns, seq), where seq is a counter that
// increases by one at every push. Two events at the same instant therefore fire
// in the order they were scheduled (FIFO), on every platform.
//
// Cancellation is lazy: cancel() frees the callback at once and marks the slot,
// and the heap entry is skipped when it reaches the top. EventId is invalid by
// default and cancel() / pending() are always safe to call on any id, including
// ids of events that already fired.
//
// Invariants:
//  (1) every heap entry refers to a slot; a slot is live iff slot.seq == entry.seq;
//  (2) the heap is a 4-ary min-heap on (time_ns, seq) (shallower than a binary
//      heap, so fewer entry moves per pop; the order (time_ns, seq) is total,
//      so the pop order does not depend on the heap's shape);
//  (3) seq values are unique and strictly increasing in push order.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/assert.h"
#include "sim/callback.h"
#include "sim/time.h"

namespace mdsim::sim {

class EventId {
 public:
  EventId() = default;
  bool valid() const { return seq_ != 0; }

 private:
  friend class EventQueue;
  EventId(uint32_t slot, uint64_t seq) : slot_(slot), seq_(seq) {}
  uint32_t slot_ = 0;
  uint64_t seq_ = 0;
};

class EventQueue {
 public:
  // REQUIRES: fn is callable.
  EventId push(Instant at, Callback&& fn);
  // Returns true if the event was pending and is now cancelled.
  bool cancel(EventId id);
  bool pending(EventId id) const;

  bool empty() const { return live_ == 0; }
  size_t size() const { return live_; }
  // REQUIRES: !empty(). The time of the next live event.
  Instant next_time();
  // REQUIRES: !empty(). Removes the next live event; returns its time and callback.
  Instant pop(Callback& out);

 private:
  struct Entry {
    int64_t time_ns;
    uint64_t seq;
    uint32_t slot;
  };
  struct Slot {
    Callback fn;
    uint64_t seq = 0;  // 0 = free or cancelled
  };
  static constexpr size_t kArity = 4;
  static bool before(const Entry& a, const Entry& b) {
    return a.time_ns != b.time_ns ? a.time_ns < b.time_ns : a.seq < b.seq;
  }
  void sift_up(size_t i);
  void sift_down(size_t i);
  void pop_top();
  void drop_dead_top();

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  uint64_t next_seq_ = 1;
  size_t live_ = 0;
};

}  // namespace mdsim::sim
