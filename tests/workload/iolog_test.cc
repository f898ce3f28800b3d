// fio iolog v2: parsing, errors with line numbers, and replay through the
// generator (order, flushes, waits, read_iolog key).
#include <gtest/gtest.h>

#include <fstream>

#include "model/workload/fixed_latency_target.h"
#include "model/workload/generator.h"
#include "model/workload/iolog.h"

namespace mdsim::workload {
namespace {

constexpr const char* kLog =
    "fio version 2 iolog\n"
    "/dev/md0 add\n"
    "/dev/md0 open\n"
    "/dev/md0 write 0 4096\n"
    "/dev/md0 write 1048576 8192\n"
    "/dev/md0 sync\n"
    "/dev/md0 wait 2000\n"
    "/dev/md0 read 4096 4096\n"
    "/dev/md0 trim 8192 4096\n"
    "/dev/md0 close\n";

TEST(Iolog, ParsesActionsInOrder) {
  const auto log = parse_fio_iolog(kLog, "t.log");
  ASSERT_EQ(log->entries.size(), 6u);
  EXPECT_EQ(log->entries[0].io.op, UserIo::Op::write);
  EXPECT_EQ(log->entries[1].io.sector.value(), 2048u);
  EXPECT_EQ(log->entries[1].io.count.value(), 16u);
  EXPECT_EQ(log->entries[2].io.op, UserIo::Op::flush);
  EXPECT_EQ(log->entries[3].kind, IologEntry::Kind::wait);
  EXPECT_EQ(log->entries[3].wait, sim::Duration::ms(2));
  EXPECT_EQ(log->entries[5].io.op, UserIo::Op::discard);
  EXPECT_EQ(log->end_sector.value(), 2048u + 16);
}

TEST(Iolog, ErrorsNameTheLine) {
  EXPECT_THROW(parse_fio_iolog("fio version 3 iolog\n", "t"), WorkloadError);
  try {
    parse_fio_iolog("fio version 2 iolog\nf write 100 4096\nf sync_file_range 0 0\n"
                    "g write 0 512\n", "t.log");
    FAIL();
  } catch (const WorkloadError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("t.log:2: offset and length must be multiples"), std::string::npos);
    EXPECT_NE(msg.find("t.log:3: action 'sync_file_range'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("t.log:4: replay of several files"), std::string::npos) << msg;
  }
}

TEST(Iolog, ReplayKeepsOrderFlushesAndWaits) {
  const std::string path = testing::TempDir() + "/mdsim_iolog_test.log";
  {
    std::ofstream out(path);
    out << kLog;
  }
  JobSpec j;
  ASSERT_EQ(apply_job_key(j, "read_iolog", path, SizeUnits::fio).status, KeyStatus::applied);
  j.iodepth = 4;
  sim::Simulator sim(1);
  FixedLatencyTarget target(sim, {.capacity = disk::SectorCount(1 << 20)});
  WorkloadGenerator gen(sim, target, {j}, {.record_ios = true});
  gen.start();
  sim.run();
  ASSERT_TRUE(gen.done());
  const auto& log = gen.issued();
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0].io.sector.value(), 0u);
  EXPECT_EQ(log[1].io.sector.value(), 2048u);
  EXPECT_EQ(log[2].io.op, UserIo::Op::flush);
  EXPECT_EQ(log[3].io.op, UserIo::Op::read);
  EXPECT_EQ(log[4].io.op, UserIo::Op::discard);
  // The flush waits for a slot, completes after 500 us, then 2 ms of wait.
  EXPECT_GE(log[3].submit_ns, log[2].submit_ns + 500'000 + 2'000'000);
  EXPECT_EQ(gen.metrics().user_flushes_completed, 1u);
}

TEST(Iolog, ReplayBeyondTheTargetIsRejected) {
  JobSpec j;
  j.read_iolog = parse_fio_iolog(kLog, "t.log");
  sim::Simulator sim(1);
  FixedLatencyTarget target(sim, {.capacity = disk::SectorCount(2048)});  // 1 MiB
  EXPECT_THROW(WorkloadGenerator(sim, target, {j}), WorkloadError);
}

TEST(Iolog, MissingFileIsABadValue) {
  JobSpec j;
  const KeyResult r = apply_job_key(j, "read_iolog", "/nonexistent.log", SizeUnits::fio);
  EXPECT_EQ(r.status, KeyStatus::bad_value);
  EXPECT_NE(r.message.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace mdsim::workload
