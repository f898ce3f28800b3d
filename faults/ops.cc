#include "faults/ops.h"

#include <array>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mdsim::faults {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 14> kOpNames{
    "write",      "discard",     "flush",     "advance",   "wait",
    "power_loss", "fail_disk",   "remove_disk", "readd_disk", "bad_block",
    "slow_disk",  "start_resync", "daemon_tick", "write_error"};

[[noreturn]] void bad(const std::string& pointer, const std::string& what) {
  throw std::invalid_argument(pointer + ": " + what);
}

uint64_t get_u64(const json& j, const char* key, const std::string& pointer) {
  if (!j.contains(key)) bad(pointer + "/" + key, "missing (expected an integer)");
  const json& v = j.at(key);
  if (!v.is_number_integer() || (v.is_number_integer() && v.get<int64_t>() < 0 &&
                                 !v.is_number_unsigned()))
    bad(pointer + "/" + key, "expected a non-negative integer");
  return v.get<uint64_t>();
}

struct IntentName {
  md::IntentType type;
  const char* name;
};
constexpr std::array<IntentName, 5> kIntents{{{md::IntentType::none, "none"},
                                              {md::IntentType::bitmap, "bitmap"},
                                              {md::IntentType::llbitmap, "llbitmap"},
                                              {md::IntentType::journal, "journal"},
                                              {md::IntentType::ours, "ours"}}};

const char* intent_name(md::IntentType t) {
  for (const auto& i : kIntents)
    if (i.type == t) return i.name;
  return "none";
}

}  // namespace

std::string_view op_kind_name(OpKind k) { return kOpNames[static_cast<size_t>(k)]; }

std::optional<OpKind> op_kind_from_name(std::string_view name) {
  for (size_t i = 0; i < kOpNames.size(); ++i)
    if (kOpNames[i] == name) return static_cast<OpKind>(i);
  return std::nullopt;
}

json op_to_json(const Op& op) {
  json j;
  j["op"] = std::string(op_kind_name(op.kind));
  switch (op.kind) {
    case OpKind::write:
      j["sector"] = op.sector;
      j["sectors"] = op.sectors;
      if (op.batch) j["batch"] = true;
      if (op.fua) j["fua"] = true;
      if (op.preflush) j["preflush"] = true;
      break;
    case OpKind::discard:
      j["sector"] = op.sector;
      j["sectors"] = op.sectors;
      break;
    case OpKind::advance: j["ns"] = op.ns; break;
    case OpKind::wait:
      if (op.ns) j["ns"] = op.ns;
      break;
    case OpKind::power_loss: j["choice"] = op.choice; break;
    case OpKind::fail_disk:
    case OpKind::remove_disk:
    case OpKind::readd_disk: j["disk"] = op.disk; break;
    case OpKind::bad_block:
    case OpKind::write_error:
      j["disk"] = op.disk;
      j["sector"] = op.sector;
      j["sectors"] = op.sectors;
      break;
    case OpKind::slow_disk:
      j["disk"] = op.disk;
      j["factor"] = op.factor;
      break;
    case OpKind::flush:
    case OpKind::start_resync:
    case OpKind::daemon_tick: break;
  }
  return j;
}

std::string op_to_text(const Op& op) { return op_to_json(op).dump(); }

Op op_from_json(const json& j, const std::string& pointer) {
  if (!j.is_object()) bad(pointer, "expected an object with an \"op\" key");
  if (!j.contains("op") || !j.at("op").is_string()) bad(pointer + "/op", "expected a string");
  const auto kind = op_kind_from_name(j.at("op").get<std::string>());
  if (!kind) bad(pointer + "/op", "unknown op \"" + j.at("op").get<std::string>() + "\"");
  Op op;
  op.kind = *kind;
  switch (op.kind) {
    case OpKind::write:
    case OpKind::discard:
      op.sector = get_u64(j, "sector", pointer);
      op.sectors = get_u64(j, "sectors", pointer);
      if (op.sectors == 0) bad(pointer + "/sectors", "expected at least 1 sector");
      op.batch = j.value("batch", false);
      if (op.kind == OpKind::write) {
        op.fua = j.value("fua", false);
        op.preflush = j.value("preflush", false);
      }
      break;
    case OpKind::advance: op.ns = static_cast<int64_t>(get_u64(j, "ns", pointer)); break;
    case OpKind::wait:
      op.ns = j.contains("ns") ? static_cast<int64_t>(get_u64(j, "ns", pointer)) : 0;
      break;
    case OpKind::power_loss: op.choice = j.contains("choice") ? get_u64(j, "choice", pointer) : 0; break;
    case OpKind::fail_disk:
    case OpKind::remove_disk:
    case OpKind::readd_disk: op.disk = static_cast<int>(get_u64(j, "disk", pointer)); break;
    case OpKind::bad_block:
    case OpKind::write_error:
      op.disk = static_cast<int>(get_u64(j, "disk", pointer));
      op.sector = get_u64(j, "sector", pointer);
      op.sectors = get_u64(j, "sectors", pointer);
      break;
    case OpKind::slow_disk:
      op.disk = static_cast<int>(get_u64(j, "disk", pointer));
      op.factor = static_cast<uint32_t>(get_u64(j, "factor", pointer));
      break;
    case OpKind::flush:
    case OpKind::start_resync:
    case OpKind::daemon_tick: break;
  }
  return op;
}

