#include "model/disk/disk.h"

#include <gtest/gtest.h>

#include <optional>

#include "sim/simulator.h"
#include "sim/task.h"

namespace mdsim::disk {
namespace {

IoRequest write_req(uint64_t sector, std::vector<uint64_t> stamps, bool fua = false,
                    bool preflush = false) {
  IoRequest r;
  r.op = IoOp::write;
  r.sector = Sector(sector);
  r.count = SectorCount(stamps.size());
  r.fua = fua;
  r.preflush = preflush;
  r.payload.stamps = std::move(stamps);
  return r;
}

IoRequest flush_req() {
  IoRequest r;
  r.op = IoOp::flush;
  return r;
}

IoRequest read_req(uint64_t sector, uint64_t n, bool want_bytes = false) {
  IoRequest r;
  r.op = IoOp::read;
  r.sector = Sector(sector);
  r.count = SectorCount(n);
  r.io_class = IoClass::read;
  r.want_bytes = want_bytes;
  return r;
}

DiskConfig cfg(Profile p = Profile::nvme) {
  DiskConfig c;
  c.capacity = SectorCount(1 << 20);
  c.profile = p;
  c.destage_delay_ns = 0;
  return c;
}

TEST(Disk, CompletionIsNeverInline) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  bool done = false;
  d.submit(write_req(0, {7}), [&](IoResult r) {
    EXPECT_TRUE(r.ok());
    done = true;
  });
  EXPECT_FALSE(done);
  sim.run();
  EXPECT_TRUE(done);
  EXPECT_GT(sim.now(), sim::Instant::zero());
}

TEST(Disk, CachedWriteReadsBackButIsNotOnMediaUntilFlush) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  d.submit(write_req(8, {11, 12}), [](IoResult) {});
  sim.run();
  EXPECT_EQ(d.current_word(Sector(8)), 11u);
  EXPECT_EQ(d.media_word(Sector(8)), 0u);
  EXPECT_EQ(d.cached_writes(), 1u);
  std::optional<IoResult> rd;
  d.submit(read_req(8, 2), [&](IoResult r) { rd = std::move(r); });
  sim.run();
  ASSERT_TRUE(rd && rd->ok());
  EXPECT_EQ(rd->words, (std::vector<uint64_t>{11, 12}));
  d.submit(flush_req(), [](IoResult r) { EXPECT_TRUE(r.ok()); });
  sim.run();
  EXPECT_EQ(d.media_word(Sector(9)), 12u);
  EXPECT_EQ(d.cached_writes(), 0u);
  EXPECT_TRUE(d.media_image().same_tree(d.current_image()));  // drained cache: one tree
  EXPECT_EQ(d.counters().flushes, 1u);
}

TEST(Disk, FuaWriteIsOnMediaAtCompletionAndNotRegressedByOlderCachedWrite) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  d.submit(write_req(0, {1}), [](IoResult) {});
  sim.run();
  bool fua_done = false;
  d.submit(write_req(0, {2}, true), [&](IoResult) {
    fua_done = true;
    EXPECT_EQ(d.media_word(Sector(0)), 2u);
  });
  sim.run();
  EXPECT_TRUE(fua_done);
  d.submit(flush_req(), [](IoResult) {});
  sim.run();
  EXPECT_EQ(d.media_word(Sector(0)), 2u);  // the stale cached 1 did not overwrite it
  EXPECT_EQ(d.counters().fua_writes, 1u);
}

TEST(Disk, FlushOnlyCoversWritesCompletedBeforeItsSubmission) {
  sim::Simulator sim(1);
  DiskConfig c = cfg(Profile::ramdisk);
  Disk d(sim, "d0", c);
  d.submit(write_req(0, {1}), [](IoResult) {});
  sim.run();
  // Submitted together: the flush must not wait for the later write.
  d.submit(flush_req(), [&](IoResult) { EXPECT_EQ(d.media_word(Sector(0)), 1u); });
  d.submit(write_req(1, {5}), [](IoResult) {});
  sim.run();
  EXPECT_EQ(d.media_word(Sector(1)), 0u);
  EXPECT_EQ(d.current_word(Sector(1)), 5u);
}

