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
// Events for the instant of the last pop (zero-delay wakeups, spawns: about
// one per simulated IO) skip the heap: they go to a FIFO, which is already
// in (time, seq) order. Every heap entry for that instant was pushed before
// the clock reached it, so it precedes every FIFO entry; the FIFO is empty
// before a later instant is popped.
//
// Invariants:
//  (1) every heap or FIFO entry refers to a slot; a slot is live iff
//      slot.seq == entry.seq;
//  (2) the heap is a 4-ary min-heap on (time_ns, seq) (shallower than a binary
//      heap, so fewer entry moves per pop; the order (time_ns, seq) is total,
//      so the pop order does not depend on the heap's shape);
//  (3) seq values are unique and strictly increasing in push order;
//  (4) every FIFO entry has time_ns == now_ns_ (the last popped time) and a
//      greater seq than every heap entry with that time; FIFO seqs increase;
//  (5) dead_ = the number of heap and pending FIFO entries whose slot is not
//      live (cancelled events not yet dropped).
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
  // 16 bytes: seq and slot share a word, seq in the high bits, so comparing
  // the word orders by seq (seqs are unique). Limits: 2^24 pending events,
  // 2^40 pushes per simulation (asserted).
  static constexpr int kSlotBits = 24;
  static constexpr uint64_t kSlotMask = (uint64_t{1} << kSlotBits) - 1;
  struct Entry {
    int64_t time_ns;  // >= 0
    uint64_t seq_slot;
    uint64_t seq() const { return seq_slot >> kSlotBits; }
    uint32_t slot() const { return static_cast<uint32_t>(seq_slot & kSlotMask); }
  };
  struct Slot {
    Callback fn;
    uint64_t seq = 0;  // 0 = free or cancelled
  };
  static constexpr size_t kArity = 4;
  // (time_ns, seq) order as one 128-bit comparison (no branch per level).
  static unsigned __int128 key(const Entry& e) {
    return static_cast<unsigned __int128>(static_cast<uint64_t>(e.time_ns)) << 64 | e.seq_slot;
  }
  static bool before(const Entry& a, const Entry& b) { return key(a) < key(b); }
  void sift_up(size_t i);
  void sift_down(size_t i);
  void pop_top();
  void drop_dead_top();
  void drop_dead_fifo();
  // The live FIFO front comes next (invariant 4).
  bool fifo_first();
  // Takes the slot's callback, frees the slot.
  void take(uint32_t slot, Callback& out);

  std::vector<Entry> heap_;
  std::vector<Entry> fifo_;  // [fifo_head_, end) pending; cleared when drained
  size_t fifo_head_ = 0;
  int64_t now_ns_ = 0;  // time of the last pop
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  uint64_t next_seq_ = 1;
  size_t live_ = 0;
  // Cancelled events whose heap or FIFO entry is still queued. While 0 (nearly
  // always) a pop needs no liveness test, so no load of the slot's seq.
  size_t dead_ = 0;
};

}  // namespace mdsim::sim
