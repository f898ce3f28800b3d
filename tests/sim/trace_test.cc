#include "sim/trace.h"

#include <gtest/gtest.h>

#include "sim/simulator.h"

namespace mdsim::sim {
namespace {

constexpr TraceKind kTick{"test.tick"};
constexpr TraceKind kTock{"test.tock"};

// A tiny model with randomness, to check hash determinism end to end.
uint64_t run_model(uint64_t seed, Trace** out_trace, Simulator* keep) {
  Simulator& sim = *keep;
  sim.trace().set_recording(true);
  const uint32_t actor = sim.trace().add_actor("model");
  Prng rng = sim.stream("model");
  for (int i = 0; i < 100; ++i) {
    const uint64_t d = rng.below(1000);
    sim.schedule(Duration::ns(static_cast<int64_t>(d)), [&sim, actor, d] {
      sim.trace().record(sim.now(), d % 2 ? kTick : kTock, actor, d);
    });
  }
  sim.run();
  (void)seed;
  if (out_trace) *out_trace = &sim.trace();
  return sim.trace().hash();
}

TEST(Trace, SameSeedSameHashDifferentSeedDifferentHash) {
  Simulator a(5), b(5), c(6);
  EXPECT_EQ(run_model(5, nullptr, &a), run_model(5, nullptr, &b));
  EXPECT_NE(run_model(6, nullptr, &c), a.trace().hash());
  EXPECT_FALSE(first_divergence(a.trace(), b.trace()).has_value());
}

TEST(Trace, DivergenceReportsFirstDifferentEvent) {
  Simulator a(1), b(1);
  const uint32_t xa = a.trace().add_actor("x");
  const uint32_t xb = b.trace().add_actor("x");
  a.trace().set_recording(true);
  b.trace().set_recording(true);
  a.trace().record(Instant::from_ns(1), kTick, xa, 1);
  b.trace().record(Instant::from_ns(1), kTick, xb, 1);
  a.trace().record(Instant::from_ns(2), kTick, xa, 2);
  b.trace().record(Instant::from_ns(2), kTock, xb, 2);
  EXPECT_NE(a.trace().hash(), b.trace().hash());
  auto d = first_divergence(a.trace(), b.trace());
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->index, 1u);
  EXPECT_NE(d->left.find("test.tick"), std::string::npos);
  EXPECT_NE(d->right.find("test.tock"), std::string::npos);
}

TEST(Trace, EventOrderMattersToHash) {
  Trace a, b;
  a.add_actor("x");
  b.add_actor("x");
  a.record(Instant::from_ns(1), kTick, 0, 1);
  a.record(Instant::from_ns(1), kTick, 0, 2);
  b.record(Instant::from_ns(1), kTick, 0, 2);
  b.record(Instant::from_ns(1), kTick, 0, 1);
  EXPECT_NE(a.hash(), b.hash());
  EXPECT_EQ(hash_hex(0xabcULL), "0000000000000abc");
}

}  // namespace
}  // namespace mdsim::sim
