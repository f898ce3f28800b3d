#include "faults/crash_state.h"

#include <gtest/gtest.h>

#include <set>

namespace mdsim::faults {
namespace {

using disk::DiskConfig;
using disk::IoOp;
using disk::IoRequest;
using disk::IoResult;
using disk::Sector;
using disk::SectorCount;

IoRequest write_req(uint64_t sector, uint64_t n, uint64_t stamp) {
  IoRequest r;
  r.sector = Sector(sector);
  r.count = SectorCount(n);
  for (uint64_t i = 0; i < n; ++i) r.payload.stamps.push_back(stamp + i);
  return r;
}

DiskConfig cfg(uint32_t block_bytes = 512) {
  DiskConfig c;
  c.capacity = SectorCount(1 << 20);
  c.destage_delay_ns = 0;
  c.logical_block_bytes = block_bytes;
  return c;
}

// Two cached writes and one in-flight 2-block write on one disk.
struct Fixture {
  sim::Simulator sim{1};
  disk::Disk d{sim, "d0", cfg(4096)};
  CrashState state;
  Fixture() {
    d.submit(write_req(0, 8, 100), [](IoResult) {});
    sim.run();
    d.submit(write_req(8, 8, 200), [](IoResult) {});
    sim.run();
    d.submit(write_req(16, 16, 300), [](IoResult) {});
    state = capture({&d});
  }
};

TEST(CrashState, CaptureHasTheThreeLayers) {
  Fixture f;
  ASSERT_EQ(f.state.disks.size(), 1u);
  const auto& l = f.state.disks[0];
  EXPECT_EQ(l.cached.size(), 2u);
  EXPECT_EQ(l.in_flight.size(), 1u);
  EXPECT_EQ(l.block_sectors, 8u);
  EXPECT_EQ(l.media.word(Sector(0)), 0u);
}

TEST(CrashState, ApplyKeepsChosenCachedAndTornBlocks) {
  Fixture f;
  CrashChoice c;
  c.cached_kept = {1};
  c.torn = {TornWrite{0, {1}}};
  DiskImage img = apply_crash(f.state.disks[0], c);
  EXPECT_EQ(img.word(Sector(0)), 0u);
  EXPECT_EQ(img.word(Sector(8)), 200u);
  EXPECT_EQ(img.word(Sector(16)), 0u);    // block 0 of the torn write absent
  EXPECT_EQ(img.word(Sector(24)), 308u);  // block 1 present
  EXPECT_EQ(img.word(Sector(31)), 315u);
  // The pre-crash media is untouched.
  EXPECT_EQ(f.state.disks[0].media.word(Sector(8)), 0u);
}

// blk-flush runs a PREFLUSH before the data (F13, L1): an in-flight PREFLUSH
// write any block of which landed brings with it every cached write completed
// before its submission; a landed plain write forces nothing. keep_preflushed
// closes a hand-built choice, apply_crash honours it, and every enumerator
// hands out closed choices.
TEST(CrashState, LandedPreflushWriteKeepsTheCachedWritesItFlushes) {
  sim::Simulator sim{1};
  disk::Disk d{sim, "d0", cfg()};
  d.submit(write_req(0, 1, 100), [](IoResult) {});
  sim.run();
  IoRequest pf = write_req(8, 1, 200);
  pf.preflush = pf.fua = true;
  d.submit(pf, [](IoResult) {});
  d.submit(write_req(16, 1, 300), [](IoResult) {});  // in flight, submitted after pf
  CrashState st = capture({&d});
  const auto& l = st.disks[0];
  ASSERT_EQ(l.cached.size(), 1u);
  ASSERT_EQ(l.in_flight.size(), 2u);
  CrashChoice none;  // nothing kept: the cached write may be lost
  EXPECT_EQ(apply_crash(l, none).word(Sector(0)), 0u);
  CrashChoice raw_pf;  // not closed by hand: apply_crash keeps the flushed write anyway
  raw_pf.torn.push_back({0, {0}});
  EXPECT_EQ(apply_crash(l, raw_pf).word(Sector(0)), 100u);
  CrashChoice keep_pf;  // only the PREFLUSH write's block
  keep_pf.torn.push_back({0, {0}});
  keep_preflushed(l, keep_pf);
  EXPECT_EQ(keep_pf.cached_kept, std::vector<uint32_t>{0});
  const disk::DiskImage img = apply_crash(l, keep_pf);
  EXPECT_EQ(img.word(Sector(0)), 100u);
  EXPECT_EQ(img.word(Sector(8)), 200u);
  EXPECT_EQ(img.word(Sector(16)), 0u);
  CrashChoice keep_plain;  // the plain in-flight write forces nothing
  keep_plain.torn.push_back({1, {0}});
  keep_preflushed(l, keep_plain);
  EXPECT_TRUE(keep_plain.cached_kept.empty());
  const disk::DiskImage plain = apply_crash(l, keep_plain);
  EXPECT_EQ(plain.word(Sector(0)), 0u);
  EXPECT_EQ(plain.word(Sector(16)), 300u);
  auto e = CrashChoiceEnumerator::all_subsets(st, 3);
  CrashStateChoice c;
  while (e.next(c)) {
    for (const TornWrite& t : c[0].torn) {
      if (t.write_index == 0) {
        EXPECT_EQ(c[0].cached_kept, std::vector<uint32_t>{0});
      }
    }
  }
}

TEST(CrashState, AllSubsetsEnumeratesThePowerSetWhenUnbounded) {
  Fixture f;
  auto e = CrashChoiceEnumerator::all_subsets(f.state, 100);
  EXPECT_EQ(e.unit_count(), 4u);  // 2 cached + 2 blocks in flight
  std::set<std::vector<uint64_t>> images;
  CrashStateChoice c;
  while (e.next(c)) {
    const std::vector<DiskImage> imgs = apply_crash(f.state, c);
    images.insert(std::vector<uint64_t>{imgs[0].word(Sector(0)), imgs[0].word(Sector(8)),
                                        imgs[0].word(Sector(16)), imgs[0].word(Sector(24))});
  }
  EXPECT_EQ(e.produced(), 16u);
  EXPECT_EQ(images.size(), 16u);  // all distinct post-crash images
}

TEST(CrashState, AllSubsetsBoundsKeptUnits) {
  Fixture f;
  auto e = CrashChoiceEnumerator::all_subsets(f.state, 1);
  CrashStateChoice c;
  uint64_t n = 0;
  while (e.next(c)) {
    size_t kept = c[0].cached_kept.size();
    for (const auto& t : c[0].torn) kept += t.blocks.size();
    EXPECT_LE(kept, 1u);
    ++n;
  }
  EXPECT_EQ(n, 5u);  // empty set + 4 singletons
  auto d = CrashChoiceEnumerator::all_subsets_dropping(f.state, 0);
  ASSERT_TRUE(d.next(c));
  EXPECT_EQ(c[0].cached_kept.size(), 2u);
  ASSERT_EQ(c[0].torn.size(), 1u);
  EXPECT_EQ(c[0].torn[0].blocks.size(), 2u);
  EXPECT_FALSE(d.next(c));
}

TEST(CrashState, PrefixesFollowCompletionOrderAcrossDisks) {
  sim::Simulator sim(1);
  disk::Disk a(sim, "a", cfg()), b(sim, "b", cfg());
  a.submit(write_req(0, 1, 1), [](IoResult) {});
  sim.run();
  b.submit(write_req(0, 1, 2), [](IoResult) {});
  sim.run();
  a.submit(write_req(1, 1, 3), [](IoResult) {});
  sim.run();
  CrashState s = capture({&a, &b});
  auto e = CrashChoiceEnumerator::completion_prefixes(s);
  std::vector<std::pair<size_t, size_t>> shape;
  CrashStateChoice c;
  while (e.next(c)) shape.push_back({c[0].cached_kept.size(), c[1].cached_kept.size()});
  EXPECT_EQ(shape, (std::vector<std::pair<size_t, size_t>>{{0, 0}, {1, 0}, {1, 1}, {2, 1}}));
}

TEST(CrashState, RandomIsSeededAndBounded) {
  Fixture f;
  auto sample = [&](uint64_t seed) {
    auto e = CrashChoiceEnumerator::random(f.state, seed, 20);
    std::vector<uint64_t> words;
    CrashStateChoice c;
    while (e.next(c)) {
      const std::vector<DiskImage> imgs = apply_crash(f.state, c);
      for (uint64_t s : {0, 8, 16, 24}) words.push_back(imgs[0].word(Sector(s)));
    }
    return words;
  };
  EXPECT_EQ(sample(3).size(), 80u);
  EXPECT_EQ(sample(3), sample(3));
  EXPECT_NE(sample(3), sample(4));
}

TEST(CrashState, ApplyCostIsProportionalToDelta) {
  // A large media shared by thousands of post-crash images: each adds one leaf path.
  sim::Simulator sim(1);
  DiskConfig c = cfg();
  c.capacity = SectorCount(1ull << 30);
  disk::Disk d(sim, "d", c);
  for (uint64_t i = 0; i < 2000; ++i) d.submit(write_req(i * 4096, 8, i << 8), [](IoResult) {});
  sim.run();
  IoRequest fl;
  fl.op = IoOp::flush;
  d.submit(std::move(fl), [](IoResult) {});
  sim.run();
  d.submit(write_req(8, 8, 7), [](IoResult) {});
  sim.run();
  CrashState s = capture({&d});
  auto e = CrashChoiceEnumerator::all_subsets(s, 1);
  CrashStateChoice ch;
  while (e.next(ch)) {
    const std::vector<DiskImage> imgs = apply_crash(s, ch);
    std::vector<uint64_t> pages;
    imgs[0].differing_pages(s.disks[0].media, pages);
    EXPECT_LE(pages.size(), 1u);
  }
}

TEST(CrashState, PostCrashDisksStartFromTheImages) {
  Fixture f;
  CrashChoice c;
  c.cached_kept = {0};
  const std::vector<DiskImage> imgs = apply_crash(f.state, {c});
  sim::Simulator after(2);
  auto disks = make_post_crash_disks(after, {"d0"}, {f.d.config()}, imgs);
  ASSERT_EQ(disks.size(), 1u);
  EXPECT_EQ(disks[0]->media_word(Sector(0)), 100u);
  EXPECT_EQ(disks[0]->media_word(Sector(8)), 0u);
  EXPECT_EQ(disks[0]->cached_writes(), 0u);
  EXPECT_EQ(disks[0]->inflight(), 0u);
}

}  // namespace
}  // namespace mdsim::faults
