#include "sim/wait_queue.h"

namespace mdsim::sim {

void WaitQueue::wake(const std::shared_ptr<Waiter>& w) {
  if (!w->armed) return;  // already resumed by its timeout
  w->armed = false;
  w->woken = true;
  sim_->cancel(w->timer);
  std::coroutine_handle<> h = w->handle;
  sim_->schedule(Duration::zero(), [h] { h.resume(); });
}

void WaitQueue::wake_all() {
  std::deque<std::shared_ptr<Waiter>> batch;
  batch.swap(waiters_);
  for (const auto& w : batch) wake(w);
}

void WaitQueue::wake_one() {
  while (!waiters_.empty()) {
    auto w = waiters_.front();
    waiters_.pop_front();
    if (w->armed) {
      wake(w);
      return;
    }
  }
}

bool WaitQueue::has_waiters() const {
  for (const auto& w : waiters_)
    if (w->armed) return true;
  return false;
}

}  // namespace mdsim::sim
