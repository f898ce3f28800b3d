// JobSpec keys, defaults, validation and value parsing (units.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/workload/job.h"
#include "model/workload/units.h"

namespace mdsim::workload {
namespace {

TEST(Units, FioSizesAre1024BasedAndIecSpellingsFollowFio) {
  EXPECT_EQ(*parse_size_bytes("4k", SizeUnits::fio).value, 4096u);
  EXPECT_EQ(*parse_size_bytes("1M", SizeUnits::fio).value, 1048576u);
  EXPECT_EQ(*parse_size_bytes("10g", SizeUnits::fio).value, 10ull << 30);
  EXPECT_EQ(*parse_size_bytes("64kb", SizeUnits::fio).value, 65536u);
  EXPECT_EQ(*parse_size_bytes("4KiB", SizeUnits::fio).value, 4000u);  // fio's kb_base=1024 quirk
  EXPECT_EQ(*parse_size_bytes("512", SizeUnits::fio).value, 512u);
  EXPECT_FALSE(parse_size_bytes("4x", SizeUnits::fio).ok());
  EXPECT_FALSE(parse_size_bytes("k", SizeUnits::fio).ok());
  EXPECT_FALSE(parse_size_bytes("99999999999999999999", SizeUnits::fio).ok());
  EXPECT_FALSE(parse_size_bytes("20000000000p", SizeUnits::fio).ok());
}

TEST(Units, IecSizesForJson) {
  EXPECT_EQ(*parse_size_bytes("64KiB", SizeUnits::iec).value, 65536u);
  EXPECT_EQ(*parse_size_bytes("1GiB", SizeUnits::iec).value, 1ull << 30);
  EXPECT_EQ(*parse_size_bytes("4k", SizeUnits::iec).value, 4096u);
  EXPECT_EQ(*parse_size_bytes("1MB", SizeUnits::iec).value, 1'000'000u);
}

TEST(Units, TimesUseTheKeyDefaultUnit) {
  EXPECT_EQ(parse_duration("10", sim::Duration::s(1)).value->count_ns(), 10'000'000'000);
  EXPECT_EQ(parse_duration("10", sim::Duration::us(1)).value->count_ns(), 10'000);
  EXPECT_EQ(parse_duration("250ms", sim::Duration::s(1)).value->count_ns(), 250'000'000);
  EXPECT_EQ(parse_duration("2m", sim::Duration::s(1)).value->count_ns(), 120'000'000'000);
  EXPECT_FALSE(parse_duration("1.5s", sim::Duration::s(1)).ok());
  EXPECT_FALSE(parse_duration("3 fortnights", sim::Duration::s(1)).ok());
}

TEST(Job, DefaultsAreFios) {
  JobSpec j;
  EXPECT_EQ(j.rw, RwMode::read);
  EXPECT_EQ(j.bs_min_bytes, 4096u);
  EXPECT_EQ(j.iodepth, 1u);
  EXPECT_EQ(j.iodepth_batch_submit, 1u);
  EXPECT_EQ(j.numjobs, 1u);
  EXPECT_EQ(j.rwmixread, 50u);
  EXPECT_EQ(j.thinktime_blocks, 1u);
  EXPECT_EQ(j.effective_batch(), 1u);
  EXPECT_NO_THROW(validate_job(j));
}

TEST(Job, BatchZeroMeansIodepthAndIsCappedByDepth) {
  JobSpec j;
  j.iodepth = 32;
  j.iodepth_batch_submit = 0;
  EXPECT_EQ(j.effective_batch(), 32u);
  j.iodepth_batch_submit = 64;
  EXPECT_EQ(j.effective_batch(), 32u);
  j.sync_engine = true;  // psync: depth 1
  EXPECT_EQ(j.effective_iodepth(), 1u);
  EXPECT_EQ(j.effective_batch(), 1u);
}

TEST(Job, KeysApplyWithFioMeanings) {
  JobSpec j;
  EXPECT_EQ(apply_job_key(j, "rw", "randrw", SizeUnits::fio).status, KeyStatus::applied);
  EXPECT_EQ(j.rw, RwMode::randrw);
  apply_job_key(j, "rwmixwrite", "70", SizeUnits::fio);
  EXPECT_EQ(j.rwmixread, 30u);
  apply_job_key(j, "bsrange", "4k-64k", SizeUnits::fio);
  EXPECT_EQ(j.bs_min_bytes, 4096u);
  EXPECT_EQ(j.bs_max_bytes, 65536u);
  apply_job_key(j, "random_distribution", "zipf:1.2", SizeUnits::fio);
  EXPECT_EQ(j.random_distribution.kind, DistributionKind::zipf);
  EXPECT_EQ(j.random_distribution.param_micro, 1'200'000u);
  apply_job_key(j, "size", "50%", SizeUnits::fio);
  ASSERT_TRUE(j.size && j.size->percent);
  EXPECT_EQ(j.size->resolve_bytes(1 << 20), 512u * 1024);
  apply_job_key(j, "thinktime", "100", SizeUnits::fio);
  EXPECT_EQ(j.thinktime, sim::Duration::us(100));
  apply_job_key(j, "sync", "dsync", SizeUnits::fio);
  EXPECT_TRUE(j.sync_writes);
  apply_job_key(j, "iodepth_batch", "16", SizeUnits::fio);
  EXPECT_EQ(j.iodepth_batch_submit, 16u);
  EXPECT_EQ(apply_job_key(j, "group_reporting", "", SizeUnits::fio).status, KeyStatus::ignored);
}

TEST(Job, UnsupportedAndBadValuesAreReported) {
  JobSpec j;
  EXPECT_EQ(apply_job_key(j, "verify", "md5", SizeUnits::fio).status, KeyStatus::unsupported);
  EXPECT_EQ(apply_job_key(j, "stonewall", "", SizeUnits::fio).status, KeyStatus::unsupported);
  EXPECT_EQ(apply_job_key(j, "direct", "0", SizeUnits::fio).status, KeyStatus::unsupported);
  EXPECT_EQ(apply_job_key(j, "bs", "4k,8k", SizeUnits::fio).status, KeyStatus::unsupported);
  EXPECT_EQ(apply_job_key(j, "rw", "randwrite:8", SizeUnits::fio).status,
            KeyStatus::unsupported);
  EXPECT_EQ(apply_job_key(j, "rw", "sideways", SizeUnits::fio).status, KeyStatus::bad_value);
  EXPECT_EQ(apply_job_key(j, "iodepth", "lots", SizeUnits::fio).status, KeyStatus::bad_value);
  EXPECT_EQ(apply_job_key(j, "random_distribution", "zipf", SizeUnits::fio).status,
            KeyStatus::bad_value);
  EXPECT_EQ(apply_job_key(j, "random_distribution", "zoned:50/5", SizeUnits::fio).status,
            KeyStatus::unsupported);
}

void expect_invalid(const JobSpec& j, const std::string& fragment) {
  try {
    validate_job(j);
    ADD_FAILURE() << "expected an error containing '" << fragment << "'";
  } catch (const WorkloadError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Job, ValidationNamesTheProblem) {
  JobSpec j;
  j.bs_min_bytes = j.bs_max_bytes = 1000;
  expect_invalid(j, "bs must be");
  j = JobSpec{};
  j.iodepth = 0;
  expect_invalid(j, "iodepth");
  j = JobSpec{};
  j.numjobs = kNumjobsMax + 1;
  expect_invalid(j, "numjobs");
  j = JobSpec{};
  j.time_based = true;
  expect_invalid(j, "time_based");
  j = JobSpec{};
  j.random_distribution = {DistributionKind::pareto, kMicroUnit};
  expect_invalid(j, "pareto");
  j = JobSpec{};
  j.rwmixread = 101;
  expect_invalid(j, "rwmixread");
  j = JobSpec{};
  j.fsync_blocks = 1;
  j.fdatasync_blocks = 2;
  expect_invalid(j, "fsync or fdatasync");
}

TEST(Job, FromJsonAcceptsIosAliasAndIecSizes) {
  const auto doc = nlohmann::json::parse(
      R"({"rw": "randwrite", "bs": "64KiB", "iodepth": 32, "iodepth_batch_submit": 16,
          "ios": 1000, "time_based": false})");
  const JobSpec j = job_from_json(doc, "/workload");
  EXPECT_EQ(j.rw, RwMode::randwrite);
  EXPECT_EQ(j.bs_min_bytes, 65536u);
  EXPECT_EQ(j.iodepth, 32u);
  EXPECT_EQ(j.effective_batch(), 16u);
  EXPECT_EQ(j.number_ios, 1000u);
}

TEST(Job, FromJsonNamesTheBadKey) {
  const auto doc = nlohmann::json::parse(R"({"rw": "randwrite", "iodpeth": 4})");
  try {
    job_from_json(doc, "/workload");
    FAIL() << "expected an error";
  } catch (const WorkloadError& e) {
    EXPECT_NE(std::string(e.what()).find("/workload/iodpeth"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mdsim::workload
