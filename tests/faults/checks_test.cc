#include "faults/checks.h"

#include <gtest/gtest.h>

#include <map>

namespace mdsim::faults {
namespace {

// Two mirrors as plain maps (absent sector = 0).
class FakeView : public ArrayView {
 public:
  std::map<uint64_t, uint64_t> m[2];
  bool in_sync[2] = {true, true};
  int members() const override { return 2; }
  bool member_in_sync(int i) const override { return in_sync[i]; }
  uint64_t data_word(int i, Sector s) const override {
    auto it = m[i].find(s.value());
    return it == m[i].end() ? 0 : it->second;
  }
};

const SectorCount kChunk{128};

void write(Oracle& o, uint64_t id, uint64_t sector, uint64_t word, bool fua) {
  uint64_t w[1] = {word};
  o.write_submitted(id, Sector(sector), SectorCount(1), w);
  o.write_completed(id, fua);
}

TEST(RangeSet, MergesAndAnswersContainment) {
  RangeSet rs({{Sector(256), SectorCount(128)}, {Sector(0), SectorCount(128)},
               {Sector(100), SectorCount(50)}});
  ASSERT_EQ(rs.ranges().size(), 2u);
  EXPECT_TRUE(rs.contains(Sector(0)));
  EXPECT_TRUE(rs.contains(Sector(149)));
  EXPECT_FALSE(rs.contains(Sector(150)));
  EXPECT_TRUE(rs.contains(Sector(383)));
  EXPECT_FALSE(rs.contains(Sector(384)));
  EXPECT_TRUE(rs.covers({Sector(10), SectorCount(100)}));
  EXPECT_FALSE(rs.covers({Sector(140), SectorCount(20)}));
  EXPECT_EQ(rs.total_sectors(), 150u + 128u);
}

TEST(Coverage, DisagreementOutsideResyncSetFails) {
  FakeView v;
  v.m[0][300] = 7;  // mirror 1 still 0
  std::vector<Sector> cand{Sector(300)};
  auto ok = check_coverage(v, cand, RangeSet({{Sector(256), kChunk}}), kChunk);
  EXPECT_TRUE(ok.held) << ok.detail;
  auto bad = check_coverage(v, cand, RangeSet({{Sector(0), kChunk}}), kChunk);
  ASSERT_FALSE(bad.held);
  ASSERT_TRUE(bad.violation.has_value());
  EXPECT_EQ(bad.violation->chunk, 2u);
  EXPECT_EQ(bad.violation->sectors.front(), Sector(300));
  EXPECT_EQ(bad.violation->words, (std::vector<uint64_t>{7, 0}));
}

TEST(Coverage, OutOfSyncMemberIsIgnored) {
  FakeView v;
  v.m[0][300] = 7;
  v.in_sync[1] = false;  // e.g. failed or being rebuilt: full recovery anyway
  std::vector<Sector> cand{Sector(300)};
  EXPECT_TRUE(check_coverage(v, cand, RangeSet(), kChunk).held);
}

TEST(Convergence, RequiresAgreementAndAllowedValue) {
  Oracle o;
  write(o, 1, 10, 0xa, false);
  FakeView v;
  v.m[0][10] = 0xa;
  v.m[1][10] = 0xa;
  std::vector<Sector> cand{Sector(10)};
  EXPECT_TRUE(check_convergence(v, cand, o, kChunk).held);
  v.m[1][10] = 0;
  EXPECT_FALSE(check_convergence(v, cand, o, kChunk).held);
  v.m[0][10] = 0xbad;
  v.m[1][10] = 0xbad;
  auto r = check_convergence(v, cand, o, kChunk);
  EXPECT_FALSE(r.held);
  EXPECT_NE(r.detail.find("could not have seen"), std::string::npos);
}

TEST(Durability, FuaWriteMustSurviveOnEveryInSyncMember) {
  Oracle o;
  write(o, 1, 10, 0xa, true);
  FakeView v;
  v.m[0][10] = 0xa;
  EXPECT_FALSE(check_durability(v, o, kChunk).held);  // mirror 1 lost it
  v.m[1][10] = 0xa;
  EXPECT_TRUE(check_durability(v, o, kChunk).held);
  v.in_sync[1] = false;
  v.m[1][10] = 0;
  EXPECT_TRUE(check_durability(v, o, kChunk).held);
}

TEST(Durability, UnflushedWriteMayBeLost) {
  Oracle o;
  write(o, 1, 10, 0xa, false);
  FakeView v;
  EXPECT_TRUE(check_durability(v, o, kChunk).held);
}

TEST(Liveness, NeedsFinishedResyncAndCleanIntent) {
  EXPECT_TRUE(check_liveness(true, RangeSet()).held);
  EXPECT_FALSE(check_liveness(false, RangeSet()).held);
  EXPECT_FALSE(check_liveness(true, RangeSet({{Sector(0), kChunk}})).held);
}

TEST(Efficiency, CountsInconsistentChunks) {
  FakeView v;
  v.m[0][1] = 1;
  v.m[0][2] = 2;
  v.m[0][200] = 3;
  v.m[0][201] = 4;
  v.m[1][201] = 4;  // agrees
  std::vector<Sector> cand{Sector(1), Sector(2), Sector(200), Sector(201)};
  auto e = measure_efficiency(v, cand, RangeSet({{Sector(0), SectorCount(256)}}), kChunk);
  EXPECT_EQ(e.inconsistent_sectors, 3u);
  EXPECT_EQ(e.inconsistent_chunks, 2u);
  EXPECT_EQ(e.resync_sectors, 256u);
}

TEST(IntentBeforeData, KeepsFirstUncoveredWrite) {
  IntentBeforeDataMonitor mon;
  mon.on_data_write(0, Sector(0), SectorCount(8), true, 10);
  EXPECT_TRUE(mon.result(kChunk).held);
  mon.on_data_write(1, Sector(260), SectorCount(8), false, 20);
  mon.on_data_write(0, Sector(0), SectorCount(8), false, 30);
  auto r = mon.result(kChunk);
  ASSERT_FALSE(r.held);
  EXPECT_EQ(r.violation->chunk, 2u);
  EXPECT_EQ(mon.writes_checked(), 3u);
}

}  // namespace
}  // namespace mdsim::faults