TEST(Disk, NoFuaSupportTurnsPreflushFuaIntoFlushWriteFlush) {
  sim::Simulator sim(1);
  DiskConfig c = cfg();
  c.fua_supported = false;
  Disk d(sim, "d0", c);
  d.submit(write_req(0, {1}), [](IoResult) {});
  sim.run();
  bool done = false;
  d.submit(write_req(8, {9}, true, true), [&](IoResult r) {
    EXPECT_TRUE(r.ok());
    done = true;
    EXPECT_EQ(d.media_word(Sector(0)), 1u);
    EXPECT_EQ(d.media_word(Sector(8)), 9u);
  });
  sim.run();
  EXPECT_TRUE(done);
  EXPECT_EQ(d.counters().flushes, 2u);
  EXPECT_EQ(d.counters().fua_writes, 0u);
}

TEST(Disk, WriteThroughPutsEveryWriteOnMedia) {
  sim::Simulator sim(1);
  DiskConfig c = cfg(Profile::sata_ssd);
  c.cache = CacheMode::write_through;
  Disk d(sim, "d0", c);
  d.submit(write_req(3, {4}), [&](IoResult) { EXPECT_EQ(d.media_word(Sector(3)), 4u); });
  sim.run();
  EXPECT_EQ(d.cached_writes(), 0u);
}

TEST(Disk, BackgroundDestageReachesMediaAfterDelay) {
  sim::Simulator sim(1);
  DiskConfig c = cfg();
  c.destage_delay_ns = 1'000'000;
  Disk d(sim, "d0", c);
  d.submit(write_req(0, {3}), [](IoResult) {});
  sim.run_until(sim::Instant::from_ns(500'000));
  EXPECT_EQ(d.media_word(Sector(0)), 0u);
  sim.run();
  EXPECT_EQ(d.media_word(Sector(0)), 3u);
  EXPECT_EQ(d.cached_bytes(), 0u);
}

TEST(Disk, ByteSectorsReadBackAsBytesAndContentWords) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  IoRequest w;
  w.op = IoOp::write;
  w.sector = Sector(8);
  w.count = SectorCount(1);
  w.io_class = IoClass::superblock;
  w.payload.bytes.assign(512, 0);
  w.payload.bytes[0] = 0xa9;
  w.payload.bytes[511] = 0x5c;
  const std::vector<uint8_t> expect = w.payload.bytes;
  d.submit(std::move(w), [](IoResult) {});
  std::optional<IoResult> rd;
  d.submit(read_req(8, 1, true), [&](IoResult r) { rd = std::move(r); });
  sim.run();
  ASSERT_TRUE(rd && rd->ok());
  EXPECT_EQ(rd->bytes, expect);
  EXPECT_EQ(rd->words[0], content_word_of_bytes(expect.data()));
  EXPECT_EQ(d.counters().writes[static_cast<int>(IoClass::superblock)].bytes, 512u);
}

TEST(Disk, DiscardReadsBackZero) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  d.submit(write_req(0, {1, 2}), [](IoResult) {});
  sim.run();  // concurrent requests may complete in any order: serialize
  IoRequest disc;
  disc.op = IoOp::discard;
  disc.sector = Sector(0);
  disc.count = SectorCount(2);
  d.submit(std::move(disc), [](IoResult) {});
  sim.run();
  EXPECT_EQ(d.current_word(Sector(1)), 0u);
  EXPECT_EQ(d.counters().discards, 1u);
}

TEST(Disk, BadSectorsFailReadsAndWritesRepairUnlessSticky) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  d.add_bad_range({Sector(10), SectorCount(2)}, false);
  d.add_bad_range({Sector(20), SectorCount(1)}, true);
  std::vector<IoStatus> st;
  auto rec = [&](IoResult r) { st.push_back(r.status); };
  d.submit(read_req(11, 1), rec);
  sim.run();
  d.submit(write_req(11, {5}), rec);
  sim.run();
  d.submit(read_req(11, 1), rec);
  sim.run();
  d.submit(read_req(10, 1), rec);
  sim.run();
  d.submit(write_req(20, {5}), rec);
  sim.run();
  ASSERT_EQ(st.size(), 5u);
  EXPECT_EQ(st[0], IoStatus::media_error);
  EXPECT_EQ(st[1], IoStatus::ok);
  EXPECT_EQ(st[2], IoStatus::ok);           // repaired by the write
  EXPECT_EQ(st[3], IoStatus::media_error);  // not written, still bad
  EXPECT_EQ(st[4], IoStatus::media_error);  // sticky
  EXPECT_EQ(d.counters().errors, 3u);
}

