// Coroutine processes: sleep, spawn, wait queues with and without timeout,
// completions, value tasks, and exceptions surfacing from the event loop.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/simulator.h"
#include "sim/task.h"
#include "sim/wait_queue.h"

namespace mdsim::sim {
namespace {

Task sleeper(Simulator& sim, std::vector<std::string>& log, std::string name, int64_t d_ns) {
  log.push_back(name + "@" + std::to_string(sim.now().ns()));
  co_await sim.sleep(Duration::ns(d_ns));
  log.push_back(name + "@" + std::to_string(sim.now().ns()));
}

TEST(Process, SleepAndSpawnInterleaveDeterministically) {
  Simulator sim(1);
  std::vector<std::string> log;
  sim.spawn(sleeper(sim, log, "a", 30));
  sim.spawn(sleeper(sim, log, "b", 10));
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"a@0", "b@0", "b@10", "a@30"}));
  EXPECT_EQ(sim.now().ns(), 30);
}

ValueTask<int> add_later(Simulator& sim, int a, int b) {
  co_await sim.sleep(Duration::us(1));
  co_return a + b;
}

Task parent(Simulator& sim, int& out) {
  int x = co_await add_later(sim, 2, 3);
  int y = co_await add_later(sim, x, 10);
  out = y;
}

TEST(Process, AwaitingChildTasksReturnsValues) {
  Simulator sim(1);
  int out = 0;
  sim.spawn(parent(sim, out));
  sim.run();
  EXPECT_EQ(out, 15);
  EXPECT_EQ(sim.now().ns(), 2000);
}

Task waiter(Simulator& sim, WaitQueue& wq, int& flag, std::vector<int64_t>& woke_at) {
  co_await wait_event(wq, [&] { return flag >= 2; });
  woke_at.push_back(sim.now().ns());
}

Task bumper(Simulator& sim, WaitQueue& wq, int& flag) {
  for (int i = 0; i < 3; ++i) {
    co_await sim.sleep(Duration::ns(100));
    ++flag;
    wq.wake_all();
  }
}

TEST(Process, WaitEventRechecksConditionAfterEachWakeup) {
  Simulator sim(1);
  WaitQueue wq(sim);
  int flag = 0;
  std::vector<int64_t> woke_at;
  sim.spawn(waiter(sim, wq, flag, woke_at));
  sim.spawn(waiter(sim, wq, flag, woke_at));
  sim.spawn(bumper(sim, wq, flag));
  sim.run();
  EXPECT_EQ(woke_at, (std::vector<int64_t>{200, 200}));
}

Task timed_waiter(Simulator& sim, WaitQueue& wq, Duration timeout, int& result, int64_t& at) {
  bool woken = co_await wq.wait_for(timeout);
  result = woken ? 1 : 0;
  at = sim.now().ns();
}

TEST(Process, WaitForTimesOutOrIsWoken) {
  Simulator sim(1);
  WaitQueue wq(sim);
  int r1 = -1, r2 = -1;
  int64_t t1 = 0, t2 = 0;
  sim.spawn(timed_waiter(sim, wq, Duration::ns(50), r1, t1));
  sim.spawn(timed_waiter(sim, wq, Duration::ns(500), r2, t2));
  sim.schedule(Duration::ns(100), [&] { wq.wake_all(); });
  sim.run();
  EXPECT_EQ(r1, 0);
  EXPECT_EQ(t1, 50);
  EXPECT_EQ(r2, 1);
  EXPECT_EQ(t2, 100);
  EXPECT_FALSE(wq.has_waiters());
}

Task completion_waiter(Completion& c, int& n) {
  co_await c.wait();
  ++n;
}

TEST(Process, CompletionReleasesCurrentAndFutureWaiters) {
  Simulator sim(1);
  Completion c(sim);
  int n = 0;
  sim.spawn(completion_waiter(c, n));
  sim.run();
  EXPECT_EQ(n, 0);
  c.complete();
  sim.run();
  EXPECT_EQ(n, 1);
  sim.spawn(completion_waiter(c, n));
  sim.run();
  EXPECT_EQ(n, 2);
}

Task failing(Simulator& sim) {
  co_await sim.sleep(Duration::ns(5));
  SIM_ASSERT(1 + 1 == 3);
}

TEST(Process, AssertionInsideProcessSurfacesFromRun) {
  Simulator sim(1);
  sim.spawn(failing(sim));
  EXPECT_THROW(sim.run(), AssertionFailure);
}

TEST(Simulator, RunUntilStopsAtDeadlineAndAdvancesClock) {
  Simulator sim(1);
  int fired = 0;
  sim.schedule(Duration::ns(10), [&] { ++fired; });
  sim.schedule(Duration::ns(20), [&] { ++fired; });
  sim.run_until(Instant::from_ns(15));
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(sim.now().ns(), 15);
  EXPECT_THROW(sim.schedule_at(Instant::from_ns(3), [] {}), AssertionFailure);
  sim.run();
  EXPECT_EQ(fired, 2);
}

}  // namespace
}  // namespace mdsim::sim

namespace mdsim::sim {
namespace {

Task sleeper_for_registry(Simulator& sim) { co_await sim.sleep(Duration::ns(3)); }

Task waits_forever(WaitQueue& wq, int& destroyed) {
  struct Marker {
    int& n;
    ~Marker() { ++n; }
  } marker{destroyed};
  for (;;) co_await wq.wait();
}

TEST(Process, AbandonedProcessesAreReclaimedBySimulator) {
  // A power loss abandons every process mid-flight; their frames (and the
  // locals in them) must be destroyed with the simulator, not leaked.
  int destroyed = 0;
  {
    Simulator sim(1);
    WaitQueue wq(sim);
    sim.spawn(waits_forever(wq, destroyed));
    sim.spawn(sleeper_for_registry(sim));
    sim.run();
    EXPECT_EQ(sim.live_processes(), 1u);  // the sleeper finished and left
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);
}

}  // namespace
}  // namespace mdsim::sim
