// The comparison of issue 4 on a small array: every backend runs behind the
// one interface, every check holds, and "ours" meets its targets: metadata
// writes per user write <= llbitmap's, resync sectors <= the classic bitmap's
// at every crash instant, and it resyncs nothing once idle (llbitmap does).
#include <gtest/gtest.h>

#include "model/md/intent_compare.h"

namespace mdsim::md {
namespace {

const CompareRow& row(const std::vector<CompareRow>& rows, IntentType t, uint32_t depth) {
  for (const CompareRow& r : rows)
    if (r.type == t && r.iodepth == depth) return r;
  throw std::runtime_error("row missing");
}

TEST(IntentCompare, OursBeatsLlbitmapWritesAndBitmapResyncOnASmallArray) {
  CompareOptions o;
  o.member_size = SectorCount(256ull << 11);  // 256 MiB
  o.ios = 3000;
  const std::vector<CompareRow> rows = run_intent_comparison(o);
  ASSERT_EQ(rows.size(), 10u);
  for (const CompareRow& r : rows) {
    EXPECT_TRUE(r.properties_held()) << intent_type_name(r.type) << " iodepth " << r.iodepth;
    EXPECT_EQ(r.user_writes, o.ios);
    ASSERT_EQ(r.crashes.size(), 3u);
  }
  for (uint32_t d : o.iodepths) {
    const CompareRow& ours = row(rows, IntentType::ours, d);
    const CompareRow& ll = row(rows, IntentType::llbitmap, d);
    const CompareRow& bm = row(rows, IntentType::bitmap, d);
    EXPECT_LE(ours.meta_writes, ll.meta_writes) << "iodepth " << d;
    for (size_t i = 0; i < ours.crashes.size(); ++i)
      EXPECT_LE(ours.crashes[i].resync_sectors, bm.crashes[i].resync_sectors) << "iodepth " << d << " crash " << i;
    EXPECT_EQ(ours.crashes.back().resync_sectors, 0u);
    EXPECT_GT(ll.crashes.back().resync_sectors, 0u);  // item 12: cleaning never persisted
    // The journal pays a metadata write per plug round.
    EXPECT_GT(row(rows, IntentType::journal, d).intent_writes, ll.intent_writes);
  }
  const std::string table = format_comparison(rows, o);
  EXPECT_NE(table.find("| ours | 32 |"), std::string::npos);
}

// raid10 near-2 and raid5 left-symmetric on four small members: the crash
// really splits the redundancy (a full resync follows for `none`), every
// backend's record covers what disagrees, every resync converges, and ours
// resyncs nothing once idle.
void check_level(int level) {
  CompareOptions o;
  o.level = level;
  o.member_size = SectorCount(64ull << 11);  // 64 MiB
  o.ios = 1500;
  const std::vector<CompareRow> rows = run_intent_comparison(o);
  ASSERT_EQ(rows.size(), 10u);
  for (const CompareRow& r : rows) {
    EXPECT_EQ(r.level, level);
    EXPECT_TRUE(r.properties_held()) << intent_type_name(r.type) << " iodepth " << r.iodepth;
    EXPECT_EQ(r.user_writes, o.ios);
    EXPECT_EQ(r.intent_violations, 0u);
    ASSERT_EQ(r.crashes.size(), 3u);
    for (const CrashOutcome& c : r.crashes) EXPECT_TRUE(c.converged);
  }
  for (uint32_t d : o.iodepths) {
    const CompareRow& none = row(rows, IntentType::none, d);
    EXPECT_EQ(none.crashes[0].decision, "full_resync");
    EXPECT_GT(none.crashes[0].differing_sectors, 0u) << "the crash left nothing to repair";
    const CompareRow& ours = row(rows, IntentType::ours, d);
    EXPECT_GT(ours.crashes[0].differing_sectors, 0u);
    EXPECT_EQ(ours.crashes[0].uncovered_sectors, 0u);
    EXPECT_GT(ours.crashes[0].resync_sectors, 0u);
    EXPECT_EQ(ours.crashes.back().resync_sectors, 0u);
    EXPECT_GT(ours.meta_writes, 0u);
  }
  const std::string table = format_comparison(rows, o);
  EXPECT_NE(table.find(level == 10 ? "raid10 near-2" : "raid5 left-symmetric"), std::string::npos);
}

TEST(IntentCompare, Raid10SmallArrayChecksHold) { check_level(10); }
TEST(IntentCompare, Raid5SmallArrayChecksHold) { check_level(5); }

}  // namespace
}  // namespace mdsim::md