TEST(Disk, FailedAndMissingDevicesFailEveryRequest) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  std::vector<IoStatus> st;
  d.set_failed(true);
  d.submit(read_req(0, 1), [&](IoResult r) { st.push_back(r.status); });
  sim.run();
  d.set_failed(false);
  d.set_missing(true);
  d.submit(write_req(0, {1}), [&](IoResult r) { st.push_back(r.status); });
  sim.run();
  EXPECT_EQ(st, (std::vector<IoStatus>{IoStatus::device_failed, IoStatus::device_missing}));
  EXPECT_EQ(d.current_word(Sector(0)), 0u);
}

TEST(Disk, QueueDepthLimitsActiveRequests) {
  sim::Simulator sim(1);
  DiskConfig c = cfg(Profile::hdd);
  c.queue_depth = 2;
  Disk d(sim, "d0", c);
  int done = 0;
  for (int i = 0; i < 5; ++i) d.submit(read_req(i * 1000, 8), [&](IoResult) { ++done; });
  EXPECT_EQ(d.inflight(), 5u);
  sim.run();
  EXPECT_EQ(done, 5);
  EXPECT_EQ(d.inflight(), 0u);
}

TEST(Disk, CaptureSeesCachedAndInFlightLayers) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  d.submit(write_req(0, {1}), [](IoResult) {});
  sim.run();
  d.submit(write_req(8, {2, 3}), [](IoResult) {});
  Disk::CrashLayers l = d.capture();
  ASSERT_EQ(l.cached.size(), 1u);
  ASSERT_EQ(l.in_flight.size(), 1u);
  EXPECT_EQ(l.cached[0]->words[0], 1u);
  EXPECT_EQ(l.in_flight[0]->completion_seq, 0u);
  sim.run();
  EXPECT_EQ(l.in_flight[0]->completion_seq, 0u);  // the capture is not mutated later
  EXPECT_EQ(l.media.word(Sector(0)), 0u);
}

sim::Task writer(Disk& d, uint64_t* out) {
  // (g++ 12 rejects a braced initializer list inside a coroutine: build it outside.)
  IoRequest req = write_req(0, std::vector<uint64_t>(1, 42), true);
  IoResult r = co_await d.io(std::move(req));
  *out = r.ok() ? d.media_word(Sector(0)) : 0;
}

TEST(Disk, AwaitableForm) {
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg());
  uint64_t got = 0;
  sim.spawn(writer(d, &got));
  sim.run();
  EXPECT_EQ(got, 42u);
}

TEST(Disk, DiskFromImageStartsWithThatMedia) {
  DiskImage img(SectorCount(1 << 20));
  img.set(Sector(5), 99, nullptr);
  sim::Simulator sim(1);
  Disk d(sim, "d0", cfg(), img);
  EXPECT_EQ(d.current_word(Sector(5)), 99u);
  EXPECT_EQ(d.media_word(Sector(5)), 99u);
}

}  // namespace
}  // namespace mdsim::disk

namespace mdsim::disk {
namespace {

TEST(DiskTrace, SubmitCompleteAndFlushEventsPerDiskActor) {
  sim::Simulator sim(1);
  sim.trace().set_recording(true);
  Disk a(sim, "sda", cfg());
  Disk b(sim, "sdb", cfg());
  a.submit(write_req(16, {1, 2}, false, false), [](IoResult) {});
  sim.run();
  b.submit(write_req(0, {3}, true, true), [](IoResult) {});
  sim.run();
  std::vector<std::string> seen;
  for (const sim::TraceEvent& e : sim.trace().events()) {
    seen.push_back(std::string(e.kind->name) + "@" + sim.trace().actor_name(e.actor));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"disk.submit@sda", "disk.complete@sda",
                                            "disk.submit@sdb", "disk.flush@sdb",
                                            "disk.complete@sdb"}));
  const sim::TraceEvent& sub = sim.trace().events()[0];
  EXPECT_EQ(sub.args[0], 1u);   // id
  EXPECT_EQ(sub.args[1], 16u);  // sector
  EXPECT_EQ(sub.args[2], 2u);   // count
  const sim::TraceEvent& sub_b = sim.trace().events()[2];
  EXPECT_EQ(sub_b.args[3] >> 8 & 0xff, kTraceFlagFua | kTraceFlagPreflush);
  const sim::TraceEvent& done = sim.trace().events()[1];
  EXPECT_EQ(done.args[1], static_cast<uint64_t>(IoStatus::ok));
  EXPECT_EQ(static_cast<int64_t>(done.args[2]), done.time_ns);  // latency from t=0
}

}  // namespace
}  // namespace mdsim::disk
