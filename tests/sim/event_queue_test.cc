#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <vector>

#include "sim/prng.h"

namespace mdsim::sim {
namespace {

TEST(EventQueue, OrdersByTimeThenSchedulingOrder) {
  EventQueue q;
  std::vector<int> order;
  q.push(Instant::from_ns(20), [&] { order.push_back(3); });
  q.push(Instant::from_ns(10), [&] { order.push_back(1); });
  q.push(Instant::from_ns(10), [&] { order.push_back(2); });
  q.push(Instant::from_ns(30), [&] { order.push_back(4); });
  Callback fn;
  std::vector<int64_t> times;
  while (!q.empty()) {
    times.push_back(q.pop(fn).ns());
    fn();
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(times, (std::vector<int64_t>{10, 10, 20, 30}));
}

TEST(EventQueue, SameInstantIsFifoForManyEvents) {
  // Heap implementations reorder equal keys unless seq breaks ties.
  EventQueue q;
  std::vector<int> order;
  for (int i = 0; i < 1000; ++i) q.push(Instant::from_ns(5), [&order, i] { order.push_back(i); });
  Callback fn;
  while (!q.empty()) {
    q.pop(fn);
    fn();
  }
  ASSERT_EQ(order.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(order[i], i);
}

TEST(EventQueue, CancelSkipsEventAndIsSafeOnStaleIds) {
  EventQueue q;
  int fired = 0;
  EventId a = q.push(Instant::from_ns(1), [&] { fired += 1; });
  EventId b = q.push(Instant::from_ns(2), [&] { fired += 10; });
  EXPECT_TRUE(q.pending(a));
  EXPECT_TRUE(q.cancel(a));
  EXPECT_FALSE(q.cancel(a));
  EXPECT_FALSE(q.pending(a));
  EXPECT_EQ(q.size(), 1u);
  Callback fn;
  q.pop(fn);
  fn();
  EXPECT_EQ(fired, 10);
  EXPECT_FALSE(q.cancel(b));      // already fired
  EXPECT_FALSE(q.cancel(EventId()));  // default id
  // A recycled slot must not be cancellable through the stale id.
  EventId c = q.push(Instant::from_ns(3), [&] { fired += 100; });
  EXPECT_FALSE(q.cancel(a));
  EXPECT_TRUE(q.pending(c));
}

TEST(EventQueue, RandomScheduleMatchesReferenceOrder) {
  EventQueue q;
  Prng rng(7);
  struct Ref { int64_t t; int id; };
  std::vector<Ref> ref;
  std::vector<int> got;
  for (int i = 0; i < 5000; ++i) {
    int64_t t = static_cast<int64_t>(rng.below(100));
    ref.push_back({t, i});
    q.push(Instant::from_ns(t), [&got, i] { got.push_back(i); });
  }
  std::stable_sort(ref.begin(), ref.end(), [](const Ref& a, const Ref& b) { return a.t < b.t; });
  Callback fn;
  while (!q.empty()) {
    q.pop(fn);
    fn();
  }
  ASSERT_EQ(got.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i) EXPECT_EQ(got[i], ref[i].id);
}

// Pushes, cancels and pops interleaved (the heap changes shape between pops);
// the pop order must still be the (time, push order) minimum. Pushes land up
// to `spread` ns after the last pop, so a small spread makes many of them
// same-instant (the FIFO path) mixed with earlier-pushed heap entries.
void check_against_reference(uint64_t spread, uint64_t seed) {
  EventQueue q;
  Prng rng(seed);
  struct Ref { int64_t t; int id; EventId ev; bool live; };
  std::vector<Ref> ref;
  int64_t now = 0;
  int fired = -1;
  Callback fn;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t op = rng.below(10);
    if (op < 5) {
      const int id = static_cast<int>(ref.size());
      const int64_t t = now + static_cast<int64_t>(rng.below(spread));
      ref.push_back({t, id, q.push(Instant::from_ns(t), [&fired, id] { fired = id; }), true});
    } else if (op < 7 && !ref.empty()) {
      Ref& r = ref[rng.below(ref.size())];
      EXPECT_EQ(q.cancel(r.ev), r.live);
      r.live = false;
    } else if (!q.empty()) {
      const Ref* want = nullptr;
      for (const Ref& r : ref) {
        if (r.live && (want == nullptr || r.t < want->t)) want = &r;
      }
      ASSERT_NE(want, nullptr);
      const int64_t at = q.pop(fn).ns();
      fn();
      EXPECT_EQ(at, want->t);
      ASSERT_EQ(fired, want->id);
      ref[static_cast<size_t>(want->id)].live = false;
      now = at;
    }
  }
}

TEST(EventQueue, InterleavedPushPopCancelMatchesReference) { check_against_reference(50, 11); }

TEST(EventQueue, SameInstantPushesMatchReference) {
  check_against_reference(1, 12);  // every push at the current instant
  check_against_reference(3, 13);
}

}  // namespace
}  // namespace mdsim::sim
