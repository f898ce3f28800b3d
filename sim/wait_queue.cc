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
  // The waiters present now, front to back (wake() never resumes inline, so
  // none is added meanwhile; one that were would wait for the next wake).
  // In place: a swapped-out std::deque allocated on every call, and most calls
  // find nobody waiting.
  for (size_t n = waiters_.size(); n > 0; --n) {
    std::shared_ptr<Waiter> w = std::move(waiters_.front());
    waiters_.pop_front();
    wake(w);
  }
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
