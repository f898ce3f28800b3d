// Malformed scenarios: each case must be refused with exit code 2, a message
// naming the JSON pointer of the offending value, and nothing written.
// Each case is checked in-process (ScenarioError::json_pointer) and through the
// built binary (`mdsim run FILE --out DIR`).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "model/cli/cli.h"
#include "model/scenario/loader.h"

namespace mdsim::scenario {
namespace {

using nlohmann::json;

json base_doc() {
  return json::parse(R"({
    "name": "base", "seed": 7,
    "array": {"level": 1, "disks": 2, "size": "1GiB",
              "intent": {"type": "llbitmap", "chunk": "64KiB", "daemon_sleep_s": 30, "barrier_idle_s": 5}},
    "disk": {"profile": "nvme", "write_cache": "volatile"},
    "workload": {"rw": "randwrite", "bs": "4KiB", "iodepth": 32, "iodepth_batch_submit": 1, "ios": 100},
    "faults": [{"type": "power_loss", "at_ns": 1000000}],
    "after_crash": {"assemble": true, "resync": true},
    "checks": ["coverage", "convergence"]
  })");
}

struct Case {
  const char* name;
  std::function<void(json&)> mutate;
  const char* pointer;      // expected JSON pointer ("" = root)
  const char* mention = "";  // optional extra text the message must contain
};

json& at(json& d, const char* p) { return d[json::json_pointer(p)]; }

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"unknown_top_key", [](json& d) { d["workloda"] = 1; }, "/workloda", "did you mean \"workload\""},
      {"misspelt_iodepth", [](json& d) { at(d, "/workload").erase("iodepth"); at(d, "/workload/iodpeth") = 3; },
       "/workload/iodpeth", "did you mean \"iodepth\""},
      {"misspelt_intent_key", [](json& d) { at(d, "/array/intent/chunck") = "64KiB"; }, "/array/intent/chunck", "chunk"},
      {"root_not_object", [](json& d) { d = json::array(); }, ""},
      {"missing_array", [](json& d) { d.erase("array"); }, "/array", "missing"},
      {"no_workload_no_ops", [](json& d) { d.erase("workload"); }, "", "\"ops\""},
      {"level_wrong_type", [](json& d) { at(d, "/array/level") = "one"; }, "/array/level"},
      {"level_unsupported", [](json& d) { at(d, "/array/level") = 6; }, "/array/level", "1, 10 or 5"},
      {"raid1_one_disk", [](json& d) { at(d, "/array/disks") = 1; }, "/array/disks", "raid1"},
      {"raid5_two_disks", [](json& d) { at(d, "/array/level") = 5; at(d, "/array/disks") = 2; }, "/array/disks", "raid5"},
      {"raid10_n3_two_disks",
       [](json& d) { at(d, "/array/level") = 10; at(d, "/array/layout") = "n3"; }, "/array/disks", "copies 3"},
      {"too_many_disks", [](json& d) { at(d, "/array/disks") = 33; }, "/array/disks"},
      {"disks_negative", [](json& d) { at(d, "/array/disks") = -2; }, "/array/disks"},
      {"disks_float", [](json& d) { at(d, "/array/disks") = 2.5; }, "/array/disks", "integer"},
      {"size_bad_unit", [](json& d) { at(d, "/array/size") = "1GB"; }, "/array/size", "IEC"},
      {"size_garbage", [](json& d) { at(d, "/array/size") = "lots"; }, "/array/size"},
      {"size_not_sector_multiple", [](json& d) { at(d, "/array/size") = 1048577; }, "/array/size", "512"},
      {"size_too_small", [](json& d) { at(d, "/array/size") = "4KiB"; }, "/array/size"},
      {"size_overflow", [](json& d) { at(d, "/array/size") = "99999999999999999999PiB"; }, "/array/size", "64 bits"},
      {"raid1_with_layout", [](json& d) { at(d, "/array/layout") = "n2"; }, "/array/layout"},
      {"raid1_with_chunk", [](json& d) { at(d, "/array/chunk") = "64KiB"; }, "/array/chunk"},
      {"raid5_chunk_not_pow2",
       [](json& d) { at(d, "/array/level") = 5; at(d, "/array/disks") = 3; at(d, "/array/chunk") = "96KiB"; },
       "/array/chunk", "power of two"},
      {"raid10_bad_layout", [](json& d) { at(d, "/array/level") = 10; at(d, "/array/layout") = "f3"; }, "/array/layout"},
      {"raid5_size_not_chunk_multiple",
       [](json& d) { at(d, "/array/level") = 5; at(d, "/array/disks") = 3; at(d, "/array/size") = "1100KiB"; },
       "/array/size", "multiple of the chunk"},
      {"intent_chunk_not_pow2", [](json& d) { at(d, "/array/intent/chunk") = 3000; }, "/array/intent/chunk"},
      {"intent_chunk_not_pow2_big", [](json& d) { at(d, "/array/intent/chunk") = "96KiB"; }, "/array/intent/chunk",
       "power of two"},
      {"intent_unknown_type", [](json& d) { at(d, "/array/intent/type") = "llbitmp"; }, "/array/intent/type",
       "did you mean \"llbitmap\""},
      {"intent_missing_type", [](json& d) { at(d, "/array/intent").erase("type"); }, "/array/intent/type", "missing"},
      {"barrier_idle_with_bitmap", [](json& d) { at(d, "/array/intent/type") = "bitmap"; at(d, "/array/intent/chunk") = "1MiB"; },
       "/array/intent/barrier_idle_s", "llbitmap"},
      {"none_with_knobs", [](json& d) { at(d, "/array/intent") = {{"type", "none"}, {"chunk", "64KiB"}}; },
       "/array/intent/chunk"},
      {"bitmap_chunk_unsupported",
       [](json& d) { at(d, "/array/intent") = {{"type", "bitmap"}, {"chunk", "4KiB"}}; }, "/array/intent/chunk",
       "Given bitmap chunk size not supported"},
      {"journal_entries_with_llbitmap", [](json& d) { at(d, "/array/intent/journal_entries") = 8; },
       "/array/intent/journal_entries"},
      {"daemon_sleep_zero", [](json& d) { at(d, "/array/intent/daemon_sleep_s") = 0; }, "/array/intent/daemon_sleep_s"},
      {"assume_clean_string", [](json& d) { at(d, "/array/assume_clean") = "yes"; }, "/array/assume_clean",
       "true or false"},
      {"disk_profile_unknown", [](json& d) { at(d, "/disk/profile") = "nvmee"; }, "/disk/profile", "did you mean \"nvme\""},
      {"disk_cache_mode", [](json& d) { at(d, "/disk/write_cache") = "writeback"; }, "/disk/write_cache"},
      {"disk_logical_block", [](json& d) { at(d, "/disk/logical_block") = 1024; }, "/disk/logical_block"},
      {"member_missing_disk", [](json& d) { at(d, "/disk/members") = json::array({{{"index", 2}}}); },
       "/disk/members/0/index", "< array.disks"},
      {"member_duplicate",
       [](json& d) { at(d, "/disk/members") = json::array({{{"index", 1}}, {{"index", 1}}}); }, "/disk/members/1/index"},
      {"member_unknown_key", [](json& d) { at(d, "/disk/members") = json::array({{{"index", 0}, {"slow", 2}}}); },
       "/disk/members/0/slow"},
      {"workload_rw_unknown", [](json& d) { at(d, "/workload/rw") = "randwirte"; }, "/workload/rw",
       "did you mean \"randwrite\""},
      {"workload_bs_unaligned", [](json& d) { at(d, "/workload/bs") = 1000; }, "/workload/bs"},
      {"workload_batch_gt_depth", [](json& d) { at(d, "/workload/iodepth_batch_submit") = 64; },
       "/workload/iodepth_batch_submit", "<= iodepth"},
      {"workload_iodepth_zero", [](json& d) { at(d, "/workload/iodepth") = 0; }, "/workload/iodepth"},
      {"workload_rwmix_with_randwrite", [](json& d) { at(d, "/workload/rwmixwrite") = 70; }, "/workload/rwmixwrite"},
      {"workload_region_too_big", [](json& d) { at(d, "/workload/size") = "2GiB"; }, "/workload/size", "capacity"},
      {"workload_offset_beyond", [](json& d) { at(d, "/workload/offset") = "1GiB"; }, "/workload/offset"},
      {"workload_ios_null", [](json& d) { at(d, "/workload/ios") = nullptr; }, "/workload/ios", "null"},
      {"faults_not_array", [](json& d) { d["faults"] = json::object(); }, "/faults", "array"},
      {"fault_unknown_type", [](json& d) { at(d, "/faults/0/type") = "powerloss"; }, "/faults/0/type",
       "did you mean \"power_loss\""},
      {"power_loss_both_times", [](json& d) { at(d, "/faults/0/at_event") = 10; }, "/faults/0", "exactly one"},
      {"power_loss_no_time", [](json& d) { at(d, "/faults/0").erase("at_ns"); }, "/faults/0", "exactly one"},
      {"power_loss_twice",
       [](json& d) { d["faults"].push_back({{"type", "power_loss"}, {"at_ns", 5}}); }, "", "at most one power_loss"},
      {"power_loss_persist_unknown", [](json& d) { at(d, "/faults/0/persist") = "some"; }, "/faults/0/persist"},
      {"power_loss_keep_without_explicit", [](json& d) { at(d, "/faults/0/keep") = json::array({json::array(), json::array()}); },
       "/faults/0/keep"},
      {"fault_on_missing_disk",
       [](json& d) { d["faults"].push_back({{"type", "fail_disk"}, {"disk", 2}, {"at_ns", 5}}); }, "/faults/1/disk",
       "no such disk"},
      {"bad_block_beyond_member",
       [](json& d) { d["faults"].push_back({{"type", "bad_block"}, {"disk", 0}, {"sector", 2097150}, {"sectors", 8}}); },
       "/faults/1/sectors"},
      {"bad_block_zero_sectors",
       [](json& d) { d["faults"].push_back({{"type", "bad_block"}, {"disk", 0}, {"sector", 0}, {"sectors", 0}}); },
       "/faults/1/sectors"},
      {"fault_key_of_other_type",
       [](json& d) { d["faults"].push_back({{"type", "fail_disk"}, {"disk", 0}, {"at_ns", 1}, {"factor", 2}}); },
       "/faults/1/factor"},
      {"readd_without_fail",
       [](json& d) { d["faults"].push_back({{"type", "readd_disk"}, {"disk", 1}, {"at_ns", 5}}); }, "/faults/1",
       "fail_disk or remove_disk"},
      {"slow_factor_one",
       [](json& d) { d["faults"].push_back({{"type", "slow_disk"}, {"disk", 1}, {"factor", 1}}); }, "/faults/1/factor"},
      {"latency_spike_missing_extra",
       [](json& d) { d["faults"].push_back({{"type", "latency_spike"}, {"disk", 1}, {"at_ns", 1}, {"duration_ns", 5}}); },
       "/faults/1/extra_ns", "missing"},
      {"op_unknown", [](json& d) { d["ops"] = json::array({{{"op", "wirte"}}}); }, "/ops/0/op", "did you mean \"write\""},
      {"op_write_past_end",
       [](json& d) { d["ops"] = json::array({{{"op", "write"}, {"sector", 2097144}, {"sectors", 16}}}); },
       "/ops/0/sectors", "array size"},
      {"op_write_missing_sector", [](json& d) { d["ops"] = json::array({{{"op", "write"}, {"sectors", 8}}}); },
       "/ops/0/sector", "missing"},
      {"op_flush_with_args", [](json& d) { d["ops"] = json::array({{{"op", "flush"}, {"sector", 0}}}); }, "/ops/0/sector"},
      {"op_readd_first", [](json& d) { d["ops"] = json::array({{{"op", "readd_disk"}, {"disk", 0}}}); }, "/ops/0/disk"},
      {"op_advance_negative", [](json& d) { d["ops"] = json::array({{{"op", "advance"}, {"ns", -1}}}); }, "/ops/0/ns"},
      {"op_not_object", [](json& d) { d["ops"] = json::array({"write"}); }, "/ops/0"},
      {"op_power_loss_plus_fault", [](json& d) { d["ops"] = json::array({{{"op", "power_loss"}}}); }, "",
       "at most one power_loss"},
      {"check_unknown", [](json& d) { at(d, "/checks/0") = "coverge"; }, "/checks/0", "did you mean \"coverage\""},
      {"check_duplicate", [](json& d) { d["checks"].push_back("coverage"); }, "/checks/2", "at most once"},
      {"after_crash_resync_without_assemble", [](json& d) { at(d, "/after_crash/assemble") = false; },
       "/after_crash/resync"},
      {"seed_negative", [](json& d) { d["seed"] = -1; }, "/seed"},
      {"seed_string", [](json& d) { d["seed"] = "42"; }, "/seed"},
      {"name_number", [](json& d) { d["name"] = 5; }, "/name", "string"},
      {"expect_verdict", [](json& d) { d["expect"] = {{"verdict", "ok"}}; }, "/expect/verdict"},
      {"expect_hash", [](json& d) { d["expect"] = {{"verdict", "pass"}, {"trace_hash", "XYZ"}}; }, "/expect/trace_hash"},
      {"expect_failed_with_pass",
       [](json& d) { d["expect"] = {{"verdict", "pass"}, {"failed_checks", {"coverage"}}}; }, "/expect/failed_checks"},
      {"limits_zero", [](json& d) { d["limits"] = {{"events_max", 0}}; }, "/limits/events_max"},
      {"key_with_slash", [](json& d) { at(d, "/workload")["a/b"] = 1; }, "/workload/a~1b"},
  };
  return c;
}

