// Per-class member IO counts of a 4 KiB random-write run (raid1, 2 nvme
// members, iodepth 32, one IO per submission call), printed for both
// backends. Run: build/tests/mdsim_unit_tests --gtest_filter='Raid1Counts.*'
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "model/md/array.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

md::ArrayCounters randwrite(md::IntentType t, uint64_t ios, int iodepth) {
  md::ArrayConfig c;
  c.raid_disks = 2;
  c.assume_clean = true;
  c.intent.type = t;
  disk::DiskConfig d;  // 1 GiB nvme members
  testing::MdRig rig(7, c, d);
  rig.run_for(sim::Duration::s(30));  // mdadm's initial bits cleared
  sim::Prng rng = rig.sim->stream("randwrite");
  const uint64_t blocks = rig.array->capacity().value() / 8;
  uint64_t issued = 0, done = 0;
  std::function<void()> one = [&] {
    ++issued;
    rig.array->submit({md::UserOp::write, disk::Sector(rng.below(blocks) * 8), disk::SectorCount(8)},
                      [&](const md::UserIo&, const md::UserResult& r) {
                        EXPECT_TRUE(r.ok);
                        ++done;
                        if (issued < ios) one();
                      });
  };
  for (int i = 0; i < iodepth; ++i) one();
  while (done < ios) EXPECT_TRUE(rig.sim->step());
  rig.run_for(sim::Duration::s(30));  // clean round and lazy clearing
  return rig.array->counters();
}

TEST(Raid1Counts, RandWrite4kPerClassCounts) {
  for (auto t : {md::IntentType::none, md::IntentType::bitmap}) {
    const md::ArrayCounters c = randwrite(t, 20000, 32);
    std::printf("raid1 2x nvme 1 GiB, randwrite 4 KiB, iodepth 32, batch 1, intent %s:\n%s\n",
                md::intent_type_name(t), md::format_counters(c).c_str());
    const auto data = static_cast<int>(disk::IoClass::data);
    const auto intent = static_cast<int>(disk::IoClass::intent);
    EXPECT_EQ(c.user_writes, 20000u);
    EXPECT_EQ(c.member_writes[data].requests, 40000u);
    EXPECT_EQ(c.member_writes[data].bytes, 40000u * 4096);
    if (t == md::IntentType::none) {
      EXPECT_EQ(c.member_writes[intent].requests, 0u);
    }
    // bitmap: 16 chunks of 64 MiB, each dirtied once per burst on both members,
    // sharing unplugs; then cleared lazily.
    if (t == md::IntentType::bitmap) {
      EXPECT_GT(c.member_writes[intent].requests, 0u);
      EXPECT_LE(c.member_writes[intent].requests, 2u * (16 + 8));
    }
  }
}

}  // namespace
}  // namespace mdsim
