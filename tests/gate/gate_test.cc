// The gate's comparison rules (model/run/gate.h) on hand-made rows: a doctored
// baseline must fail the gate, small moves and improvements must not.
#include "model/run/gate.h"

#include <gtest/gtest.h>

namespace mdsim::run {
namespace {

GateRow row(const std::string& file, double meta, double iops, uint64_t resync) {
  GateRow r;
  r.file = file;
  r.name = file;
  r.mode = "run";
  r.verdict = "pass";
  r.meta_writes_per_user_write = meta;
  r.iops_sim = iops;
  r.resync_sectors = resync;
  return r;
}

bool fails_on(const GateReport& rep, const std::string& metric) {
  for (const auto& m : rep.moves)
    if (m.metric == metric && m.fails) return true;
  return false;
}

TEST(Gate, IdenticalRunsPassWithNoMoves) {
  const std::vector<GateRow> rows = {row("a.json", 0.5, 1000, 64), row("b.json", 0.1, 2000, 0)};
  const GateReport rep = compare_gate(rows, rows);
  EXPECT_TRUE(rep.passed());
  EXPECT_TRUE(rep.moves.empty());
}

TEST(Gate, MetaRiseAboveTwoPercentFails) {
  const GateReport rep = compare_gate({row("a.json", 0.5, 1000, 64)}, {row("a.json", 0.5 * 1.021, 1000, 64)});
  EXPECT_FALSE(rep.passed());
  EXPECT_TRUE(fails_on(rep, "meta_writes_per_user_write"));
  EXPECT_NE(format_gate_table(rep).find("a.json"), std::string::npos);
}

TEST(Gate, MetaRiseWithinTwoPercentIsReportedButPasses) {
  const GateReport rep = compare_gate({row("a.json", 0.5, 1000, 64)}, {row("a.json", 0.5 * 1.019, 1000, 64)});
  EXPECT_TRUE(rep.passed());
  ASSERT_EQ(rep.moves.size(), 1u);
  EXPECT_EQ(rep.moves[0].metric, "meta_writes_per_user_write");
}

TEST(Gate, IopsFallAboveFivePercentFailsButARiseDoesNot) {
  EXPECT_TRUE(fails_on(compare_gate({row("a.json", 0.5, 1000, 64)}, {row("a.json", 0.5, 949, 64)}), "iops_sim"));
  EXPECT_TRUE(compare_gate({row("a.json", 0.5, 1000, 64)}, {row("a.json", 0.5, 951, 64)}).passed());
  EXPECT_TRUE(compare_gate({row("a.json", 0.5, 1000, 64)}, {row("a.json", 0.5, 5000, 64)}).passed());
}

TEST(Gate, ResyncRiseAboveFivePercentFails) {
  EXPECT_TRUE(
      fails_on(compare_gate({row("a.json", 0.5, 1000, 100)}, {row("a.json", 0.5, 1000, 106)}), "resync_sectors"));
  EXPECT_TRUE(compare_gate({row("a.json", 0.5, 1000, 100)}, {row("a.json", 0.5, 1000, 105)}).passed());
  EXPECT_TRUE(compare_gate({row("a.json", 0.5, 1000, 100)}, {row("a.json", 0.5, 1000, 10)}).passed());
  // Resync work where there was none is a regression.
  EXPECT_FALSE(compare_gate({row("a.json", 0.5, 1000, 0)}, {row("a.json", 0.5, 1000, 8)}).passed());
}

TEST(Gate, FailedPropertyFailsEvenWithEqualMetrics) {
  GateRow bad = row("a.json", 0.5, 1000, 64);
  bad.verdict = "fail";
  bad.failed_checks = {"durability"};
  const GateReport rep = compare_gate({row("a.json", 0.5, 1000, 64)}, {bad});
  EXPECT_FALSE(rep.passed());
  EXPECT_NE(format_gate_table(rep).find("durability"), std::string::npos);
}

TEST(Gate, MissingOrNewScenarioFails) {
  EXPECT_FALSE(compare_gate({row("a.json", 0.5, 1000, 64)}, {}).passed());
  EXPECT_FALSE(compare_gate({}, {row("a.json", 0.5, 1000, 64)}).passed());
}

TEST(Gate, BaselineJsonRoundTrips) {
  const std::vector<GateRow> rows = {row("a.json", 0.123456789, 1234.5, 64)};
  const std::vector<GateRow> back = rows_from_baseline(baseline_json(rows));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(compare_gate(back, rows).passed());
  EXPECT_TRUE(compare_gate(back, rows).moves.empty());
  EXPECT_THROW(rows_from_baseline(nlohmann::json::object()), std::runtime_error);
}

TEST(Gate, LatencyMovesArePrintedButNeverFail) {
  GateRow base = row("a.json", 0.5, 1000, 64);
  base.write_lat_ns_p99 = 20'000;
  base.write_lat_ns_p999 = 30'000;
  GateRow cur = base;
  cur.write_lat_ns_p99 = 40'000;   // doubled: printed, not gated
  cur.write_lat_ns_p999 = 30'000;  // unchanged: not printed
  const GateReport rep = compare_gate({base}, {cur});
  EXPECT_TRUE(rep.passed());
  ASSERT_EQ(rep.moves.size(), 1u);
  EXPECT_EQ(rep.moves[0].metric, "write_lat_ns_p99");
  EXPECT_NE(format_gate_table(rep).find("write_lat_ns_p99"), std::string::npos);
  EXPECT_NE(format_gate_table(rep).find("ok, not gated"), std::string::npos);
  // A baseline without latency (older format): nothing compared.
  EXPECT_TRUE(compare_gate({row("a.json", 0.5, 1000, 64)}, {cur}).moves.empty());
}

TEST(Gate, LatencyRoundTripsThroughTheBaseline) {
  GateRow r = row("a.json", 0.5, 1000, 64);
  r.write_lat_ns_p99 = 12'345;
  r.write_lat_ns_p999 = 23'456;
  const std::vector<GateRow> back = rows_from_baseline(baseline_json({r, row("b.json", 0.1, 10, 0)}));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].write_lat_ns_p99, 12'345);
  EXPECT_EQ(back[0].write_lat_ns_p999, 23'456);
  EXPECT_EQ(back[1].write_lat_ns_p99, -1);
}

}  // namespace
}  // namespace mdsim::run
