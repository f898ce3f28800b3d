#include "faults/oracle.h"

#include <gtest/gtest.h>

#include "sim/assert.h"

namespace mdsim::faults {
namespace {

const Sector kS{100};
const SectorCount kOne{1};

void write(Oracle& o, uint64_t id, uint64_t word) {
  uint64_t w[1] = {word};
  o.write_submitted(id, kS, kOne, w);
}

TEST(Oracle, NothingWrittenOnlyZeroAllowed) {
  Oracle o;
  EXPECT_TRUE(o.allowed(kS, 0));
  EXPECT_FALSE(o.allowed(kS, 7));
}

TEST(Oracle, UnflushedWriteMayOrMayNotSurvive) {
  Oracle o;
  write(o, 1, 11);
  o.write_completed(1, false);
  EXPECT_TRUE(o.allowed(kS, 0));
  EXPECT_TRUE(o.allowed(kS, 11));
  EXPECT_FALSE(o.has_durable(kS, nullptr));
}

TEST(Oracle, FlushMakesEarlierCompletedWritesDurable) {
  Oracle o;
  write(o, 1, 11);
  o.write_completed(1, false);
  o.flush_submitted(100);
  write(o, 2, 22);  // submitted after the flush: not covered by it
  o.write_completed(2, false);
  EXPECT_TRUE(o.allowed(kS, 0));  // flush not complete yet
  o.flush_completed(100);
  uint64_t w = 0;
  ASSERT_TRUE(o.has_durable(kS, &w));
  EXPECT_EQ(w, 11u);
  EXPECT_FALSE(o.allowed(kS, 0));
  EXPECT_TRUE(o.allowed(kS, 11));
  EXPECT_TRUE(o.allowed(kS, 22));
}

TEST(Oracle, DurableWriteSupersedesWritesCompletedBeforeIt) {
  Oracle o;
  write(o, 1, 11);
  o.write_completed(1, false);
  write(o, 2, 22);
  o.write_completed(2, true);  // FUA: durable at ack; 1 completed before 2 was submitted
  EXPECT_FALSE(o.allowed(kS, 11));
  EXPECT_TRUE(o.allowed(kS, 22));
  EXPECT_FALSE(o.allowed(kS, 0));
}

TEST(Oracle, ConcurrentWritesMayLandInEitherOrder) {
  Oracle o;
  write(o, 1, 11);
  write(o, 2, 22);            // overlaps 1 in flight
  o.write_completed(2, true);  // 2 durable, but 1 had not completed when 2 was submitted
  o.write_completed(1, false);
  EXPECT_TRUE(o.allowed(kS, 11));
  EXPECT_TRUE(o.allowed(kS, 22));
  EXPECT_FALSE(o.allowed(kS, 0));
  EXPECT_NE(o.describe(kS).find("durable"), std::string::npos);
}

TEST(Oracle, FlushDoesNotCoverWritesStillInFlight) {
  Oracle o;
  write(o, 1, 11);
  o.flush_submitted(5);
  o.flush_completed(5);
  EXPECT_TRUE(o.allowed(kS, 0));
  o.write_completed(1, false);
  EXPECT_TRUE(o.allowed(kS, 0));
  EXPECT_THROW(o.write_completed(1, false), sim::AssertionFailure);
}

}  // namespace
}  // namespace mdsim::faults

namespace mdsim::faults {
namespace {

TEST(OraclePowerLoss, WritesEndedByACrashNeverBecomeDurable) {
  Oracle o;
  uint64_t w1[1] = {11};
  o.write_submitted(1, Sector(5), SectorCount(1), w1);  // in flight at the crash
  o.power_loss();
  o.flush_submitted(7);
  o.flush_completed(7);
  EXPECT_FALSE(o.has_durable(Sector(5), nullptr));
  EXPECT_TRUE(o.allowed(Sector(5), 0));
  EXPECT_TRUE(o.allowed(Sector(5), 11));
  uint64_t w2[1] = {22};
  o.write_submitted(2, Sector(5), SectorCount(1), w2);
  o.write_completed(2, true);  // durable, submitted after the crash
  EXPECT_FALSE(o.allowed(Sector(5), 11));
  EXPECT_TRUE(o.allowed(Sector(5), 22));
}

}  // namespace
}  // namespace mdsim::faults
