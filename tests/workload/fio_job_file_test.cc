// Reading fio job files: [global] inheritance, sections, bare keys, comments,
// and errors with line numbers for every unsupported key.
#include <gtest/gtest.h>

#include "model/workload/fio_job_file.h"

namespace mdsim::workload {
namespace {

TEST(FioJobFile, GlobalAppliesToLaterJobsAndJobsOverride) {
  const char* text = R"(; a job file as run on real hardware
[global]
ioengine=libaio
direct=1
bs=4k
iodepth=32
filename=/dev/md0
group_reporting

[randwrite-batch]
rw=randwrite
iodepth_batch_submit=16
size=1g
number_ios=10000

# second job
[seq]
rw=write
bs=1m
time_based
runtime=10
)";
  const auto jobs = parse_fio_job_text(text, "t.fio");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].name, "randwrite-batch");
  EXPECT_EQ(jobs[0].rw, RwMode::randwrite);
  EXPECT_EQ(jobs[0].iodepth, 32u);
  EXPECT_EQ(jobs[0].effective_batch(), 16u);
  EXPECT_EQ(jobs[0].bs_min_bytes, 4096u);
  ASSERT_TRUE(jobs[0].size.has_value());
  EXPECT_EQ(jobs[0].size->bytes, 1ull << 30);
  EXPECT_EQ(jobs[0].number_ios, 10000u);
  EXPECT_EQ(jobs[1].name, "seq");
  EXPECT_EQ(jobs[1].rw, RwMode::write);
  EXPECT_EQ(jobs[1].bs_min_bytes, 1u << 20);
  EXPECT_EQ(jobs[1].iodepth, 32u);
  EXPECT_TRUE(jobs[1].time_based);
  EXPECT_EQ(jobs[1].runtime, sim::Duration::s(10));
}

TEST(FioJobFile, GlobalAfterAJobDoesNotChangeThatJob) {
  const auto jobs = parse_fio_job_text("[a]\nrw=write\n[global]\niodepth=8\n[b]\n", "t.fio");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].iodepth, 1u);
  EXPECT_EQ(jobs[1].iodepth, 8u);
}

TEST(FioJobFile, EveryUnsupportedKeyIsReportedWithItsLine) {
  const char* text = "[global]\nverify=crc32c\n[j]\nrw=randwrite\nstonewall\nbs=4k,8k\n";
  try {
    parse_fio_job_text(text, "jobs/x.fio");
    FAIL() << "expected an error";
  } catch (const WorkloadError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("jobs/x.fio:2: verify: unsupported key 'verify'"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("jobs/x.fio:5: stonewall"), std::string::npos) << msg;
    EXPECT_NE(msg.find("jobs/x.fio:6: bs"), std::string::npos) << msg;
  }
}

TEST(FioJobFile, MalformedInputIsAnError) {
  EXPECT_THROW(parse_fio_job_text("rw=write\n[j]\n", "t"), WorkloadError);   // key before section
  EXPECT_THROW(parse_fio_job_text("[global]\nrw=write\n", "t"), WorkloadError);  // no job
  EXPECT_THROW(parse_fio_job_text("[j\nrw=write\n", "t"), WorkloadError);
  EXPECT_THROW(parse_fio_job_text("[j]\nsize=${SIZE}\n", "t"), WorkloadError);
  EXPECT_THROW(parse_fio_job_text("[j]\niodepth=0\n", "t"), WorkloadError);  // validation
  EXPECT_THROW(read_fio_job_file("/nonexistent/file.fio"), WorkloadError);
}

}  // namespace
}  // namespace mdsim::workload
