#include "sim/simulator.h"

#include "sim/task.h"

namespace mdsim::sim {

Simulator::Simulator(uint64_t seed) : root_(seed) {}

EventId Simulator::schedule(Duration delay, Callback fn) {
  SIM_ASSERT(delay >= Duration::zero());
  return queue_.push(now_ + delay, std::move(fn));
}

EventId Simulator::schedule_at(Instant at, Callback fn) {
  SIM_ASSERT(at >= now_);
  return queue_.push(at, std::move(fn));
}

bool Simulator::cancel(EventId& id) {
  const bool was = queue_.cancel(id);
  id = EventId();
  return was;
}

void Simulator::spawn(Task task) {
  std::coroutine_handle<> h = task.detach();
  schedule(Duration::zero(), [h] { h.resume(); });
}

bool Simulator::step() {
  if (stopped_ || queue_.empty()) return false;
  Callback fn;
  const Instant at = queue_.pop(fn);
  SIM_ASSERT(at >= now_);
  now_ = at;
  ++executed_;
  fn();
  return true;
}

void Simulator::run() {
  stopped_ = false;
  while (step()) {
  }
}

void Simulator::run_until(Instant deadline) {
  SIM_ASSERT(deadline >= now_);
  stopped_ = false;
  while (!stopped_ && !queue_.empty() && queue_.next_time() <= deadline) step();
  if (!stopped_) now_ = deadline;
}

}  // namespace mdsim::sim
