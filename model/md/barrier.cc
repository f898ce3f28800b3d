#include "model/md/barrier.h"

namespace mdsim::md {

int barrier_bucket(disk::Sector s) {
  // hash_long() on 64-bit: multiply by GOLDEN_RATIO_64, keep the top 10 bits.
  const uint64_t unit = s.value() >> kBarrierUnitSectorBits;
  return static_cast<int>((unit * 0x61C8864680B583EBull) >> (64 - 10));
}

bool Barrier::try_wait_barrier(disk::Sector s) {
  const int i = barrier_bucket(s);
  if (frozen_ || barrier_[i] != 0) return false;
  ++nr_pending_[i];
  ++pending_total_;
  return true;
}

sim::Task Barrier::wait_barrier(disk::Sector s) {
  // _wait_barrier: sleep while a resync holds the bucket or the array is frozen.
  const int i = barrier_bucket(s);
  ++nr_waiting_[i];
  while (frozen_ || barrier_[i] != 0) co_await wq_.wait();
  --nr_waiting_[i];
  ++nr_pending_[i];
  ++pending_total_;
  wq_.wake_all();
}

sim::Task Barrier::wait_read_barrier(disk::Sector s) {
  const int i = barrier_bucket(s);
  while (frozen_) co_await wq_.wait();
  ++nr_pending_[i];
  ++pending_total_;
}

void Barrier::allow_barrier(disk::Sector s) {
  const int i = barrier_bucket(s);
  SIM_ASSERT(nr_pending_[i] > 0);
  SIM_ASSERT(pending_total_ > 0);
  --nr_pending_[i];
  --pending_total_;
  if (nr_pending_[i] == 0 || frozen_) wq_.wake_all();
}

sim::Task Barrier::raise_barrier(disk::Sector s) {
  const int i = barrier_bucket(s);
  // Let waiting normal IO in first (nr_waiting), as raise_barrier does.
  while (nr_waiting_[i] != 0) co_await wq_.wait();
  ++barrier_[i];
  while (frozen_ || nr_pending_[i] != 0 || barrier_[i] >= kResyncDepth) co_await wq_.wait();
}

void Barrier::lower_barrier(disk::Sector s) {
  const int i = barrier_bucket(s);
  SIM_ASSERT(barrier_[i] > 0);
  --barrier_[i];
  wq_.wake_all();
}

sim::Task Barrier::freeze_array(int extra) {
  // Only one freezer at a time (raid1d is the only caller).
  while (frozen_) co_await wq_.wait();
  frozen_ = true;
  while (pending_total_ - queued_total_ != static_cast<uint64_t>(extra)) co_await wq_.wait();
}

void Barrier::unfreeze_array() {
  SIM_ASSERT(frozen_);
  frozen_ = false;
  wq_.wake_all();
}

void Barrier::queued(disk::Sector s, int delta) {
  (void)s;
  if (delta < 0) SIM_ASSERT(queued_total_ >= static_cast<uint64_t>(-delta));
  queued_total_ += delta;
  if (frozen_) wq_.wake_all();
}

}  // namespace mdsim::md
