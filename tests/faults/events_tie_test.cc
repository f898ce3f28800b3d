// F25 (docs/verification.md): an events rollback and a member failing inside
// the same superblock round leave two members with equal events and role
// tables that disagree. md and mdadm may then assemble the stale member; the
// model does what they do and the harness exempts exactly that state.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "faults/ops_runner.h"
#include "model/disk/io.h"
#include "model/disk/sector_store.h"
#include "model/md/array.h"
#include "model/md/superblock.h"
#include "support/md_rig.h"
#include "support/regression_scenario.h"

namespace mdsim::faults {
namespace {

using mdsim::testing::load_regression;
using mdsim::testing::RegressionRun;
using mdsim::testing::run_regression;

TEST(EventsTie, MdadmIgnoresTheMemberReportingTheFreshestFailed) {
  const RegressionRun run = run_regression("f25-events-tie-after-rollback-journal");
  const RunOutcome& out = run.outcome;
  md::Array& a = *run.runner->array();
  EXPECT_FALSE(out.failed) << run.failure_text();
  EXPECT_EQ(out.crashes, 2u);
  EXPECT_NE(out.events_tie.find("member 1 ties member 0"), std::string::npos) << out.events_tie;
  EXPECT_NE(out.events_tie.find("reports the freshest member as failed"), std::string::npos) << out.events_tie;
  // mdadm's choice: member 0 (first with the highest events) alone.
  const auto members = a.members();
  EXPECT_EQ(members[0].raid_disk, 0);
  EXPECT_EQ(members[1].raid_disk, -1);
  EXPECT_EQ(members[0].sb_events, members[1].sb_events);
}

TEST(EventsTie, FirstCrashOfTheSameListIsNotExempted) {
  // The list up to its first power loss: equal events there come with equal
  // role tables (no failure yet), so nothing is exempted.
  const OpsScenario s = load_regression("f25-events-tie-after-rollback-journal");
  std::vector<Op> ops(s.ops.begin(), s.ops.begin() + 6);
  ASSERT_EQ(ops.back().kind, OpKind::power_loss);
  OpsRunner r(s.setup);
  const RunOutcome out = r.run(ops);
  EXPECT_FALSE(out.failed) << (out.failure ? out.failure->text() : "");
  EXPECT_TRUE(out.events_tie.empty()) << out.events_tie;
  EXPECT_TRUE(r.array()->assembly_conflict().empty());
}

// Direct assembly over edited superblocks: a clean raid1 stopped with both
// members at the same events, then one member's role table rewritten.
struct TieRig {
  std::vector<disk::DiskImage> images;
  TieRig() {
    md::ArrayConfig c;
    c.raid_disks = 2;
    c.assume_clean = true;
    disk::DiskConfig d;
    d.capacity = disk::SectorCount(64 << 11);
    testing::MdRig rig(41, c, d);
    EXPECT_TRUE(rig.write(0, 8).ok);
    rig.array->stop();
    images = rig.crash_media();
  }
  // Rewrites member m's superblock: role of device `dev` and events + bump.
  void edit(int m, uint32_t dev, uint16_t role, uint64_t bump) {
    uint8_t buf[disk::kSectorBytes];
    images[m].render(disk::Sector(md::kSbSector), buf);
    auto sb = md::decode_superblock(std::vector<uint8_t>(buf, buf + md::kSuperblockBytes));
    ASSERT_TRUE(sb.has_value());
    sb->dev_roles.at(dev) = role;
    sb->events += bump;
    const std::vector<uint8_t> enc = md::encode_superblock(*sb);
    auto bytes = std::make_shared<disk::SectorBytes>();
    std::copy(enc.begin(), enc.end(), bytes->b.begin());
    images[m].set(disk::Sector(md::kSbSector), disk::content_word_of_bytes(bytes->b.data()), bytes);
  }
  std::unique_ptr<testing::MdRig> assemble() const {
    md::AssembleOptions o;
    o.runtime.raid_disks = 2;
    disk::DiskConfig d;
    d.capacity = disk::SectorCount(64 << 11);
    return std::make_unique<testing::MdRig>(43, images, d, o, nullptr);
  }
};

TEST(EventsTie, TiedStaleMemberKeepsItsOwnRoleAsTheKernelDoes) {
  // Member 0 (first with the highest events) records member 1 faulty;
  // member 1, tied, records both active: mdadm keeps it (it does not report
  // member 0 failed) and super_1_validate takes its own role: In_sync.
  TieRig t;
  t.edit(0, 1, md::kRoleFaulty, 0);
  const auto rig = t.assemble();
  ASSERT_TRUE(rig->array);
  const auto members = rig->array->members();
  EXPECT_EQ(members[1].raid_disk, 1);
  EXPECT_TRUE(members[1].in_sync);
  EXPECT_NE(rig->array->assembly_conflict().find("is active on its own superblock"), std::string::npos)
      << rig->array->assembly_conflict();
}

TEST(EventsTie, OlderMemberTakesItsRoleFromTheFreshest) {
  // The usual failure: member 0 one event ahead records member 1 faulty.
  // super_1_validate consults the freshest superblock for the older device:
  // member 1 is left out, and this is no tie.
  TieRig t;
  t.edit(0, 1, md::kRoleFaulty, 1);
  const auto rig = t.assemble();
  ASSERT_TRUE(rig->array);
  EXPECT_EQ(rig->array->members()[1].raid_disk, -1);
  EXPECT_TRUE(rig->array->assembly_conflict().empty()) << rig->array->assembly_conflict();
}

TEST(EventsTie, EqualTablesAreNoConflict) {
  TieRig t;
  const auto rig = t.assemble();
  ASSERT_TRUE(rig->array);
  EXPECT_TRUE(rig->array->assembly_conflict().empty());
  for (const auto& m : rig->array->members()) EXPECT_TRUE(m.in_sync && m.raid_disk >= 0);
}

}  // namespace
}  // namespace mdsim::faults
