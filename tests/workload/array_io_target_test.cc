// The generator driving the real md engine through ArrayIoTarget: every IO
// completes, the counters map onto RunMetrics, and submission batches reach
// the engine's plugs (kernel-observations.md item 1: a batch of 16 random
// writes costs one bitmap write per distinct page, not one per write).
#include <gtest/gtest.h>

#include "model/workload/array_io_target.h"
#include "model/workload/generator.h"
#include "tests/support/md_rig.h"

namespace mdsim::workload {
namespace {

md::ArrayConfig bitmap_raid1() {
  md::ArrayConfig c;
  c.raid_disks = 2;
  c.assume_clean = true;
  c.intent.type = md::IntentType::bitmap;
  c.intent.chunk_bytes = 64 * 1024;
  return c;
}

disk::DiskConfig small_disk() {
  disk::DiskConfig d;
  d.capacity = disk::SectorCount(64ull << 11);  // 64 MiB
  return d;
}

struct Outcome {
  RunMetrics m;
  uint64_t unplugs = 0;
};

Outcome run_randwrite(uint32_t depth, uint32_t batch, uint32_t complete_min = 1) {
  testing::MdRig rig(5, bitmap_raid1(), small_disk());
  rig.run_for(sim::Duration::s(30));  // mdadm's initial bits cleared, array clean
  ArrayIoTarget target(*rig.array);
  JobSpec j;
  j.rw = RwMode::randwrite;
  j.iodepth = depth;
  j.iodepth_batch_submit = batch;
  j.iodepth_batch_complete_min = complete_min;
  j.number_ios = 512;
  WorkloadGenerator gen(*rig.sim, target, {j});
  gen.start();
  const md::ArrayCounters before = rig.array->counters();
  uint64_t steps = 0;
  while (!gen.done()) {
    EXPECT_TRUE(rig.sim->step());
    EXPECT_LT(++steps, 50'000'000u);
  }
  Outcome out;
  out.m = gen.metrics();
  md::ArrayCounters delta = rig.array->counters();
  for (size_t k = 0; k < delta.member_writes.size(); ++k) {
    delta.member_writes[k].requests -= before.member_writes[k].requests;
    delta.member_writes[k].bytes -= before.member_writes[k].bytes;
  }
  delta.member_flushes -= before.member_flushes;
  fill_backend_metrics(delta, out.m);
  out.unplugs = rig.array->counters().intent_unplugs - before.intent_unplugs;
  return out;
}

TEST(ArrayIoTarget, GeneratorRunsOnRaid1AndCountersMap) {
  const Outcome o = run_randwrite(4, 1);
  EXPECT_EQ(o.m.user_writes, 512u);
  EXPECT_EQ(o.m.user_writes_completed, 512u);
  EXPECT_EQ(o.m.user_io_errors, 0u);
  EXPECT_EQ(o.m.data_writes, 2u * 512);  // raid1: one 4 KiB write per member
  EXPECT_GT(o.m.intent_writes, 0u);
  EXPECT_EQ(o.m.meta_writes, o.m.intent_writes + o.m.superblock_writes);
  EXPECT_GT(o.m.write_lat.percentile_ns(50), 0u);
}

TEST(ArrayIoTarget, BatchesOfSixteenShareBitmapWrites) {
  const Outcome one = run_randwrite(16, 1);
  const Outcome sixteen = run_randwrite(16, 16, 16);
  // 64 MiB with 64 KiB chunks is one bitmap page: a batch dirtying several
  // chunks costs one page write per member, where single submissions pay
  // (up to) one per newly dirtied chunk.
  EXPECT_LT(sixteen.m.intent_writes, one.m.intent_writes);
  EXPECT_EQ(sixteen.m.submit_calls, 32u);
}

TEST(ArrayIoTarget, FuaWritesReachEveryMemberAsFua) {
  testing::MdRig rig(5, bitmap_raid1(), small_disk());
  rig.run_for(sim::Duration::s(30));
  ArrayIoTarget target(*rig.array);
  auto fua_writes = [&] { return rig.disks[0]->counters().fua_writes + rig.disks[1]->counters().fua_writes; };
  auto submit = [&](bool fua) {
    UserIo io;
    io.op = UserIo::Op::write;
    io.sector = disk::Sector(0);
    io.count = disk::SectorCount(8);
    io.fua = fua;
    bool done = false;
    target.submit_batch(std::span<const UserIo>(&io, 1), [&](size_t, const UserIoCompletion& c) {
      EXPECT_EQ(c.status, disk::IoStatus::ok);
      done = true;
    });
    while (!done) ASSERT_TRUE(rig.sim->step());
  };
  submit(false);  // sets the chunk's bit (a FUA bitmap write) and the active sb
  const uint64_t before = fua_writes();
  submit(true);   // same chunk, bit already on disk: only the data copies
  EXPECT_EQ(fua_writes() - before, 2u);
}

}  // namespace
}  // namespace mdsim::workload
