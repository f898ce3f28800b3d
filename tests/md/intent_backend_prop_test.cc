// Property (coverage after any crash, at the backend level): for llbitmap, the
// journal and epochmap on a FakeIntentHost, any interleaving of concurrent
// writers (start_write, unplug, data in flight, end_write), daemon passes, md
// superblock rounds (update_sb) and idle gaps keeps every bio whose data may be in flight covered, both by the
// online media check and by the record a fresh instance loads after a power
// loss at that instant. Afterwards, with everything idle, the record empties.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "model/md/intent_factories.h"
#include "tests/support/fake_intent_host.h"

namespace mdsim::md {
namespace {

using testing::FakeIntentHost;
using testing::run_task;

constexpr SectorCount kSync(4194304);  // 2 GiB: 11 epochmap blocks, 32 llbitmap blocks

std::unique_ptr<IntentBackend> make(IntentType t, IntentHost& h) {
  IntentOptions o;
  o.type = t;
  o.journal_bytes = 8 * 512;  // a small ring: wrap and full-ring waits happen
  if (t == IntentType::llbitmap) return make_llbitmap(h, o);
  if (t == IntentType::journal) return make_journal(h, o);
  return make_ours(h, o);
}

struct World {
  std::map<uint64_t, uint64_t> inflight;  // id -> sector: data may be in flight
  uint64_t next_id = 0;
  bool daemon_busy = false;
};

sim::Task writer(sim::Simulator& sim, IntentBackend& b, World& w, uint64_t sector, sim::Duration data) {
  co_await b.start_write(Sector(sector), SectorCount(8));
  co_await b.unplug();
  const uint64_t id = w.next_id++;
  w.inflight[id] = sector;
  co_await sim.sleep(data);
  w.inflight.erase(id);
  b.end_write(Sector(sector), SectorCount(8));
}

sim::Task daemon(IntentBackend& b, World& w) {
  w.daemon_busy = true;
  co_await b.daemon_work();
  w.daemon_busy = false;
}

bool covered(const std::vector<SectorRange>& rs, uint64_t s) {
  for (const auto& r : rs)
    if (r.start.value() <= s && s + 8 <= r.end().value()) return true;
  return false;
}

void check_crash(IntentType t, const FakeIntentHost& host, const World& w, uint64_t seed) {
  sim::Simulator s2(seed);
  FakeIntentHost h2(s2, host);
  auto b2 = make(t, h2);
  run_task(s2, b2->load(Sector(0)));
  const auto marked = b2->dirty_ranges();
  for (const auto& [id, s] : w.inflight) RC_ASSERT(covered(marked, s));
}

void run(IntentType t, const std::vector<std::tuple<int, uint32_t, uint32_t>>& ops) {
  sim::Simulator sim(99);
  FakeIntentHost host(sim, 2, kSync);
  auto b = make(t, host);
  run_task(sim, b->create(true));
  World w;
  uint64_t step = 0;
  for (const auto& [kind, a, c] : ops) {
    if (kind <= 1) {  // a writer; hot region half of the time
      const uint64_t sector = kind == 0 ? (a % 64) * 16 : a * 1024;  // else: all of the array
      sim.spawn(writer(sim, *b, w, sector, sim::Duration::us(20 + c * 50)));
    } else if (kind == 2 && a % 2 == 1) {
      sim.spawn(b->update_sb());  // an md superblock round (epochmap cleans on it)
    } else if (kind == 2 && !w.daemon_busy) {
      sim.spawn(daemon(*b, w));
    } else {
      sim.run_until(sim.now() + sim::Duration::ms(c));  // idle gap, up to 4 s
    }
    sim.run_until(sim.now() + sim::Duration::us(c % 97));
    for (const auto& [id, s] : w.inflight) RC_ASSERT(b->media_covers(0, Sector(s), SectorCount(8)));
    check_crash(t, host, w, 1000 + step++);
  }
  // Quiesce: writers end, daemons clean; nothing left to resync after a crash.
  sim.run_until(sim.now() + sim::Duration::s(5));
  RC_ASSERT(w.inflight.empty());
  for (int i = 0; i < 4; ++i) {
    sim.run_until(sim.now() + sim::Duration::s(40));
    run_task(sim, b->daemon_work());
  }
  if (t != IntentType::llbitmap) {  // llbitmap never writes its cleaning
    sim::Simulator s2(7);
    FakeIntentHost h2(s2, host);
    auto b2 = make(t, h2);
    run_task(s2, b2->load(Sector(0)));
    RC_ASSERT(b2->dirty_ranges().empty());
  }
}

auto ops_gen() {
  return rc::gen::container<std::vector<std::tuple<int, uint32_t, uint32_t>>>(
      rc::gen::tuple(rc::gen::inRange(0, 4), rc::gen::inRange<uint32_t>(0, 4096),
                     rc::gen::inRange<uint32_t>(1, 4000)));
}

RC_GTEST_PROP(IntentBackendProp, LlbitmapCoverageAfterAnyCrash, ()) {
  run(IntentType::llbitmap, *ops_gen());
}
RC_GTEST_PROP(IntentBackendProp, JournalCoverageAfterAnyCrash, ()) {
  run(IntentType::journal, *ops_gen());
}
RC_GTEST_PROP(IntentBackendProp, EpochmapCoverageAfterAnyCrash, ()) {
  run(IntentType::ours, *ops_gen());
}

}  // namespace
}  // namespace mdsim::md
