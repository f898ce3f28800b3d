// Processes as C++20 coroutines, so engine code reads like the kernel's
// sequential code: `co_await disk.io(req)`, `co_await sim.sleep(d)`,
// `co_await wait_event(wq, [&] { return cond; })`.
//
// Task and ValueTask<T> are lazy: nothing runs until the task is awaited (the
// awaiting coroutine resumes when it finishes, by symmetric transfer) or spawned
// with Simulator::spawn (detached: its frame frees itself at the end).
//
// Exceptions (e.g. a failed SIM_ASSERT) propagate to whoever resumed the
// coroutine, which is ultimately Simulator::step(); the simulation is then dead
// and must not be stepped again.
//
// Invariants: a Task is awaited or spawned at most once; a detached frame is
// destroyed exactly once, at final suspend.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include "sim/assert.h"
#include "sim/frame_pool.h"

namespace mdsim::sim {

class Simulator;

namespace detail {

struct PromiseBase;
// Drops a finished detached frame from its simulator's registry (simulator.cc).
void forget_detached(PromiseBase& p) noexcept;

struct PromiseBase {
  std::coroutine_handle<> continuation;
  bool detached = false;
  // Detached frames are registered with the simulator that runs them, so that
  // abandoning a simulation (a power loss stops every process mid-flight)
  // reclaims their frames in ~Simulator instead of leaking them.
  Simulator* owner = nullptr;
  size_t owner_index = 0;

  // Frames come from the recycling pool (sim/frame_pool.h).
  static void* operator new(std::size_t n) { return frame_alloc(n); }
  static void operator delete(void* p, std::size_t n) noexcept { frame_free(p, n); }

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      PromiseBase& p = h.promise();
      if (p.continuation) return p.continuation;
      if (p.detached) {
        forget_detached(p);
        h.destroy();
      }
      return std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  [[noreturn]] void unhandled_exception() { throw; }
};

template <class Promise>
class TaskHandle {
 public:
  TaskHandle() = default;
  explicit TaskHandle(std::coroutine_handle<Promise> h) : h_(h) {}
  TaskHandle(TaskHandle&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  TaskHandle& operator=(TaskHandle&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~TaskHandle() { reset(); }
  bool valid() const { return static_cast<bool>(h_); }
  std::coroutine_handle<Promise> release() { return std::exchange(h_, {}); }

 protected:
  void reset() {
    if (h_) h_.destroy();
    h_ = {};
  }
  std::coroutine_handle<Promise> h_;
};

}  // namespace detail

class Task : public detail::TaskHandle<struct TaskPromise> {
 public:
  using TaskHandle::TaskHandle;
  using promise_type = struct TaskPromise;

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting);
  void await_resume() const noexcept {}

  // For Simulator::spawn: marks the frame detached and hands it over.
  std::coroutine_handle<> detach();
  detail::PromiseBase& promise();
};

struct TaskPromise : detail::PromiseBase {
  Task get_return_object() { return Task(std::coroutine_handle<TaskPromise>::from_promise(*this)); }
  void return_void() noexcept {}
};

inline std::coroutine_handle<> Task::await_suspend(std::coroutine_handle<> awaiting) {
  SIM_ASSERT(h_);
  h_.promise().continuation = awaiting;
  return h_;
}

inline detail::PromiseBase& Task::promise() {
  SIM_ASSERT(h_);
  return h_.promise();
}

inline std::coroutine_handle<> Task::detach() {
  SIM_ASSERT(h_);
  auto h = release();
  h.promise().detached = true;
  return h;
}

template <class T>
struct ValuePromise;

template <class T>
class ValueTask : public detail::TaskHandle<ValuePromise<T>> {
 public:
  using detail::TaskHandle<ValuePromise<T>>::TaskHandle;
  using promise_type = ValuePromise<T>;

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) {
    SIM_ASSERT(this->h_);
    this->h_.promise().continuation = awaiting;
    return this->h_;
  }
  T await_resume() {
    SIM_ASSERT(this->h_.promise().value.has_value());
    return std::move(*this->h_.promise().value);
  }
};

template <class T>
struct ValuePromise : detail::PromiseBase {
  std::optional<T> value;
  ValueTask<T> get_return_object() {
    return ValueTask<T>(std::coroutine_handle<ValuePromise<T>>::from_promise(*this));
  }
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
};

}  // namespace mdsim::sim
