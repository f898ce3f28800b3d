#include "sim/simulator.h"

#include "sim/task.h"

namespace mdsim::sim {

Simulator::Simulator(uint64_t seed) : root_(seed) {}

Simulator::~Simulator() {
  // Newest first: a process spawned by another is torn down before its parent.
  while (!live_.empty()) {
    LiveFrame f = live_.back();
    live_.pop_back();
    f.promise->owner = nullptr;
    f.handle.destroy();
  }
}

namespace detail {
void forget_detached(PromiseBase& p) noexcept {
  Simulator* sim = p.owner;
  if (sim == nullptr) return;
  auto& live = sim->live_;
  const size_t i = p.owner_index;
  live[i] = live.back();
  live[i].promise->owner_index = i;
  live.pop_back();
  p.owner = nullptr;
}
}  // namespace detail

bool Simulator::cancel(EventId& id) {
  const bool was = queue_.cancel(id);
  id = EventId();
  return was;
}

void Simulator::spawn(Task task) {
  detail::PromiseBase& p = task.promise();
  p.owner = this;
  p.owner_index = live_.size();
  std::coroutine_handle<> h = task.detach();
  live_.push_back(LiveFrame{h, &p});
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
