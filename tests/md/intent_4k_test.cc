// 4 KiB logical blocks: every metadata write of llbitmap, the journal and
// epochmap is whole, aligned 4 KiB blocks, and a crash right after a write is
// still covered by the loaded record.
#include <gtest/gtest.h>

#include "model/md/intent_factories.h"
#include "tests/support/fake_intent_host.h"

namespace mdsim::md {
namespace {

using testing::FakeIntentHost;
using testing::run_task;

class Intent4k : public ::testing::TestWithParam<IntentType> {};

std::unique_ptr<IntentBackend> make(IntentType t, IntentHost& h) {
  IntentOptions o;
  o.type = t;
  if (t == IntentType::llbitmap) return make_llbitmap(h, o);
  if (t == IntentType::journal) return make_journal(h, o);
  return make_ours(h, o);
}

TEST_P(Intent4k, AlignedBlockWritesAndCoverage) {
  sim::Simulator sim(4);
  FakeIntentHost host(sim, 2, SectorCount(2097152), SectorCount(256), 4096);
  auto b = make(GetParam(), host);
  run_task(sim, b->create(true));
  const std::vector<uint64_t> sectors = {0, 123456 * 8, 2097152 - 8};
  for (uint64_t s : sectors) run_task(sim, b->start_write(Sector(s), SectorCount(8)));
  run_task(sim, b->unplug());
  for (uint64_t s : sectors) EXPECT_TRUE(b->media_covers(1, Sector(s), SectorCount(8))) << s;
  run_task(sim, b->update_sb());
  ASSERT_FALSE(host.log().empty());
  for (const auto& w : host.log()) {
    EXPECT_EQ(w.offset_sectors % 8, 0u);
    EXPECT_EQ(w.sectors % 8, 0u);
  }
  sim::Simulator s2(5);
  FakeIntentHost h2(s2, host);
  auto b2 = make(GetParam(), h2);
  run_task(s2, b2->load(Sector(0)));
  const auto marked = b2->dirty_ranges();
  for (uint64_t s : sectors) {
    bool hit = false;
    for (const auto& r : marked) hit |= r.start.value() <= s && s + 8 <= r.end().value();
    EXPECT_TRUE(hit) << s;
  }
  for (uint64_t s : sectors) b->end_write(Sector(s), SectorCount(8));
}

INSTANTIATE_TEST_SUITE_P(Backends, Intent4k,
                         ::testing::Values(IntentType::llbitmap, IntentType::journal, IntentType::ours),
                         [](const auto& info) { return std::string(intent_type_name(info.param)); });

}  // namespace
}  // namespace mdsim::md
