// raid1 scenarios for the llbitmap, journal and epochmap ("ours") backends on
// the real engine: write, crash, assemble from the media, resync, converge;
// crash long after a burst; degraded writes and re-add; clean stop. The online
// intent-before-data check is fatal in these rigs.
#include <gtest/gtest.h>

#include <vector>

#include "model/md/array.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

using disk::Sector;
using disk::SectorCount;
using md::IntentType;

md::ArrayConfig config(IntentType t) {
  md::ArrayConfig c;
  c.raid_disks = 2;
  c.assume_clean = true;
  c.intent.type = t;
  return c;
}

disk::DiskConfig small_disk(uint64_t mib = 64) {
  disk::DiskConfig d;
  d.capacity = SectorCount(mib << 11);
  return d;
}

md::AssembleOptions assemble_opts() {
  md::AssembleOptions o;
  o.runtime.raid_disks = 2;
  return o;
}

bool covered(const std::vector<disk::SectorRange>& rs, uint64_t s, uint64_t n) {
  for (const auto& r : rs)
    if (r.start.value() <= s && s + n <= r.end().value()) return true;
  return false;
}

class IntentRaid1 : public ::testing::TestWithParam<IntentType> {};

TEST_P(IntentRaid1, CrashAfterWritesResyncsThemAndConverges) {
  testing::MdRig rig(31, config(GetParam()), small_disk(256));
  rig.run_for(sim::Duration::s(2));
  const std::vector<uint64_t> sectors = {4096, 200000, 400008};  // three 64 MiB groups
  for (uint64_t s : sectors) ASSERT_TRUE(rig.write(s, 8).ok);
  EXPECT_EQ(rig.array->counters().intent_violations, 0u);
  auto images = rig.crash_media();
  md::Array::Assembled out;
  testing::MdRig after(32, images, small_disk(256), assemble_opts(), &out);
  ASSERT_EQ(out.decision, md::AssembleDecision::intent_resync) << out.detail;
  EXPECT_EQ(after.array->intent().name(), rig.array->intent().name());  // detected on disk
  const auto marked = after.array->intent().dirty_ranges();
  for (uint64_t s : sectors) EXPECT_TRUE(covered(marked, s, 8)) << s;
  after.array->wait_sync_done();
  const uint64_t resynced = after.array->counters().resync_sectors;
  EXPECT_GT(resynced, 0u);
  EXPECT_LT(resynced, after.array->capacity().value());  // not a full resync
  EXPECT_EQ(after.mirror_diff(1, after.array->capacity().value()), 0u);
  EXPECT_FALSE(after.array->intent().needs_sync());
}

TEST_P(IntentRaid1, CrashLongAfterABurst) {
  testing::MdRig rig(33, config(GetParam()), small_disk());
  rig.run_for(sim::Duration::s(2));
  for (uint64_t i = 0; i < 64; ++i) ASSERT_TRUE(rig.write((i * 7919 % 16000) * 8, 8).ok);
  rig.run_for(sim::Duration::s(60));
  ASSERT_TRUE(rig.array->clean());
  auto images = rig.crash_media();
  md::Array::Assembled out;
  testing::MdRig after(34, images, small_disk(), assemble_opts(), &out);
  after.array->wait_sync_done();
  const uint64_t resynced = after.array->counters().resync_sectors;
  if (GetParam() == IntentType::llbitmap) {
    // Cleaning never reached disk: every touched chunk is resynced (item 12).
    EXPECT_EQ(out.decision, md::AssembleDecision::intent_resync);
    EXPECT_GT(resynced, 0u);
  } else {
    // journal: entries zeroed; ours: the epoch advance cleaned the burst.
    EXPECT_EQ(out.decision, md::AssembleDecision::nothing) << out.detail;
    EXPECT_EQ(resynced, 0u);
  }
  EXPECT_EQ(after.mirror_diff(1, after.array->capacity().value()), 0u);
}

TEST_P(IntentRaid1, DegradedWritesAreRecoveredOnReAdd) {
  testing::MdRig rig(35, config(GetParam()), small_disk());
  rig.run_for(sim::Duration::s(2));
  rig.array->fail_member(1);
  ASSERT_TRUE(rig.write(2048, 8).ok);
  ASSERT_TRUE(rig.write(70000, 16).ok);
  rig.run_for(sim::Duration::s(40));  // daemons run; nothing may be forgotten
  EXPECT_GT(rig.mirror_diff(1, rig.array->capacity().value()), 0u);
  rig.array->remove_member(1);
  ASSERT_TRUE(rig.array->re_add_member(1));
  rig.array->wait_sync_done();
  EXPECT_TRUE(rig.array->members()[1].in_sync);
  EXPECT_LT(rig.array->counters().resync_sectors, rig.array->capacity().value());  // partial
  EXPECT_EQ(rig.mirror_diff(1, rig.array->capacity().value()), 0u);
  ASSERT_TRUE(rig.write(4096, 8).ok);  // healthy again
  EXPECT_EQ(rig.array->counters().intent_violations, 0u);
}

TEST_P(IntentRaid1, CleanStopAssemblesWithNothingToDo) {
  testing::MdRig rig(37, config(GetParam()), small_disk());
  rig.run_for(sim::Duration::s(2));
  for (uint64_t i = 0; i < 16; ++i) ASSERT_TRUE(rig.write(i * 4096, 8).ok);
  rig.array->wait_idle();
  rig.array->stop();
  auto images = rig.crash_media();
  md::Array::Assembled out;
  testing::MdRig after(38, images, small_disk(), assemble_opts(), &out);
  EXPECT_EQ(out.decision, md::AssembleDecision::nothing) << out.detail;  // stop flushed Clean
  after.array->wait_sync_done();
  EXPECT_EQ(after.array->counters().resync_sectors, 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, IntentRaid1,
                         ::testing::Values(IntentType::llbitmap, IntentType::journal, IntentType::ours),
                         [](const auto& info) { return std::string(md::intent_type_name(info.param)); });

}  // namespace
}  // namespace mdsim
