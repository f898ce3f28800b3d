// raid1 + classic bitmap scenarios: the exact IO sequence of a write after
// idle, the active/clean superblock rounds, lazy clearing by the daemon.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/md/array.h"
#include "model/md/bitmap.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

using disk::IoClass;

md::ArrayConfig bitmap_config() {
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

struct Logged {
  int64_t t_ns;
  int member;
  IoClass cls;
  uint64_t sector;
  uint64_t count;
  bool fua_preflush;
};

std::vector<Logged> attach_log(testing::MdRig& rig, std::vector<Logged>& log) {
  rig.array->set_member_io_hook([&rig, &log](int m, const disk::IoRequest& r) {
    log.push_back({rig.now().ns(), m, r.io_class, r.sector.value(), r.count.value(), r.fua && r.preflush});
  });
  return {};
}

std::string classes(const std::vector<Logged>& log) {
  std::string s;
  for (const auto& l : log) {
    s += disk::io_class_name(l.cls);
    s += std::to_string(l.member);
    s += ' ';
  }
  return s;
}

TEST(Raid1Bitmap, AssumeCleanStartsDirtyAndDaemonClearsLazily) {
  testing::MdRig rig(1, bitmap_config(), small_disk());
  auto& bm = static_cast<md::Bitmap&>(rig.array->intent());
  // mdadm wrote every bit set; the kernel keeps them (counter 2) and clears
  // them over daemon passes, without a resync (assume_clean).
  EXPECT_TRUE(bm.bit_in_memory(0));
  EXPECT_FALSE(rig.array->intent().media_covers(0, disk::Sector(0), disk::SectorCount(1)) == false);
  rig.run_for(sim::Duration::s(16));
  EXPECT_FALSE(bm.bit_in_memory(0));
  EXPECT_FALSE(rig.array->intent().media_covers(0, disk::Sector(0), disk::SectorCount(1)));
  EXPECT_EQ(rig.array->counters().resync_sectors, 0u);
}

TEST(Raid1Bitmap, WriteAfterIdleExactIoSequenceThenDaemonClears) {
  testing::MdRig rig(2, bitmap_config(), small_disk());
  rig.run_for(sim::Duration::s(30));  // initial bits cleared, array clean
  ASSERT_TRUE(rig.array->clean());
  std::vector<Logged> log;
  attach_log(rig, log);
  const uint64_t events0 = rig.array->events();
  auto w = rig.write(128, 8);  // chunk 1 (64 KiB chunks = 128 sectors)
  ASSERT_TRUE(w.ok);
  // Active round (bitmap sb page, then md sb, each on both members), then the
  // unplug writes the page with the new bit, then the data.
  EXPECT_EQ(classes(log),
            "intent0 intent1 superblock0 superblock1 intent0 intent1 data0 data1 ");
  for (size_t i = 0; i < 6; ++i) EXPECT_TRUE(log[i].fua_preflush) << i;
  EXPECT_FALSE(log[6].fua_preflush);
  EXPECT_EQ(log[0].sector, 16u);  // bitmap at sb + 8
  EXPECT_EQ(log[2].sector, 8u);   // v1.2 sb at 8
  EXPECT_EQ(log[0].count, 1u);    // 256 + 124 bytes: one sector
  EXPECT_EQ(rig.array->events(), events0 + 1);
  auto& bm = static_cast<md::Bitmap&>(rig.array->intent());
  EXPECT_TRUE(bm.bit_in_memory(1));
  EXPECT_TRUE(rig.array->intent().media_covers(1, disk::Sector(128), disk::SectorCount(8)));
  // Safemode: 200 ms later the clean round (events step back).
  log.clear();
  rig.run_for(sim::Duration::ms(500));
  EXPECT_EQ(classes(log), "intent0 intent1 superblock0 superblock1 ");
  EXPECT_TRUE(rig.array->clean());
  EXPECT_EQ(rig.array->events(), events0);
  // Daemon: events_cleared page write, then the cleared bit 2-3 passes later.
  log.clear();
  rig.run_for(sim::Duration::s(20));
  EXPECT_EQ(classes(log), "intent0 intent1 intent0 intent1 ");
  EXPECT_FALSE(bm.bit_in_memory(1));
  EXPECT_FALSE(rig.array->intent().media_covers(0, disk::Sector(128), disk::SectorCount(8)));
  EXPECT_GE(log[2].t_ns - log[0].t_ns, sim::Duration::s(5).count_ns());
}

TEST(Raid1Bitmap, HotChunkCostsNoBitmapIo) {
  testing::MdRig rig(3, bitmap_config(), small_disk());
  rig.run_for(sim::Duration::s(30));
  rig.write(0, 8);
  const auto before = rig.array->counters().member_writes[static_cast<int>(IoClass::intent)].requests;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(rig.write(8 * (i + 1), 8).ok);  // same chunk
  EXPECT_EQ(rig.array->counters().member_writes[static_cast<int>(IoClass::intent)].requests, before);
}

TEST(Raid1Bitmap, IdleCostsCleanRoundAndFirstWriteCostsActiveRound) {
  for (auto t : {md::IntentType::none, md::IntentType::bitmap}) {
    auto c = bitmap_config();
    c.intent.type = t;
    if (t == md::IntentType::none) c.intent.chunk_bytes = 0;
    testing::MdRig rig(4, c, small_disk());
    rig.run_for(sim::Duration::s(30));
    ASSERT_TRUE(rig.array->clean());
    const auto sb = static_cast<int>(IoClass::superblock);
    const uint64_t sb0 = rig.array->counters().member_writes[sb].requests;
    const uint64_t rounds0 = rig.array->counters().sb_rounds;
    rig.write(0, 8);
    EXPECT_FALSE(rig.array->clean());
    EXPECT_EQ(rig.array->counters().sb_rounds, rounds0 + 1);
    EXPECT_EQ(rig.array->counters().member_writes[sb].requests, sb0 + 2);
    for (int i = 0; i < 5; ++i) rig.write(8 * i, 8);  // within 200 ms: no new round
    EXPECT_EQ(rig.array->counters().sb_rounds, rounds0 + 1);
    rig.run_for(sim::Duration::ms(450));
    EXPECT_TRUE(rig.array->clean());
    EXPECT_EQ(rig.array->counters().sb_rounds, rounds0 + 2);
    EXPECT_EQ(rig.array->counters().member_writes[sb].requests, sb0 + 4);
  }
}

TEST(Raid1Bitmap, BatchOfWritesSharesOneUnplug) {
  testing::MdRig rig(5, bitmap_config(), small_disk());
  rig.run_for(sim::Duration::s(30));
  rig.write(0, 8);  // array active
  const auto intent = static_cast<int>(IoClass::intent);
  const uint64_t before = rig.array->counters().member_writes[intent].requests;
  std::vector<md::UserIo> batch;
  for (int i = 0; i < 16; ++i) batch.push_back({md::UserOp::write, disk::Sector(128ull * (i + 2)), disk::SectorCount(8)});
  int done = 0;
  rig.array->submit_batch(batch, [&](const md::UserIo&, const md::UserResult& r) { done += r.ok; });
  while (done < 16) ASSERT_TRUE(rig.sim->step());
  // 16 newly dirty chunks on one bitmap page: one page write per member.
  EXPECT_EQ(rig.array->counters().member_writes[intent].requests, before + 2);
}

}  // namespace
}  // namespace mdsim
