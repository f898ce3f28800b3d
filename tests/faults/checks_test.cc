#include "faults/checks.h"

#include <gtest/gtest.h>

#include <map>

#include "model/disk/sector_store.h"

namespace mdsim::faults {
namespace {

// Two mirrors over in-memory images (absent sector = 0).
struct FakeView {
  disk::DiskImage img[2] = {disk::DiskImage(SectorCount(4096)), disk::DiskImage(SectorCount(4096))};
  bool in_sync[2] = {true, true};
  void set(int i, uint64_t s, uint64_t w) { img[i].set(Sector(s), w, nullptr); }
  // The checks' view: raid1 over the in-sync mirrors.
  operator md::MemberImages() const {
    md::MemberImages m;
    m.geo.level = 1;
    m.geo.raid_disks = 2;
    m.geo.dev_sectors = 4096;
    for (int i = 0; i < 2; ++i) m.slots.push_back(in_sync[i] ? &img[i] : nullptr);
    return m;
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
  v.set(0, 300, 7);  // mirror 1 still 0
  std::vector<Sector> cand{Sector(300)};
  auto ok = check_coverage(v, cand, RangeSet({{Sector(256), kChunk}}), kChunk);
  EXPECT_TRUE(ok.held) << ok.detail;
  auto bad = check_coverage(v, cand, RangeSet({{Sector(0), kChunk}}), kChunk);
  ASSERT_FALSE(bad.held);
  ASSERT_TRUE(bad.violation.has_value());
  EXPECT_EQ(bad.violation->chunk, 2u);
  EXPECT_EQ(bad.violation->sectors.front(), Sector(300));
  EXPECT_EQ(bad.violation->words, (std::vector<uint64_t>{7, 0}));
  EXPECT_NE(bad.detail.find("copies differ"), std::string::npos);
}

TEST(Coverage, OutOfSyncMemberIsIgnored) {
  FakeView v;
  v.set(0, 300, 7);
  v.in_sync[1] = false;  // e.g. failed or being rebuilt: full recovery anyway
  std::vector<Sector> cand{Sector(300)};
  EXPECT_TRUE(check_coverage(v, cand, RangeSet(), kChunk).held);
}

TEST(Convergence, RequiresAgreementAndAllowedValue) {
  Oracle o;
  write(o, 1, 10, 0xa, false);
  FakeView v;
  v.set(0, 10, 0xa);
  v.set(1, 10, 0xa);
  std::vector<Sector> cand{Sector(10)};
  EXPECT_TRUE(check_convergence(v, cand, o, kChunk).held);
  v.set(1, 10, 0);
  EXPECT_FALSE(check_convergence(v, cand, o, kChunk).held);
  v.set(0, 10, 0xbad);
  v.set(1, 10, 0xbad);
  auto r = check_convergence(v, cand, o, kChunk);
  EXPECT_FALSE(r.held);
  EXPECT_NE(r.detail.find("could not have seen"), std::string::npos);
}

TEST(Durability, FuaWriteMustSurviveOnEveryInSyncMember) {
  Oracle o;
  write(o, 1, 10, 0xa, true);
  FakeView v;
  v.set(0, 10, 0xa);
  EXPECT_FALSE(check_durability(v, o, kChunk).held);  // mirror 1 lost it
  v.set(1, 10, 0xa);
  EXPECT_TRUE(check_durability(v, o, kChunk).held);
  v.in_sync[1] = false;
  v.set(1, 10, 0);
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
  v.set(0, 1, 1);
  v.set(0, 2, 2);
  v.set(0, 200, 3);
  v.set(0, 201, 4);
  v.set(1, 201, 4);  // agrees
  std::vector<Sector> cand{Sector(1), Sector(2), Sector(200), Sector(201)};
  auto e = measure_efficiency(v, cand, RangeSet({{Sector(0), SectorCount(256)}}), kChunk);
  EXPECT_EQ(e.inconsistent_sectors, 3u);
  EXPECT_EQ(e.inconsistent_chunks, 2u);
  EXPECT_EQ(e.resync_sectors, 256u);
}

// Member images of a small striped array (chunk 8, 64 dev sectors).
struct StripedImages {
  std::vector<disk::DiskImage> img;
  md::MemberImages m;
  StripedImages(int level, int disks) {
    for (int i = 0; i < disks; ++i) img.emplace_back(SectorCount(64));
    m.geo.level = level;
    m.geo.raid_disks = disks;
    m.geo.chunk_sectors = 8;
    m.geo.near_copies = 2;
    m.geo.dev_sectors = 64;
    for (const auto& i : img) m.slots.push_back(&i);
  }
  void set(int slot, uint64_t dev, uint64_t w) { img[slot].set(Sector(dev), w, nullptr); }
};

TEST(ParityCoverage, WriteHoleRowMustBeMarked) {
  // raid5 on 3 members, row 0: data slots 0 and 1, parity slot 2. Array
  // sector 3 lives on slot 0 at dev 3: new data there, parity not updated.
  StripedImages r5(5, 3);
  r5.set(0, 3, 0x55);
  const Oracle o;
  const std::vector<Sector> written{Sector(3)};
  const auto cand = intent_candidates(r5.m.geo, o, written, false);
  ASSERT_EQ(cand, (std::vector<Sector>{Sector(3)}));
  EXPECT_TRUE(md::inconsistent_at(r5.m, 3));
  auto bad = check_coverage(r5.m, cand, RangeSet(), kChunk);
  ASSERT_FALSE(bad.held);
  EXPECT_NE(bad.detail.find("parity differs"), std::string::npos) << bad.detail;
  EXPECT_EQ(bad.violation->words, (std::vector<uint64_t>{0x55, 0, 0}));
  EXPECT_TRUE(check_coverage(r5.m, cand, RangeSet({{Sector(0), SectorCount(8)}}), kChunk).held);
  // Parity brought up to date: consistent, nothing to cover.
  r5.set(2, 3, 0x55);
  EXPECT_TRUE(check_coverage(r5.m, cand, RangeSet(), kChunk).held);
  // A degraded row cannot be judged (md refuses to start it dirty instead).
  r5.set(2, 3, 0);
  r5.m.slots[1] = nullptr;
  EXPECT_FALSE(md::inconsistent_at(r5.m, 3));
}

TEST(ParityConvergence, DegradedReadReconstructsAndIsChecked) {
  StripedImages r5(5, 3);
  Oracle o;
  write(o, 1, 11, 0xa, true);  // array sector 11: row 0, slot 1, dev 3
  r5.set(1, 3, 0xa);
  r5.set(2, 3, 0xa);
  const std::vector<Sector> cand{Sector(11)};
  EXPECT_TRUE(check_convergence(r5.m, cand, o, kChunk).held);
  EXPECT_TRUE(check_durability(r5.m, o, kChunk).held);
  r5.m.slots[1] = nullptr;  // slot 1 lost: a read rebuilds 0xa from slot 0 ^ parity
  EXPECT_EQ(md::array_word(r5.m, 11), 0xau);
  EXPECT_TRUE(check_durability(r5.m, o, kChunk).held);
  r5.set(2, 3, 0xb);  // parity wrong: the rebuilt value is one the user never wrote
  EXPECT_FALSE(check_durability(r5.m, o, kChunk).held);
  EXPECT_FALSE(check_convergence(r5.m, cand, o, kChunk).held);
}

TEST(ParityCoverage, Raid10CopiesAreJudgedPerArraySector) {
  // raid10 near 2 on 4 members: array chunk 1 (sectors 8..15) has its copies
  // on slots 2 and 3 at dev 0..7.
  StripedImages r10(10, 4);
  r10.set(2, 1, 9);
  EXPECT_EQ(md::intent_sector_of_dev(r10.m.geo, 2, 1), 9u);
  EXPECT_TRUE(md::inconsistent_at(r10.m, 9));
  EXPECT_FALSE(md::inconsistent_at(r10.m, 1));  // slots 0, 1 hold chunk 0: agree
  const std::vector<Sector> cand{Sector(9)};
  auto bad = check_coverage(r10.m, cand, RangeSet({{Sector(0), SectorCount(8)}}), kChunk);
  ASSERT_FALSE(bad.held);
  EXPECT_EQ(bad.violation->words, (std::vector<uint64_t>{0, 0, 9, 0}));
  EXPECT_TRUE(check_coverage(r10.m, cand, RangeSet({{Sector(8), SectorCount(8)}}), kChunk).held);
  // A recorded bad block on slot 3 takes that copy out of the judgement.
  r10.m.unreadable = [](int slot, uint64_t dev) { return slot == 3 && dev == 1; };
  EXPECT_FALSE(md::inconsistent_at(r10.m, 9));
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
