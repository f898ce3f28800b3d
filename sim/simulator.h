// One deterministic discrete-event simulation.
//
// A Simulator owns the clock, the event queue, the root PRNG and the trace.
// There are no globals: any number of simulators may live in one process
// (property tests, Python). Components receive a Simulator& and never read the
// wall clock.
//
// Invariants:
//  (1) now() never decreases;
//  (2) events run in (time, seq) order (see event_queue.h);
//  (3) an event scheduled for the past is a bug (asserted).
#pragma once

#include <coroutine>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/event_queue.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace mdsim::sim {

class Task;
namespace detail {
struct PromiseBase;
void forget_detached(PromiseBase& p) noexcept;
}  // namespace detail

class Simulator {
 public:
  explicit Simulator(uint64_t seed);
  // Destroys the frames of processes that never finished (their objects must
  // not be touched by frame-local destructors: see docs/sim-core.md).
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  Instant now() const { return now_; }
  uint64_t seed() const { return root_.seed(); }
  // An independent PRNG stream for a named component (same name => same stream).
  Prng stream(std::string_view name) const { return root_.derive(name); }

  // REQUIRES: delay >= 0.
  EventId schedule(Duration delay, Callback fn) {
    SIM_ASSERT(delay >= Duration::zero());
    return queue_.push(now_ + delay, std::move(fn));
  }
  // REQUIRES: at >= now().
  EventId schedule_at(Instant at, Callback fn) {
    SIM_ASSERT(at >= now_);
    return queue_.push(at, std::move(fn));
  }
  bool cancel(EventId& id);
  bool pending(EventId id) const { return queue_.pending(id); }

  // Start a coroutine as an independent process (like a kernel thread or a
  // workload job). It begins at the current instant, after already-queued events.
  void spawn(Task task);

  // Runs one event. Returns false if there is none (or stop() was called).
  bool step();
  // Runs until no events remain or stop() is called.
  void run();
  // Runs every event with time <= deadline, then advances the clock to deadline.
  void run_until(Instant deadline);
  // Requests run()/run_until() to return after the current event.
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  bool idle() { return queue_.empty(); }

  uint64_t events_executed() const { return executed_; }
  size_t live_processes() const { return live_.size(); }
  size_t events_pending() const { return queue_.size(); }
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }

  // Awaitable: suspend the current process for d of simulated time.
  auto sleep(Duration d) {
    struct Awaiter {
      Simulator& sim;
      Duration d;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) { sim.schedule(d, [h] { h.resume(); }); }
      void await_resume() const noexcept {}
    };
    SIM_ASSERT(d >= Duration::zero());
    return Awaiter{*this, d};
  }
  // Awaitable: let other events at this instant run first.
  auto yield() { return sleep(Duration::zero()); }

 private:
  friend void detail::forget_detached(detail::PromiseBase& p) noexcept;
  struct LiveFrame {
    std::coroutine_handle<> handle;
    detail::PromiseBase* promise;
  };
  EventQueue queue_;
  std::vector<LiveFrame> live_;  // detached frames not yet finished
  Prng root_;
  Trace trace_;
  Instant now_ = Instant::zero();
  uint64_t executed_ = 0;
  bool stopped_ = false;
};

}  // namespace mdsim::sim
