// User FUA and PREFLUSH writes on raid1, raid10 and raid5: an acknowledged
// FUA write survives a power loss that drops every volatile cache, and a
// PREFLUSH write makes the writes acknowledged before it durable. Each test
// also runs the plain-write control, which must lose the data: otherwise the
// durability seen would not be the flag's doing.
#include <gtest/gtest.h>

#include "tests/support/md_rig.h"

namespace mdsim::md {
namespace {

ArrayConfig config_for(int level) {
  ArrayConfig c;
  c.level = level;
  c.raid_disks = level == 1 ? 2 : (level == 10 ? 4 : 3);
  c.chunk_sectors = level == 1 ? 0 : 128;
  c.assume_clean = true;
  c.intent.type = IntentType::none;  // no metadata flush to hide the data's fate
  return c;
}

disk::DiskConfig small_disk() {
  disk::DiskConfig d;
  d.capacity = disk::SectorCount(64ull << 11);  // 64 MiB, volatile cache, FUA supported
  return d;
}

UserIo write_io(uint64_t sector, uint64_t count, bool fua, bool preflush) {
  UserIo io;
  io.op = UserOp::write;
  io.sector = Sector(sector);
  io.count = SectorCount(count);
  io.fua = fua;
  io.preflush = preflush;
  return io;
}

// Reads [sector, sector + count) after a power loss at this instant.
std::vector<uint64_t> read_after_crash(testing::MdRig& rig, int level, uint64_t sector, uint64_t count) {
  AssembleOptions opts;
  opts.runtime = config_for(level);
  Array::Assembled a;
  testing::MdRig after(7, rig.crash_media(), rig.disk_config, opts, &a);
  EXPECT_NE(a.decision, AssembleDecision::refused) << a.detail;
  return after.read(sector, count).words;
}

bool holds(const std::vector<uint64_t>& words, uint64_t write_id) {
  for (size_t i = 0; i < words.size(); ++i)
    if (words[i] != stamp(write_id, i)) return false;
  return !words.empty();
}

class UserFua : public ::testing::TestWithParam<int> {};

TEST_P(UserFua, AcknowledgedFuaWriteSurvivesPowerLoss) {
  const int level = GetParam();
  testing::MdRig rig(3, config_for(level), small_disk());
  ASSERT_TRUE(rig.write(2048, 8).ok);  // the array is active (its sb round is done)
  const UserResult plain = rig.io(write_io(64, 8, false, false));
  const UserResult fua = rig.io(write_io(512, 8, true, false));
  ASSERT_TRUE(plain.ok && fua.ok);
  EXPECT_TRUE(holds(read_after_crash(rig, level, 512, 8), fua.write_id));
  EXPECT_FALSE(holds(read_after_crash(rig, level, 64, 8), plain.write_id));  // control
}

TEST_P(UserFua, EveryMemberCopyIsWrittenFua) {
  const int level = GetParam();
  testing::MdRig rig(3, config_for(level), small_disk());
  ASSERT_TRUE(rig.write(2048, 8).ok);
  auto fua_writes = [&] {
    uint64_t n = 0;
    for (const auto& d : rig.disks) n += d->counters().fua_writes;
    return n;
  };
  const uint64_t before = fua_writes();
  ASSERT_TRUE(rig.io(write_io(64, 8, false, false)).ok);
  EXPECT_EQ(fua_writes(), before);
  ASSERT_TRUE(rig.io(write_io(64, 8, true, false)).ok);
  // raid1 / raid10 near-2: two copies; raid5: the data block and the parity.
  EXPECT_EQ(fua_writes(), before + 2);
}

TEST_P(UserFua, PreflushWriteMakesEarlierWritesDurable) {
  const int level = GetParam();
  testing::MdRig rig(3, config_for(level), small_disk());
  ASSERT_TRUE(rig.write(2048, 8).ok);
  const UserResult early = rig.io(write_io(64, 8, false, false));
  ASSERT_TRUE(early.ok);
  // Control first: a plain write after it does not save it.
  ASSERT_TRUE(rig.io(write_io(1024, 8, false, false)).ok);
  EXPECT_FALSE(holds(read_after_crash(rig, level, 64, 8), early.write_id));
  uint64_t flushes_before = 0;
  for (const auto& d : rig.disks) flushes_before += d->counters().flushes;
  ASSERT_TRUE(rig.io(write_io(1536, 8, false, true)).ok);
  uint64_t flushes = 0;
  for (const auto& d : rig.disks) flushes += d->counters().flushes;
  EXPECT_EQ(flushes - flushes_before, rig.disks.size());  // one flush per member
  EXPECT_TRUE(holds(read_after_crash(rig, level, 64, 8), early.write_id));
}

INSTANTIATE_TEST_SUITE_P(Levels, UserFua, ::testing::Values(1, 10, 5),
                         [](const auto& info) { return "raid" + std::to_string(info.param); });

}  // namespace
}  // namespace mdsim::md
