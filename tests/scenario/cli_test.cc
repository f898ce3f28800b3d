// The command line contract (design.md §5): exit codes, --help per command,
// --json result names, --out files, usage errors, sweeps and replays. Runs the
// CLI in-process (run_cli) except where the binary itself matters.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "model/cli/cli.h"
#include "model/cli/progress.h"
#include "model/run/sweep.h"
#include "sim/latency_histogram.h"
#include "model/scenario/error.h"

namespace mdsim::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out, err;
};

Outcome cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run_cli(args, out, err, false);
  return {code, out.str(), err.str()};
}

std::string example(const std::string& name) {
  return std::string(MDSIM_SOURCE_DIR) + "/scenarios/examples/" + name + ".json";
}

fs::path temp_dir(const std::string& name) {
  // Per process: several worktrees run these tests at once on one machine.
  const fs::path d = fs::temp_directory_path() / ("mdsim_cli_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

TEST(Cli, VersionAndHelp) {
  EXPECT_EQ(cli({"--version"}).code, kExitOk);
  EXPECT_NE(cli({"--version"}).out.find("mdsim "), std::string::npos);
  EXPECT_EQ(cli({"--help"}).code, kExitOk);
  for (const char* c : {"run", "explore", "replay", "sweep"}) {
    const Outcome o = cli({c, "--help"});
    EXPECT_EQ(o.code, kExitOk) << c;
    EXPECT_NE(o.out.find(std::string("usage: mdsim ") + c), std::string::npos) << c;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(cli({}).code, kExitBadInput);
  const Outcome o = cli({"rn"});
  EXPECT_EQ(o.code, kExitBadInput);
  EXPECT_NE(o.err.find("did you mean \"run\""), std::string::npos);
  EXPECT_EQ(cli({"run"}).code, kExitBadInput);
  EXPECT_EQ(cli({"run", "a.json", "b.json"}).code, kExitBadInput);
  EXPECT_EQ(cli({"run", example("raid1-bitmap-randwrite"), "--seed", "-3"}).code, kExitBadInput);
  EXPECT_EQ(cli({"run", example("raid1-bitmap-randwrite"), "--seed", "99999999999999999999"}).code, kExitBadInput);
  EXPECT_EQ(cli({"run", example("raid1-bitmap-randwrite"), "--sed", "3"}).code, kExitBadInput);
  EXPECT_EQ(cli({"explore", example("raid1-bitmap-randwrite"), "--crash-points", "0"}).code, kExitBadInput);
  EXPECT_EQ(cli({"run", "/nonexistent.json"}).code, kExitBadInput);
}

TEST(Cli, NotImplementedExitsThree) {
  // raid5 runs; its left-asymmetric layout is valid input the engine does not model.
  const fs::path d = temp_dir("notimpl");
  fs::create_directories(d);
  json doc = json::parse(std::ifstream(example("raid5-bitmap-crash")));
  doc["array"]["layout"] = "left-asymmetric";
  doc.erase("expect");
  std::ofstream(d / "s.json") << doc.dump();
  const Outcome o = cli({"run", (d / "s.json").string()});
  EXPECT_EQ(o.code, kExitInternal);
  EXPECT_NE(o.err.find("not implemented: raid5 layout"), std::string::npos) << o.err;
  // A workload scenario is not expanded into the ops form for explore.
  const Outcome e = cli({"explore", example("raid1-bitmap-randwrite")});
  EXPECT_EQ(e.code, kExitInternal);
  EXPECT_NE(e.err.find("not implemented: explore of a \"workload\" scenario"), std::string::npos) << e.err;
  fs::remove_all(d);
}

TEST(Cli, Raid10FarAndOffsetLayoutsRunAndExplore) {
  // o2 / f2 (an addition to the contract's n2 / n3): a crash scenario and an
  // ops-form exploration pass on both.
  const fs::path d = temp_dir("far");
  fs::create_directories(d);
  for (const char* layout : {"f2", "o2"}) {
    json doc = json::parse(std::ifstream(example("raid10-bitmap-crash")));
    doc["array"]["layout"] = layout;
    doc.erase("expect");
    std::ofstream(d / "s.json") << doc.dump();
    const Outcome o = cli({"run", (d / "s.json").string()});
    EXPECT_EQ(o.code, kExitOk) << layout << ": " << o.err;
    json ops = json::parse(std::ifstream(example("raid10-llbitmap-ops-crash")));
    ops["array"]["layout"] = layout;
    ops.erase("expect");
    std::ofstream(d / "e.json") << ops.dump();
    const Outcome e = cli({"explore", (d / "e.json").string(), "--crash-points", "20"});
    EXPECT_EQ(e.code, kExitOk) << layout << ": " << e.err;
  }
  fs::remove_all(d);
}

TEST(Cli, RunDefaultPrintsTheSummaryAndPasses) {
  const Outcome o = cli({"run", "--default"});
  ASSERT_EQ(o.code, kExitOk) << o.err;
  EXPECT_NE(o.out.find("scenario default-raid1-bitmap-crash"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("member IO by class"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("intent"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("verdict: pass"), std::string::npos) << o.out;
  const json r = json::parse(cli({"run", "--default", "--json"}).out);
  EXPECT_EQ(r["verdict"], "pass");
  EXPECT_EQ(r["crash_points_checked"], 1);
  EXPECT_GT(r["user_writes"].get<uint64_t>(), 0u);
  EXPECT_GT(r["resync_sectors"].get<uint64_t>(), 0u);
  EXPECT_EQ(cli({"run", "--default", example("raid1-bitmap-randwrite")}).code, kExitBadInput);
}

TEST(Cli, MutantsAndHarnessCounterexampleReplay) {
  const Outcome h = cli({"mutants", "--help"});
  EXPECT_EQ(h.code, kExitOk);
  EXPECT_NE(h.out.find("usage: mdsim mutants"), std::string::npos) << h.out;
  // Bad campaign options are usage errors (exit 2) naming the option, before any mutant runs.
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"mutants", "--budget", "soon"}, {"mutants", "--cases", "-1"},
        {"mutants", "--only", "no_such_mutant"}, {"mutants", "--frob"}, {"mutants", "stray"},
        {"mutants", "--expect-survivors", "/nonexistent/survivors.txt"}}) {
    const Outcome o = cli(bad);
    EXPECT_EQ(o.code, kExitBadInput) << bad[1] << ": " << o.err;
    EXPECT_EQ(o.out, "") << bad[1];
  }
  const std::string f =
      std::string(MDSIM_SOURCE_DIR) + "/reports/mutant-counterexamples/mutant-data_before_unplug.json";
  const Outcome r = cli({"replay", f});
  EXPECT_EQ(r.code, kExitPropertyFailed) << r.err;
  EXPECT_NE(r.err.find("reproduced: property intent_before_data failed"), std::string::npos) << r.err;
}

TEST(Cli, JsonResultHasTheContractNames) {
  const Outcome o = cli({"run", example("raid1-bitmap-ops-explicit"), "--json"});
  ASSERT_EQ(o.code, kExitOk) << o.err;
  const json r = json::parse(o.out);
  for (const char* k : {"scenario", "seed", "trace_hash", "events", "sim_time_ns", "user_writes", "user_write_bytes",
                        "data_writes", "meta_writes", "meta_write_bytes", "flushes", "meta_writes_per_user_write",
                        "write_lat_ns_p50", "write_lat_ns_p99", "iops_sim", "crash_points_checked",
                        "inconsistent_chunks", "resync_sectors", "checks", "verdict"})
    EXPECT_TRUE(r.contains(k)) << k;
  EXPECT_EQ(r["verdict"], "pass");
  EXPECT_EQ(r["trace_hash"].get<std::string>().size(), 16u);
  EXPECT_EQ(r["crash_points_checked"], 1);
  EXPECT_EQ(r["checks"]["coverage"]["held"], true);
}

TEST(Cli, JsonResultHasTheLatencyPercentilesAndCdf) {
  const Outcome o = cli({"run", example("raid1-bitmap-randwrite"), "--json"});
  ASSERT_LE(o.code, kExitPropertyFailed) << o.err;
  const json r = json::parse(o.out);
  std::vector<int64_t> p;
  for (const char* k : {"write_lat_ns_p50", "write_lat_ns_p90", "write_lat_ns_p99", "write_lat_ns_p999",
                        "write_lat_ns_max"})
    p.push_back(r.at(k).get<int64_t>());
  EXPECT_GT(p.front(), 0);
  EXPECT_TRUE(std::is_sorted(p.begin(), p.end()));
  const json& cdf = r.at("write_lat_cdf");
  ASSERT_GE(cdf.size(), 2u);
  EXPECT_LE(cdf.size(), sim::LatencyHistogram::kCdfPointsMax);
  EXPECT_EQ(cdf.back()[0].get<int64_t>(), p.back());
  EXPECT_EQ(cdf.back()[1].get<double>(), 1.0);
  // p99.9 lies on the CDF: the first point at or above 0.999 is within 1/256 of it.
  for (const auto& pt : cdf)
    if (pt[1].get<double>() >= 0.999) {
      EXPECT_LE(std::abs(pt[0].get<int64_t>() - p[3]), p[3] / 256 + 1);
      break;
    }
  // The human summary prints the percentiles too.
  const Outcome h = cli({"run", example("raid1-bitmap-randwrite")});
  EXPECT_NE(h.out.find("p99.9 " + std::to_string(p[3]) + " ns"), std::string::npos) << h.out;
}

TEST(Cli, ExploreFailureNamesAReplayWithTheSameCrashPoints) {
  // A harness counterexample in the ops form: its mutant is caught by exploring it.
  const std::string f =
      std::string(MDSIM_SOURCE_DIR) + "/reports/mutant-counterexamples/mutant-bitmap_set_in_memory_only.json";
  const Outcome o = cli({"explore", f, "--crash-points", "50", "--quiet"});
  EXPECT_EQ(o.code, kExitPropertyFailed) << o.err;
  EXPECT_NE(o.err.find("replay: mdsim explore " + f + " --seed 1 --crash-points 50"), std::string::npos) << o.err;
}

TEST(Cli, SeedChangesTheTraceAndSameSeedRepeatsIt) {
  const std::string f = example("raid1-bitmap-power-loss-at-event");
  const json a = json::parse(cli({"run", f, "--json"}).out);
  const json b = json::parse(cli({"run", f, "--json"}).out);
  const json c = json::parse(cli({"run", f, "--json", "--seed", "43"}).out);
  EXPECT_EQ(a["trace_hash"], b["trace_hash"]);
  EXPECT_NE(a["trace_hash"], c["trace_hash"]);
  EXPECT_EQ(c["seed"], 43);
}

TEST(Cli, OutWritesThreeFilesWithTheSameHash) {
  const fs::path d = temp_dir("out");
  const Outcome o = cli({"run", example("raid1-bitmap-ops-explicit"), "--out", d.string(), "--json"});
  ASSERT_EQ(o.code, kExitOk) << o.err;
  const std::string hash = json::parse(o.out)["trace_hash"];
  std::ifstream result(d / "result.json"), trace(d / "trace.jsonl"), timeline(d / "timeline.json");
  ASSERT_TRUE(result && trace && timeline);
  EXPECT_EQ(json::parse(result)["trace_hash"], hash);
  std::string header;
  std::getline(trace, header);
  EXPECT_EQ(json::parse(header)["trace_hash"], hash);
  const json tl = json::parse(timeline);
  bool slice = false;
  for (const auto& e : tl["traceEvents"]) slice = slice || e["ph"] == "X";
  EXPECT_TRUE(slice) << "member IOs should appear as slices";
  for (const auto& e : fs::directory_iterator(d))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << "temporary file left: " << e.path();
  fs::remove_all(d);
}

TEST(Cli, OutIsAFileExitsTwo) {
  const fs::path d = temp_dir("file");
  fs::create_directories(d);
  std::ofstream(d / "f") << "x";
  EXPECT_EQ(cli({"run", example("raid1-bitmap-ops-explicit"), "--out", (d / "f").string()}).code, kExitBadInput);
  fs::remove_all(d);
}

TEST(Cli, ExpectedFailureExitsOneAndReplays) {
  const std::string f = example("raid1-none-no-resync-fails");
  const Outcome run = cli({"run", f});
  EXPECT_EQ(run.code, kExitPropertyFailed);
  EXPECT_NE(run.err.find("property convergence failed"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("seed 42"), std::string::npos);
  EXPECT_NE(run.err.find("replay: mdsim run"), std::string::npos);
  const Outcome replay = cli({"replay", f});
  EXPECT_EQ(replay.code, kExitPropertyFailed);
  EXPECT_NE(replay.err.find("reproduced ("), std::string::npos) << replay.err;
}

TEST(Cli, ReplayNeedsAnExpectSection) {
  const fs::path d = temp_dir("replay");
  fs::create_directories(d);
  std::ofstream(d / "c.json") << R"({"array": {"level": 1, "disks": 2, "size": "64MiB"}, "ops": [{"op": "flush"}]})";
  const Outcome o = cli({"replay", (d / "c.json").string()});
  EXPECT_EQ(o.code, kExitBadInput);
  EXPECT_NE(o.err.find("/expect"), std::string::npos);
  fs::remove_all(d);
}

TEST(Sweep, ExpandsTheGridInFileOrderAndRefusesBadPoints) {
  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({
    "base": {"array": {"level": 1, "disks": 2, "size": "64MiB", "intent": {"type": "bitmap"}},
             "workload": {"ios": 10}},
    "grid": {"/workload/iodepth": [1, 4], "/array/intent/chunk": ["64KiB", "1MiB", "4MiB"]}})");
  const run::Sweep s = run::parse_sweep(doc, "s.json", "");
  ASSERT_EQ(s.points.size(), 6u);
  EXPECT_EQ(s.points[0].scenario.workload->iodepth, 1u);
  EXPECT_EQ(s.points[1].scenario.array.intent.chunk_bytes, 1u << 20);
  EXPECT_EQ(s.points[3].scenario.workload->iodepth, 4u);
  EXPECT_EQ(s.points[5].scenario.array.intent.chunk_bytes, 4u << 20);
  nlohmann::ordered_json bad = doc;
  bad["grid"]["/array/intent/chunk"] = {"64KiB", "3000"};
  try {
    (void)run::parse_sweep(bad, "s.json", "");
    FAIL();
  } catch (const scenario::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("#point 1"), std::string::npos) << e.what();
    EXPECT_EQ(e.json_pointer(), "/array/intent/chunk");
  }
  bad = doc;
  bad["grid"] = {{"/nope/x", {1}}};
  EXPECT_THROW((void)run::parse_sweep(bad, "s.json", ""), scenario::ScenarioError);
}

TEST(Progress, RendersBarRateAndEta) {
  const std::string s = Progress::render("run x", 50, 100, 10.0, 10);
  EXPECT_NE(s.find("[#####.....]"), std::string::npos) << s;
  EXPECT_NE(s.find(" 50%"), std::string::npos) << s;
  EXPECT_NE(s.find("ETA 0:05"), std::string::npos) << s;
  EXPECT_FALSE(progress_wanted(false));
}

}  // namespace
}  // namespace mdsim::cli
