#include "model/cli/progress.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace mdsim::cli {

static int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool progress_wanted(bool stderr_is_tty) {
  const char* ci = std::getenv("CI");
  return stderr_is_tty && (ci == nullptr || *ci == '\0');
}

Progress::Progress(std::ostream& err, bool enabled, std::string label)
    : err_(err), enabled_(enabled), label_(std::move(label)), start_ms_(enabled ? wall_ms() : 0) {}

Progress::~Progress() { finish(); }

std::string Progress::render(const std::string& label, uint64_t done, uint64_t total, double rate_per_s, int width) {
  const double frac = total == 0 ? 0.0 : static_cast<double>(done > total ? total : done) / static_cast<double>(total);
  const int filled = static_cast<int>(frac * width);
  std::string bar = label + " [";
  for (int i = 0; i < width; ++i) bar += i < filled ? '#' : '.';
  char tail[96];
  const char* unit = "";
  double r = rate_per_s;
  if (r >= 1e6) { r /= 1e6; unit = "M"; } else if (r >= 1e3) { r /= 1e3; unit = "k"; }
  if (rate_per_s > 0 && done < total) {
    const uint64_t eta_s = static_cast<uint64_t>(static_cast<double>(total - done) / rate_per_s);
    std::snprintf(tail, sizeof tail, "] %3d%%  %.1f%s/s  ETA %llu:%02llu", static_cast<int>(frac * 100), r, unit,
                  static_cast<unsigned long long>(eta_s / 60), static_cast<unsigned long long>(eta_s % 60));
  } else {
    std::snprintf(tail, sizeof tail, "] %3d%%", static_cast<int>(frac * 100));
  }
  return bar + tail;
}

void Progress::update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  const int64_t now = wall_ms();
  if (now - start_ms_ < 500 || now - last_draw_ms_ < 100) return;  // short work stays quiet
  last_draw_ms_ = now;
  const double rate = static_cast<double>(done) * 1000.0 / static_cast<double>(now - start_ms_);
  err_ << '\r' << render(label_, done, total, rate, 30) << "\x1b[K" << std::flush;
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) err_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

}  // namespace mdsim::cli
