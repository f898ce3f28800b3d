// JSON-lines trace and Chrome/Perfetto timeline from a synthetic trace.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "model/run/trace_writer.h"

namespace mdsim::run {
namespace {

using nlohmann::json;

constexpr sim::TraceKind kSubmit("disk.submit");
constexpr sim::TraceKind kComplete("disk.complete");
constexpr sim::TraceKind kResyncBegin("resync_begin");
constexpr sim::TraceKind kResyncEnd("resync_end");
constexpr sim::TraceKind kPowerLoss("power_loss");

sim::Trace sample() {
  sim::Trace t;
  t.set_recording(true);
  const uint32_t d0 = t.add_actor("disk0");
  const uint32_t md = t.add_actor("md0");
  t.record(sim::Instant::from_ns(1000), kSubmit, d0, 7, 2048, 8);
  t.record(sim::Instant::from_ns(1500), kSubmit, d0, 8, 4096, 8);
  t.record(sim::Instant::from_ns(3000), kComplete, d0, 7);
  t.record(sim::Instant::from_ns(4000), kPowerLoss, md);
  t.record(sim::Instant::from_ns(5000), kResyncBegin, md);
  t.record(sim::Instant::from_ns(9000), kResyncEnd, md);
  return t;
}

TEST(TraceJsonl, HeaderThenOneLinePerEvent) {
  const sim::Trace t = sample();
  std::stringstream ss;
  write_trace_jsonl(t, ss);
  std::string line;
  std::getline(ss, line);
  const json h = json::parse(line);
  EXPECT_EQ(h["format"], "mdsim-trace");
  EXPECT_EQ(h["trace_hash"], sim::hash_hex(t.hash()));
  EXPECT_EQ(h["events"], 6);
  int n = 0;
  while (std::getline(ss, line)) {
    const json e = json::parse(line);
    EXPECT_EQ(e["i"], n);
    if (n == 0) {
      EXPECT_EQ(e["kind"], "disk.submit");
      EXPECT_EQ(e["actor"], "disk0");
      EXPECT_EQ(e["t_ns"], 1000);
      EXPECT_EQ(e["args"][1], 2048);
    }
    ++n;
  }
  EXPECT_EQ(n, 6);
}

TEST(Timeline, SlicesPhasesAndInstants) {
  std::stringstream ss;
  write_timeline(sample(), ss);
  const json doc = json::parse(ss.str());
  int slices = 0, begins = 0, ends = 0, instants = 0, names = 0;
  bool saw_incomplete = false;
  for (const json& e : doc["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "X") {
      ++slices;
      EXPECT_EQ(e["name"], "disk");
      if (e["args"].contains("incomplete")) {
        saw_incomplete = true;  // request 8 never completed
        EXPECT_DOUBLE_EQ(e["ts"].get<double>(), 1.5);
      } else {
        EXPECT_DOUBLE_EQ(e["ts"].get<double>(), 1.0);
        EXPECT_DOUBLE_EQ(e["dur"].get<double>(), 2.0);
      }
    }
    begins += ph == "B";
    ends += ph == "E";
    if (ph == "i") {
      ++instants;
      EXPECT_EQ(e["name"], "power_loss");
    }
    names += ph == "M";
  }
  EXPECT_EQ(slices, 2);
  EXPECT_TRUE(saw_incomplete);
  EXPECT_EQ(begins, 1);
  EXPECT_EQ(ends, 1);
  EXPECT_EQ(instants, 1);
  EXPECT_EQ(names, 3);  // process + two actors
}

}  // namespace
}  // namespace mdsim::run