std::string message_of(const json& doc, std::string& pointer) {
  try {
    (void)parse_scenario(doc, "case.json");
  } catch (const ScenarioError& e) {
    pointer = e.json_pointer();
    return e.what();
  }
  return "<accepted>";
}

TEST(Malformed, BaseDocumentIsValid) { EXPECT_NO_THROW((void)parse_scenario(base_doc(), "base.json")); }

TEST(Malformed, AtLeastFortyCases) { EXPECT_GE(cases().size(), 40u); }

TEST(Malformed, EachCaseNamesItsPointerInProcess) {
  for (const Case& c : cases()) {
    json d = base_doc();
    c.mutate(d);
    std::string pointer = "<none>";
    const std::string msg = message_of(d, pointer);
    EXPECT_EQ(pointer, c.pointer) << c.name << ": " << msg;
    EXPECT_NE(msg.find(std::string("case.json: ") + (*c.pointer ? c.pointer : "(root)") + ":"), std::string::npos)
        << c.name << ": " << msg;
    EXPECT_NE(msg.find(c.mention), std::string::npos) << c.name << ": " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << c.name << ": message must be one line";
  }
}

TEST(Malformed, EachCaseExitsTwoFromTheCommandLineAndWritesNothing) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                          ("mdsim_malformed_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const Case& c : cases()) {
    json d = base_doc();
    c.mutate(d);
    const std::filesystem::path file = dir / (std::string(c.name) + ".json");
    std::ofstream(file) << d.dump(2);
    const std::filesystem::path out = dir / (std::string(c.name) + ".out");
    const std::filesystem::path err = dir / (std::string(c.name) + ".err");
    const std::string cmd = std::string(MDSIM_CLI_PATH) + " run " + file.string() + " --out " + out.string() +
                            " > /dev/null 2> " + err.string();
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << c.name;
    EXPECT_EQ(WEXITSTATUS(status), 2) << c.name;
    std::ifstream in(err);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string needle = std::string(": ") + (*c.pointer ? c.pointer : "(root)") + ":";
    EXPECT_NE(ss.str().find(needle), std::string::npos) << c.name << ": " << ss.str();
    EXPECT_FALSE(std::filesystem::exists(out)) << c.name << ": wrote output despite bad input";
  }
  std::filesystem::remove_all(dir);
}

TEST(Malformed, SyntaxErrorIsAtTheRoot) {
  try {
    (void)parse_scenario_text("{\"array\": ", "broken.json");
    FAIL() << "accepted broken JSON";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.json_pointer(), "");
    EXPECT_NE(std::string(e.what()).find("broken.json: (root): expected valid JSON"), std::string::npos) << e.what();
  }
}

TEST(Malformed, UnreadableFile) {
  try {
    (void)load_scenario("/nonexistent/dir/x.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/x.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace mdsim::scenario
