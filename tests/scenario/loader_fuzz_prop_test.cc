// Mutation fuzzing of the scenario loader (RapidCheck; bounded case count so
// it fits a CI run): for any document obtained by mutating a valid scenario or
// its text, the loader returns a Scenario or throws ScenarioError - never any
// other exception, crash or hang. Run under MDSIM_SANITIZE=ON in CI for
// sanitizer coverage.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "model/scenario/loader.h"

namespace mdsim::scenario {
namespace {

using nlohmann::json;

const char* kSeedDoc = R"({
  "name": "fuzz", "seed": 3,
  "array": {"level": 1, "disks": 2, "size": "64MiB", "assume_clean": false,
            "intent": {"type": "bitmap", "chunk": "64KiB", "daemon_sleep_s": 5}},
  "disk": {"profile": "nvme", "write_cache": "volatile", "members": [{"index": 1, "slow_factor": 3}]},
  "workload": {"rw": "randwrite", "bs": "4KiB", "iodepth": 8, "iodepth_batch_submit": 2, "ios": 10},
  "faults": [{"type": "power_loss", "at_ns": 1000, "persist": "explicit", "keep": [[0, 2], [1]]},
             {"type": "fail_disk", "disk": 1, "at_ns": 5}, {"type": "readd_disk", "disk": 1, "at_ns": 9},
             {"type": "bad_block", "disk": 0, "sector": 8, "sectors": 8}],
  "ops": [{"op": "write", "sector": 0, "sectors": 8, "fua": true}, {"op": "advance", "ns": 10}, {"op": "flush"}],
  "after_crash": {"assemble": true, "resync": true},
  "checks": ["coverage", "durability"],
  "limits": {"events_max": 1000},
  "expect": {"verdict": "pass", "trace_hash": "0123456789abcdef"}
})";

// Values that tend to hit edges: wrong types, zero, huge, negative, near-miss strings.
json interesting_value(int pick, int64_t n, const std::string& s) {
  switch (pick % 12) {
    case 0: return nullptr;
    case 1: return n;
    case 2: return -n;
    case 3: return static_cast<double>(n) / 7.0;
    case 4: return s;
    case 5: return json::array({n, s});
    case 6: return json::object({{s, n}});
    case 7: return std::to_string(n) + "KiB";
    case 8: return UINT64_MAX;
    case 9: return INT64_MIN;
    case 10: return true;
    default: return "";
  }
}

// Every JSON pointer of a document (objects and arrays), in a stable order.
void pointers(const json& v, const std::string& at, std::vector<std::string>& out) {
  out.push_back(at);
  if (v.is_object())
    for (const auto& [k, x] : v.items()) pointers(x, at + "/" + k, out);
  if (v.is_array())
    for (size_t i = 0; i < v.size(); ++i) pointers(v[i], at + "/" + std::to_string(i), out);
}

bool loads_or_refuses(const json& doc) {
  try {
    (void)parse_scenario(doc, "fuzz.json");
  } catch (const ScenarioError&) {
  }
  return true;  // any other exception escapes and fails the property
}

// Each RapidCheck case tries kDocsPerCase documents, so the default 100 cases
// give 2000 mutated documents per property (bounded, about a second).
constexpr int kDocsPerCase = 20;

void structural_mutation_case() {
  json doc = json::parse(kSeedDoc);
  const int rounds = *rc::gen::inRange(1, 6);
  for (int r = 0; r < rounds; ++r) {
    std::vector<std::string> ptrs;
    pointers(doc, "", ptrs);
    const std::string p = ptrs[*rc::gen::inRange<size_t>(0, ptrs.size())];
    const json v = interesting_value(*rc::gen::inRange(0, 12), *rc::gen::inRange<int64_t>(0, 1 << 30),
                                     *rc::gen::element<std::string>("1", "randwrite", "llbitmap", "64KiB", "x",
                                                                    "power_loss", "write", "disk", "n3"));
    const json::json_pointer jp(p);
    const int action = *rc::gen::inRange(0, 3);
    if (action == 0 || p.empty()) {
      if (p.empty()) doc = v; else doc[jp] = v;  // replace
    } else if (action == 1) {
      json& parent = doc[jp.parent_pointer()];  // delete
      if (parent.is_object()) parent.erase(jp.back());
      else if (parent.is_array() && !parent.empty()) parent.erase(parent.size() - 1);
    } else if (doc[jp].is_object()) {
      doc[jp][*rc::gen::element<std::string>("chunk", "disk", "op", "type", "zz")] = v;  // add key
    }
  }
  RC_ASSERT(loads_or_refuses(doc));
}

RC_GTEST_PROP(LoaderFuzz, StructuralMutationsLoadOrRefuse, ()) {
  for (int i = 0; i < kDocsPerCase; ++i) structural_mutation_case();
}

void text_mutation_case() {
  std::string text = kSeedDoc;
  const int edits = *rc::gen::inRange(1, 8);
  for (int i = 0; i < edits; ++i) {
    const size_t pos = *rc::gen::inRange<size_t>(0, text.size());
    const int kind = *rc::gen::inRange(0, 3);
    const char c = *rc::gen::element('{', '}', '[', ']', '"', ',', ':', '0', '9', '-', 'e', '\\', '\0', 'x');
    if (kind == 0) text[pos] = c;
    else if (kind == 1) text.insert(pos, 1, c);
    else text.erase(pos, 1 + pos % 5);
  }
  try {
    (void)parse_scenario_text(text, "fuzz.json");
  } catch (const ScenarioError&) {
  }
}

RC_GTEST_PROP(LoaderFuzz, TextMutationsLoadOrRefuse, ()) {
  for (int i = 0; i < kDocsPerCase; ++i) text_mutation_case();
}

}  // namespace
}  // namespace mdsim::scenario
