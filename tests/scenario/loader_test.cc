// The loader on valid input: sizes, defaults, every section, derived values.
#include <gtest/gtest.h>

#include "model/scenario/loader.h"
#include "model/scenario/size.h"

namespace mdsim::scenario {
namespace {

using nlohmann::json;

TEST(IecSize, ParsesUnitsAndRefusesDecimalOnes) {
  EXPECT_EQ(parse_iec_size("4096").bytes, 4096u);
  EXPECT_EQ(parse_iec_size("512B").bytes, 512u);
  EXPECT_EQ(parse_iec_size("64KiB").bytes, 65536u);
  EXPECT_EQ(parse_iec_size("1GiB").bytes, 1ull << 30);
  EXPECT_EQ(parse_iec_size("2TiB").bytes, 2ull << 40);
  EXPECT_FALSE(parse_iec_size("64KB").ok);
  EXPECT_NE(parse_iec_size("64KB").error.find("IEC"), std::string::npos);
  EXPECT_FALSE(parse_iec_size("").ok);
  EXPECT_FALSE(parse_iec_size("KiB").ok);
  EXPECT_FALSE(parse_iec_size("1 KiB").ok);
  EXPECT_FALSE(parse_iec_size("-1").ok);
  EXPECT_FALSE(parse_iec_size("16384PiB").ok);  // 2^64: overflow
  EXPECT_TRUE(parse_iec_size("16383PiB").ok);
}

TEST(IecSize, FormatsExactly) {
  EXPECT_EQ(format_iec(65536), "64KiB");
  EXPECT_EQ(format_iec(1ull << 30), "1GiB");
  EXPECT_EQ(format_iec(1000), "1000B");
  EXPECT_EQ(format_iec(1536), "1536B");
  EXPECT_EQ(format_iec(3ull << 20), "3MiB");
}

TEST(Spelling, SuggestsCloseKeysOnly) {
  EXPECT_EQ(closest_spelling("iodpeth", {"rw", "iodepth", "bs"}), "iodepth");
  EXPECT_EQ(closest_spelling("wirte", {"read", "write"}), "write");
  EXPECT_EQ(closest_spelling("completely_else", {"rw", "iodepth"}), "");
}

json minimal() { return json::parse(R"({"array": {"level": 1, "disks": 2}, "workload": {}})"); }

TEST(Loader, DefaultsFromOnePlace) {
  const Scenario s = parse_scenario(minimal(), "dir/min.json");
  EXPECT_EQ(s.name, "min");
  EXPECT_EQ(s.seed, defaults::kSeed);
  EXPECT_EQ(s.array.size_bytes, defaults::kArraySizeBytes);
  EXPECT_EQ(s.array.intent.type, IntentType::bitmap);
  EXPECT_EQ(s.array.intent.chunk_bytes, defaults::kBitmapChunkBytesDefault);  // 1 GiB fits at 64 MiB
  EXPECT_EQ(s.disk.members.size(), 2u);
  EXPECT_EQ(s.disk.members[1].profile, defaults::kDiskProfile);
  ASSERT_TRUE(s.workload.has_value());
  EXPECT_EQ(s.workload->rw, defaults::kRw);
  EXPECT_EQ(s.workload->bs_bytes, defaults::kBsBytes);
  EXPECT_EQ(s.workload->size_bytes, s.array.capacity_bytes());
  EXPECT_EQ(s.checks.size(), 4u);
  EXPECT_TRUE(s.after_crash.assemble);
  EXPECT_FALSE(s.has_power_loss());
}

TEST(Loader, SeedOverrideReplacesDocumentSeed) {
  json d = minimal();
  d["seed"] = 5;
  const Scenario s = parse_scenario(d, "x.json", 99);
  EXPECT_EQ(s.seed, 99u);
  EXPECT_EQ(s.document["seed"], 99);
  EXPECT_EQ(parse_scenario(s.document, "again.json").seed, 99u);
}

TEST(Loader, CapacityFollowsLevel) {
  json d = minimal();
  d["array"] = {{"level", 5}, {"disks", 4}, {"size", "64MiB"}};
  EXPECT_EQ(parse_scenario(d, "x").array.capacity_bytes(), 3 * 64ull << 20);
  d["array"] = {{"level", 10}, {"disks", 4}, {"size", "64MiB"}};
  EXPECT_EQ(parse_scenario(d, "x").array.capacity_bytes(), 2 * 64ull << 20);
  d["array"] = {{"level", 10}, {"disks", 3}, {"size", "64MiB"}, {"layout", "n3"}};
  EXPECT_EQ(parse_scenario(d, "x").array.capacity_bytes(), 64ull << 20);
  d["array"] = {{"level", 1}, {"disks", 3}, {"size", "64MiB"}};
  EXPECT_EQ(parse_scenario(d, "x").array.capacity_bytes(), 64ull << 20);
  // Far / offset: member chunks / 2 first (raid10_size). 3 disks, 5 chunks of
  // 512 KiB each: 2 x 3 chunks (near-2 would give 7).
  for (const char* l : {"f2", "o2"}) {
    d["array"] = {{"level", 10}, {"disks", 3}, {"size", "2560KiB"}, {"layout", l}};
    const Scenario s = parse_scenario(d, "x");
    EXPECT_EQ(s.array.copies(), 2u);
    EXPECT_EQ(s.array.capacity_bytes(), 6ull * (512 << 10)) << l;
  }
  d["array"] = {{"level", 10}, {"disks", 3}, {"size", "2560KiB"}};
  EXPECT_EQ(parse_scenario(d, "x").array.capacity_bytes(), 7ull * (512 << 10));
}

TEST(Loader, BitmapSpaceRuleOfMdadm) {
  json d = minimal();
  // 1 GiB member, 4 KiB reserved: 256 + 2^30 / chunk / 8 <= 4096 holds for 64 KiB
  // chunks (2048 bytes of bits) and not for 32 KiB (4096 bytes of bits).
  d["array"]["intent"] = {{"type", "bitmap"}, {"chunk", "64KiB"}};
  EXPECT_NO_THROW((void)parse_scenario(d, "x"));
  d["array"]["intent"]["chunk"] = "32KiB";
  try {
    (void)parse_scenario(d, "x");
    ADD_FAILURE() << "32KiB chunks on 1GiB accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("Given bitmap chunk size not supported"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("expected a chunk >= 64KiB"), std::string::npos) << e.what();
  }
  // Above 8 GiB mdadm reserves 64 KiB: 16 GiB with 64 KiB chunks needs 256 + 32768 bytes: fits.
  d["array"]["size"] = "16GiB";
  d["array"]["intent"]["chunk"] = "64KiB";
  EXPECT_NO_THROW((void)parse_scenario(d, "x"));
  d["array"]["intent"]["chunk"] = "16KiB";
  EXPECT_THROW((void)parse_scenario(d, "x"), ScenarioError);
  // The automatic chunk grows to fit: 16 TiB at 64 MiB needs 256 + 32768 bytes: fits at 64 MiB.
  d["array"]["size"] = "16TiB";
  d["array"]["intent"].erase("chunk");
  EXPECT_EQ(parse_scenario(d, "x").array.intent.chunk_bytes, 64ull << 20);
}

TEST(Loader, FaultsOpsAndPersistChoices) {
  const Scenario s = parse_scenario_text(R"({
    "array": {"level": 1, "disks": 2, "size": "64MiB", "intent": {"type": "journal", "journal_entries": 16}},
    "faults": [{"type": "fail_disk", "disk": 1, "at_ns": 10}, {"type": "readd_disk", "disk": 1, "at_ns": 20},
               {"type": "slow_disk", "disk": 0, "factor": 4},
               {"type": "latency_spike", "disk": 0, "at_ns": 1, "duration_ns": 2, "extra_ns": 3}],
    "ops": [{"op": "write", "sector": 8, "sectors": 8, "fua": true}, {"op": "remove_disk", "disk": 0},
            {"op": "readd_disk", "disk": 0}, {"op": "power_loss", "persist": "explicit", "keep": [[0, 3], []]},
            {"op": "start_resync"}]
  })", "x.json");
  ASSERT_EQ(s.faults.size(), 4u);
  EXPECT_EQ(s.faults[2].type, FaultType::slow_disk);
  EXPECT_EQ(s.faults[2].factor, 4u);
  EXPECT_EQ(s.faults[3].extra_ns, 3);
  ASSERT_EQ(s.ops.size(), 5u);
  EXPECT_TRUE(s.ops[0].fua);
  EXPECT_EQ(s.ops[3].persist.mode, "explicit");
  EXPECT_EQ(s.ops[3].persist.keep[0], (std::vector<uint64_t>{0, 3}));
  EXPECT_TRUE(s.has_power_loss());
  EXPECT_FALSE(s.workload.has_value());
  EXPECT_EQ(s.array.intent.journal_entries, 16u);
}

TEST(Loader, MemberOverridesApplyToThatMemberOnly) {
  json d = minimal();
  d["disk"] = {{"profile", "sata_ssd"}, {"members", {{{"index", 1}, {"profile", "hdd"}, {"slow_factor", 3}}}}};
  const Scenario s = parse_scenario(d, "x");
  EXPECT_EQ(s.disk.members[0].profile, "sata_ssd");
  EXPECT_EQ(s.disk.members[1].profile, "hdd");
  EXPECT_EQ(s.disk.members[1].slow_factor, 3u);
  EXPECT_EQ(s.disk.members[0].slow_factor, 1u);
}

}  // namespace
}  // namespace mdsim::scenario