uint64_t parse_size_bytes(const json& v, const std::string& pointer) {
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0))
    return v.get<uint64_t>();
  if (!v.is_string()) bad(pointer, "expected bytes as an integer or a string like \"64KiB\"");
  const std::string s = v.get<std::string>();
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 0) bad(pointer, "expected a number, got \"" + s + "\"");
  const uint64_t n = std::stoull(s.substr(0, digits));
  const std::string unit = s.substr(digits);
  static constexpr std::array<std::pair<std::string_view, int>, 6> kUnits{
      {{"", 0}, {"B", 0}, {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}}};
  for (const auto& [name, shift] : kUnits)
    if (unit == name) return n << shift;
  bad(pointer, "unknown unit \"" + unit + "\" (use B, KiB, MiB, GiB, TiB)");
}

namespace {

// The layouts the engine models (model/md/raid_geometry.h), by md's name.
struct LayoutName {
  int level;
  const char* name;
  uint32_t code;
};
constexpr LayoutName kLayouts[] = {
    {10, "n2", 0x102}, {10, "n3", 0x103}, {10, "o2", 0x10201}, {10, "f2", 0x201}, {5, "left-symmetric", 2}};

std::string layout_name(int level, uint32_t code) {
  for (const LayoutName& l : kLayouts)
    if (l.level == level && l.code == code) return l.name;
  return std::to_string(code);
}

uint32_t layout_from_json(const json& a, int level) {
  if (!a.contains("layout")) return 0;
  const std::string name = a.at("layout").get<std::string>();
  for (const LayoutName& l : kLayouts)
    if (l.level == level && name == l.name) return l.code;
  bad("/array/layout", "layout \"" + name + "\" is not modelled for raid" + std::to_string(level));
}

}  // namespace

json scenario_to_json(const OpsScenario& s) {
  const OpsSetup& u = s.setup;
  json intent{{"type", intent_name(u.intent.type)}};
  if (u.intent.chunk_bytes) intent["chunk"] = u.intent.chunk_bytes;
  if (u.intent.daemon_sleep_s >= 0) intent["daemon_sleep_s"] = u.intent.daemon_sleep_s;
  if (u.intent.barrier_idle_s >= 0) intent["barrier_idle_s"] = u.intent.barrier_idle_s;
  json j{{"name", u.name},
         {"seed", u.seed},
         {"array", {{"level", u.level}, {"disks", u.disks}, {"size", u.size_bytes},
                    {"assume_clean", u.assume_clean}, {"intent", intent}}},
         {"disk", {{"profile", u.disk_profile},
                   {"write_cache", u.write_cache_volatile ? "volatile" : "write_through"}}}};
  if (u.raid_chunk_sectors) j["array"]["chunk"] = u.raid_chunk_sectors * 512;
  if (u.raid_layout) j["array"]["layout"] = layout_name(u.level, u.raid_layout);
  json ops = json::array();
  for (const Op& op : s.ops) ops.push_back(op_to_json(op));
  j["ops"] = std::move(ops);
  j["checks"] = u.checks;
  if (!u.mutants.empty()) {
    json m = json::array();
    for (md::Mutant x : md::all_mutants())
      if (u.mutants.on(x)) m.push_back(std::string(md::mutant_name(x)));
    j["mutants"] = std::move(m);
  }
  return j;
}

namespace {

void intent_from_json(const json& a, OpsSetup& u) {
  if (!a.contains("intent")) return;
  const json& in = a.at("intent");
  const std::string type = in.value("type", "bitmap");
  bool found = false;
  for (const auto& i : kIntents)
    if (type == i.name) {
      u.intent.type = i.type;
      found = true;
    }
  if (!found) bad("/array/intent/type", "unknown intent type \"" + type + "\"");
  if (in.contains("chunk")) u.intent.chunk_bytes = parse_size_bytes(in.at("chunk"), "/array/intent/chunk");
  u.intent.daemon_sleep_s = in.value("daemon_sleep_s", int64_t{-1});
  u.intent.barrier_idle_s = in.value("barrier_idle_s", int64_t{-1});
}

}  // namespace

OpsScenario scenario_from_json(const json& j) {
  if (!j.is_object()) bad("", "expected a scenario object");
  OpsScenario s;
  OpsSetup& u = s.setup;
  u.name = j.value("name", "ops");
  if (j.contains("seed")) u.seed = get_u64(j, "seed", "");
  if (j.contains("array")) {
    const json& a = j.at("array");
    u.level = a.value("level", 1);
    u.disks = a.value("disks", 2);
    if (a.contains("size")) u.size_bytes = parse_size_bytes(a.at("size"), "/array/size");
    u.assume_clean = a.value("assume_clean", true);
    if (u.level != 1 && a.contains("chunk"))
      u.raid_chunk_sectors = parse_size_bytes(a.at("chunk"), "/array/chunk") / 512;
    if (u.level != 1) u.raid_layout = layout_from_json(a, u.level);
    intent_from_json(a, u);
  }
  if (j.contains("disk")) {
    const json& d = j.at("disk");
    u.disk_profile = d.value("profile", "nvme");
    u.write_cache_volatile = d.value("write_cache", "volatile") == "volatile";
  }
  if (j.contains("checks")) u.checks = j.at("checks").get<std::vector<std::string>>();
  if (j.contains("mutants"))
    for (size_t i = 0; i < j.at("mutants").size(); ++i) {
      const auto m = md::mutant_from_name(j.at("mutants")[i].get<std::string>());
      if (!m) bad("/mutants/" + std::to_string(i), "unknown mutant");
      u.mutants.set(*m);
    }
  if (!j.contains("ops") || !j.at("ops").is_array()) bad("/ops", "expected an array of ops");
  const json& ops = j.at("ops");
  for (size_t i = 0; i < ops.size(); ++i)
    s.ops.push_back(op_from_json(ops[i], "/ops/" + std::to_string(i)));
  return s;
}

}  // namespace mdsim::faults
