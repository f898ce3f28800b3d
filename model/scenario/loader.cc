// Top level of the scenario loader: documents, files, the array section.
#include "model/scenario/loader.h"

#include <fstream>
#include <sstream>

#include "model/md/mutants.h"
#include "model/scenario/loader_internal.h"
#include "model/scenario/size.h"

namespace mdsim::scenario {

using detail::is_pow2;

namespace detail {

static void parse_layout(const Node& n, ArrayConfig& a) {
  if (a.level == 1) {
    if (n.has("layout")) n.at("layout").fail("expected no layout for raid1 (mirrors have none)", false);
    if (n.has("chunk")) n.at("chunk").fail("expected no chunk for raid1 (mirrors have no stripe chunk)", false);
    return;
  }
  if (a.level == 10) a.layout = n.one_of_or("layout", {"n2", "n3", "o2", "f2"}, "n2");
  if (a.level == 5)
    a.layout = n.one_of_or("layout", {"left-symmetric", "left-asymmetric", "right-symmetric", "right-asymmetric"},
                           "left-symmetric");
  a.chunk_bytes = n.size_or("chunk", defaults::kRaidChunkBytes, 4 * defaults::kKiB, 1 * defaults::kGiB);
  if (!is_pow2(a.chunk_bytes)) n.at("chunk").fail("expected a power of two >= 4KiB");
}

static void check_disk_count(const Node& n, const ArrayConfig& a) {
  const uint32_t min = a.level == 5 ? 3 : (a.level == 10 ? a.copies() : 2);
  if (a.disks < min || a.disks > defaults::kDisksMax) {
    const std::string why = a.level == 10 ? " (copies " + std::to_string(a.copies()) + ")" : "";
    n.at("disks").fail("expected " + std::to_string(min) + ".." + std::to_string(defaults::kDisksMax) +
                       " disks for raid" + std::to_string(a.level) + why);
  }
}

// mdadm --create refuses an internal bitmap whose chunk makes the bitmap larger
// than the space it reserves (kernel-observations.md item 8; mdadm super1.c).
static uint64_t bitmap_bytes_needed(uint64_t member_bytes, uint64_t chunk_bytes) {
  const uint64_t bits = (member_bytes + chunk_bytes - 1) / chunk_bytes;
  return defaults::kBitmapSuperblockBytes + (bits + 7) / 8;
}

static uint64_t bitmap_space_bytes(uint64_t member_bytes) {
  return member_bytes > defaults::kBitmapSpaceLargeAboveBytes ? defaults::kBitmapSpaceLargeBytes
                                                              : defaults::kBitmapSpaceSmallBytes;
}

static void check_bitmap_space(const Node& intent, ArrayConfig& a) {
  const uint64_t space = bitmap_space_bytes(a.size_bytes);
  if (a.intent.chunk_bytes == defaults::kIntentChunkAuto) {
    uint64_t c = defaults::kBitmapChunkBytesDefault;  // mdadm: 64 MiB or larger to fit
    while (bitmap_bytes_needed(a.size_bytes, c) > space) c *= 2;
    a.intent.chunk_bytes = c;
    return;
  }
  const uint64_t need = bitmap_bytes_needed(a.size_bytes, a.intent.chunk_bytes);
  if (need <= space) return;
  uint64_t min_chunk = a.intent.chunk_bytes;
  while (bitmap_bytes_needed(a.size_bytes, min_chunk) > space) min_chunk *= 2;
  intent.at("chunk").fail("Given bitmap chunk size not supported: a " + format_iec(a.size_bytes) +
                          " member needs " + std::to_string(need) + " bytes of bitmap, mdadm reserves " +
                          std::to_string(space) + "; expected a chunk >= " + format_iec(min_chunk));
}

static IntentConfig parse_intent(const Node& n) {
  n.require_object(keys_of("intent"));
  IntentConfig c;
  const std::string type =
      n.required("type", "one of \"none\", \"bitmap\", \"llbitmap\", \"journal\", \"ours\"")
          .one_of({"none", "bitmap", "llbitmap", "journal", "ours"});
  c.type = type == "none" ? IntentType::none
         : type == "bitmap" ? IntentType::bitmap
         : type == "llbitmap" ? IntentType::llbitmap
         : type == "journal" ? IntentType::journal : IntentType::ours;
  if (c.type == IntentType::none) {
    for (const char* k : {"chunk", "daemon_sleep_s", "barrier_idle_s", "journal_entries"})
      if (n.has(k)) n.at(k).fail("expected no intent knobs with type \"none\"", false);
    return c;
  }
  c.chunk_bytes = n.size_or("chunk", defaults::kIntentChunkAuto, defaults::kIntentChunkBytesMin, 1ull << 40);
  if (n.has("chunk") && !is_pow2(c.chunk_bytes)) n.at("chunk").fail("expected a power of two >= 4KiB");
  c.daemon_sleep_s = static_cast<uint32_t>(n.u64_or("daemon_sleep_s", defaults::kDaemonSleepS, 1, 3600));
  if (n.has("barrier_idle_s") && c.type != IntentType::llbitmap)
    n.at("barrier_idle_s").fail("expected barrier_idle_s only with intent type \"llbitmap\"", false);
  c.barrier_idle_s = static_cast<uint32_t>(n.u64_or("barrier_idle_s", defaults::kBarrierIdleS, 1, 3600));
  if (n.has("journal_entries") && c.type != IntentType::journal && c.type != IntentType::ours)
    n.at("journal_entries").fail("expected journal_entries only with intent type \"journal\" or \"ours\"", false);
  c.journal_entries = static_cast<uint32_t>(n.u64_or("journal_entries", defaults::kJournalEntries, 1, 65536));
  return c;
}

ArrayConfig parse_array(const Node& n) {
  n.require_object(keys_of("array"));
  ArrayConfig a;
  const Node level = n.required("level", "1, 10 or 5");
  a.level = static_cast<int>(level.u64(0, 99));
  if (a.level != 1 && a.level != 10 && a.level != 5) level.fail("expected level 1, 10 or 5");
  parse_layout(n, a);
  a.disks = static_cast<uint32_t>(n.required("disks", "the number of member disks").u64(0, 1000));
  check_disk_count(n, a);
  a.size_bytes = n.size_or("size", defaults::kArraySizeBytes, defaults::kArraySizeBytesMin,
                           defaults::kArraySizeBytesMax);
  if (a.level != 1 && a.size_bytes % a.chunk_bytes != 0)
    n.at("size").fail("expected a multiple of the chunk (" + format_iec(a.chunk_bytes) + ")");
  a.assume_clean = n.boolean_or("assume_clean", defaults::kAssumeClean);
  a.safe_mode_delay_ms = static_cast<uint32_t>(n.u64_or("safe_mode_delay_ms", defaults::kSafeModeDelayMs, 1, 60000));
  if (n.has("intent")) {
    a.intent = parse_intent(n.at("intent"));
  } else {
    a.intent.type = IntentType::bitmap;  // default: classic internal bitmap, automatic chunk
  }
  if (a.intent.type == IntentType::bitmap) check_bitmap_space(n.has("intent") ? n.at("intent") : n, a);
  return a;
}

}  // namespace detail

static void check_power_loss_count(const Scenario& s, const Node& root) {
  int count = 0;
  for (const Fault& f : s.faults) count += f.type == FaultType::power_loss;
  for (const Op& o : s.ops) count += o.type == OpType::power_loss;
  if (count > 1) root.fail("expected at most one power_loss (faults and ops together), got " + std::to_string(count),
                           false);
}

Scenario parse_scenario(const nlohmann::json& doc, const std::string& source, std::optional<uint64_t> seed_override) {
  const Node root(doc, "", source);
  root.require_object(keys_of("scenario"));
  Scenario s;
  s.source = source;
  if (root.has("name")) s.name = root.at("name").string();
  if (s.name.empty()) {
    const size_t slash = source.find_last_of('/');
    s.name = source.substr(slash == std::string::npos ? 0 : slash + 1);
    if (s.name.size() > 5 && s.name.ends_with(".json")) s.name.resize(s.name.size() - 5);
  }
  if (root.has("description")) s.description = root.at("description").string();
  s.seed = root.u64_or("seed", defaults::kSeed, 0, UINT64_MAX);
  if (seed_override) s.seed = *seed_override;
  s.array = detail::parse_array(root.required("array", "an object with level and disks"));
  if (root.has("disk")) {
    const Node d = root.at("disk");
    s.disk = detail::parse_disk(&d, s.array);
  } else {
    s.disk = detail::parse_disk(nullptr, s.array);
  }
  if (!root.has("workload") && !root.has("ops")) root.fail("expected \"workload\" or \"ops\" (or both)", false);
  if (root.has("workload")) s.workload = detail::parse_workload(root.at("workload"), s.array, s.disk);
  if (root.has("faults")) s.faults = detail::parse_faults(root.at("faults"), s.array);
  if (root.has("ops")) s.ops = detail::parse_ops(root.at("ops"), s.array, s.disk);
  check_power_loss_count(s, root);
  if (root.has("after_crash")) s.after_crash = detail::parse_after_crash(root.at("after_crash"));
  s.checks = root.has("checks") ? detail::parse_checks(root.at("checks"))
                                : std::vector<std::string>{"coverage", "convergence", "durability", "intent_before_data"};
  if (root.has("limits")) s.limits = detail::parse_limits(root.at("limits"));
  if (root.has("expect")) s.expect = detail::parse_expect(root.at("expect"));
  if (root.has("mutants")) {
    const Node m = root.at("mutants");
    m.require_array();
    std::vector<std::string> names;
    for (md::Mutant x : md::all_mutants()) names.emplace_back(md::mutant_name(x));
    for (size_t i = 0; i < m.size(); ++i) s.mutants.push_back(m.at(i).one_of(names));
  }
  s.document = doc;
  if (seed_override) s.document["seed"] = *seed_override;
  return s;
}

nlohmann::json parse_json_text(const std::string& text, const std::string& source) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    const size_t p = what.find("parse error");
    throw ScenarioError(source, "", "expected valid JSON: " + (p == std::string::npos ? what : what.substr(p)));
  }
}

Scenario parse_scenario_text(const std::string& text, const std::string& source, std::optional<uint64_t> seed_override) {
  return parse_scenario(parse_json_text(text, source), source, seed_override);
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, "", "expected a readable file (cannot open it)");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ScenarioError(path, "", "expected a readable file (read error)");
  return parse_json_text(ss.str(), path);
}

Scenario load_scenario(const std::string& path, std::optional<uint64_t> seed_override) {
  return parse_scenario(read_json_file(path), path, seed_override);
}

}  // namespace mdsim::scenario
