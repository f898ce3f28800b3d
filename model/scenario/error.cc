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

// Edit distance counting a swap of two neighbours as one edit (optimal string
// alignment), so "wirte" is one edit from "write". Keys are short: full table.
static size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string closest_spelling(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return {};  // not a misspelling; keeps the table small
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
