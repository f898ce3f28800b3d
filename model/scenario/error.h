// The one error a scenario, sweep or counterexample file can produce.
//
// what() is one line that names the file, the JSON pointer of the offending
// value, what was expected, what was found, and (for a misspelt key or enum
// value) the closest valid spelling:
//   scenarios/x.json: /array/intent/chunk: expected a power of two >= 4KiB, got 3000
//   scenarios/x.json: /workload/iodpeth: unknown key (did you mean "iodepth"?)
// The CLI prints it and exits with code 2; nothing is written.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace mdsim::scenario {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, std::string json_pointer, std::string expected,
                std::string got = {}, std::string suggestion = {});
  const std::string& file() const { return file_; }
  // "" is the document root (printed as "(root)").
  const std::string& json_pointer() const { return pointer_; }
  const std::string& expected() const { return expected_; }
  const std::string& got() const { return got_; }
  const std::string& suggestion() const { return suggestion_; }

 private:
  std::string file_, pointer_, expected_, got_, suggestion_;
};

// The closest candidate by edit distance, or "" if none is close enough to be a
// plausible misspelling (distance <= max(1, len/3)).
std::string closest_spelling(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace mdsim::scenario
