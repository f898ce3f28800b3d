// A progress bar on stderr: "[#####.....]  52%  1.2k/s  ETA 0:14".
//
// Shown only when stderr is a terminal, the CI variable is unset, and the work
// has already taken more than half a second (short runs stay silent). This is
// presentation only: it reads the host's steady clock, which never reaches the
// simulation (the determinism rules cover simulated logic, not this display).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace mdsim::cli {

class Progress {
 public:
  Progress(std::ostream& err, bool enabled, std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(uint64_t done, uint64_t total);
  void finish();  // clears the line if anything was drawn

  // The rendered bar for given numbers (pure; unit tested).
  static std::string render(const std::string& label, uint64_t done, uint64_t total, double rate_per_s, int width);

 private:
  std::ostream& err_;
  bool enabled_;
  bool drawn_ = false;
  std::string label_;
  int64_t start_ms_;
  int64_t last_draw_ms_ = 0;
};

// True when progress should be shown: `stderr_is_tty` and not in CI.
bool progress_wanted(bool stderr_is_tty);

}  // namespace mdsim::cli
