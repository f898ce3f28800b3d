#include "model/scenario/error.h"

#include <algorithm>

namespace mdsim::scenario {

static std::string format_message(const std::string& file, const std::string& pointer,
                                  const std::string& expected, const std::string& got,
                                  const std::string& suggestion) {
  std::string m = file + ": " + (pointer.empty() ? std::string("(root)") : pointer) + ": " + expected;
  if (!got.empty()) m += ", got " + got;
  if (!suggestion.empty()) m += " (did you mean \"" + suggestion + "\"?)";
  return m;
}

ScenarioError::ScenarioError(std::string file, std::string json_pointer, std::string expected,
                             std::string got, std::string suggestion)
    : std::runtime_error(format_message(file, json_pointer, expected, got, suggestion)),
      file_(std::move(file)),
      pointer_(std::move(json_pointer)),
      expected_(std::move(expected)),
      got_(std::move(got)),
      suggestion_(std::move(suggestion)) {}

// Levenshtein distance with a two-row table (keys are short).
static size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_spelling(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {  // first of equal distances wins: stable
    const size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const size_t limit = std::max<size_t>(1, std::max(word.size(), best.size()) / 3);
  if (best.empty() || best_d > limit) return {};
  return best;
}

}  // namespace mdsim::scenario
