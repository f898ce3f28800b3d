// Wait queues and completions, modelled on the kernel's wait_queue_head_t and
// struct completion, for coroutine processes.
//
// Wake-ups are never delivered inline: wake_all() schedules each waiter's
// resumption as an event at the current instant, in the order the waiters went
// to sleep (FIFO). This keeps the order deterministic and the stack shallow.
//
// Usage, as in the kernel: `co_await wait_event(sim, wq, [&] { return cond; });`
// re-checks the condition after every wake-up, so spurious wake-ups are harmless.
#pragma once

#include <coroutine>
#include <deque>
#include <memory>

#include "sim/simulator.h"
#include "sim/task.h"

namespace mdsim::sim {

class WaitQueue {
 public:
  explicit WaitQueue(Simulator& sim) : sim_(&sim) {}
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  // Awaitable: sleep until the next wake_all()/wake_one().
  auto wait() {
    struct Awaiter {
      WaitQueue& q;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        auto w = std::make_shared<Waiter>();
        w->handle = h;
        q.waiters_.push_back(std::move(w));
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{*this};
  }

  // Awaitable: sleep until woken or until `timeout` passed. Returns true if
  // woken, false on timeout.
  auto wait_for(Duration timeout) {
    struct Awaiter {
      WaitQueue& q;
      Duration timeout;
      std::shared_ptr<Waiter> w;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        w = std::make_shared<Waiter>();
        w->handle = h;
        std::weak_ptr<Waiter> weak = w;
        w->timer = q.sim_->schedule(timeout, [weak] {
          if (auto s = weak.lock(); s && s->armed) {
            s->armed = false;
            s->handle.resume();
          }
        });
        q.waiters_.push_back(w);
      }
      bool await_resume() const noexcept { return w->woken; }
    };
    return Awaiter{*this, timeout, nullptr};
  }

  void wake_all();
  void wake_one();
  bool has_waiters() const;

 private:
  struct Waiter {
    std::coroutine_handle<> handle;
    EventId timer;
    bool armed = true;
    bool woken = false;
  };
  void wake(const std::shared_ptr<Waiter>& w);

  Simulator* sim_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

// Sleeps on wq until pred() holds (checked first, then after every wake-up).
template <class Pred>
Task wait_event(WaitQueue& wq, Pred pred) {
  while (!pred()) co_await wq.wait();
}

// A one-shot event: waiters sleep until complete() is called; afterwards
// waiting returns at once. reset() re-arms it (REQUIRES: no waiters).
class Completion {
 public:
  explicit Completion(Simulator& sim) : wq_(sim) {}
  bool done() const { return done_; }
  void complete() {
    done_ = true;
    wq_.wake_all();
  }
  void reset() {
    SIM_ASSERT(!wq_.has_waiters());
    done_ = false;
  }
  Task wait() {
    while (!done_) co_await wq_.wait();
  }

 private:
  WaitQueue wq_;
  bool done_ = false;
};

}  // namespace mdsim::sim
