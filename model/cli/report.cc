// Reporting shared by run, replay and sweep.
#include <cstdio>
#include <filesystem>
#include <string_view>

#include "model/cli/args.h"
#include "model/cli/cli.h"
#include "model/cli/commands.h"
#include "sim/trace.h"

namespace mdsim::cli {

void check_out_dir(const std::string& command, const std::string& dir) {
  std::error_code ec;
  if (dir.empty()) throw UsageError("mdsim " + command + ": --out expects a directory");
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
    throw UsageError("mdsim " + command + ": --out " + dir + ": exists and is not a directory");
}

static void print_summary(const run::Result& r, std::ostream& out) {
  char line[256];
  out << "scenario " << r.scenario << "  seed " << r.seed << "  trace " << sim::hash_hex(r.trace_hash) << "\n";
  std::snprintf(line, sizeof line,
                "  sim time %.3f ms, %llu events; user writes %llu (%llu bytes), member data writes %llu\n",
                static_cast<double>(r.sim_time_ns) / 1e6, static_cast<unsigned long long>(r.events),
                static_cast<unsigned long long>(r.user_writes), static_cast<unsigned long long>(r.user_write_bytes),
                static_cast<unsigned long long>(r.data_writes));
  out << line;
  if (!r.member_io_table.empty()) {
    out << "  member IO by class (summed over members, before any crash):\n";
    std::string_view t = r.member_io_table;
    while (!t.empty()) {
      const size_t nl = t.find('\n');
      out << "    " << t.substr(0, nl) << "\n";
      t = nl == std::string_view::npos ? std::string_view() : t.substr(nl + 1);
    }
  }
  std::snprintf(line, sizeof line, "  metadata writes %llu (%llu bytes, %.3f per user write), flushes %llu\n",
                static_cast<unsigned long long>(r.meta_writes), static_cast<unsigned long long>(r.meta_write_bytes),
                r.meta_writes_per_user_write(), static_cast<unsigned long long>(r.flushes));
  out << line;
  std::snprintf(line, sizeof line,
                "  write latency p50 %lld ns, p90 %lld ns, p99 %lld ns, p99.9 %lld ns, max %lld ns\n",
                static_cast<long long>(r.write_lat_ns_p50), static_cast<long long>(r.write_lat_ns_p90),
                static_cast<long long>(r.write_lat_ns_p99), static_cast<long long>(r.write_lat_ns_p999),
                static_cast<long long>(r.write_lat_ns_max));
  out << line;
  std::snprintf(line, sizeof line, "  crash points checked %llu, inconsistent chunks %llu, resync sectors %llu\n",
                static_cast<unsigned long long>(r.crash_points_checked),
                static_cast<unsigned long long>(r.inconsistent_chunks),
                static_cast<unsigned long long>(r.resync_sectors));
  out << line;
  for (const auto& [name, c] : r.checks)
    out << "  " << (c.held ? "held  " : "FAILED") << " " << name << (c.detail.empty() ? "" : ": " + c.detail) << "\n";
  out << "verdict: " << r.verdict() << "\n";
}

int report_result(const scenario::Scenario& s, const run::Result& r, const std::string& replay_command, bool json,
                  Io& io) {
  if (json) {
    io.out << run::to_json(r).dump(2) << "\n";
  } else {
    print_summary(r, io.out);
  }
  if (r.passed()) return kExitOk;
  const std::string failed = r.first_failed_check();
  io.err << "mdsim: property " << failed << " failed: " << r.checks.at(failed).detail << " (scenario " << s.source
         << ", seed " << r.seed << "); replay: " << replay_command << "\n";
  return kExitPropertyFailed;
}

}  // namespace mdsim::cli
