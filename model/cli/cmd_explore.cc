// mdsim explore SCENARIO.json [--crash-points all|N] [--seed N] [--out DIR] [--json] [--quiet]
#include <chrono>
#include <cstdio>

#include "model/cli/args.h"
#include "model/cli/cli.h"
#include "model/cli/commands.h"
#include "model/cli/progress.h"
#include "model/run/output.h"
#include "model/run/runner.h"
#include "model/scenario/loader.h"

namespace mdsim::cli {

static const char* kExploreHelp =
    "usage: mdsim explore SCENARIO.json [--crash-points all|N] [--seed N] [--out DIR] [--json] [--quiet]\n"
    "\n"
    "Cut the power at every event boundary of the scenario (or at N sampled ones),\n"
    "try the persisted-subset choices of the crash model, assemble, resync and\n"
    "check the properties at each. A failure is saved as a counterexample that\n"
    "`mdsim replay` re-runs.\n"
    "  --crash-points all|N   every boundary (default) or N sampled (N >= 1)\n"
    "  --seed N               override the scenario's seed\n"
    "  --out DIR              write result.json (and the counterexample, if any)\n"
    "  --json                 print the result object on stdout\n"
    "  --quiet                no progress bar\n"
    "exit codes: 0 all checks held, 1 a property failed, 2 bad input, 3 internal error\n";

// One line on stderr: how much was explored and how fast (host time).
static void print_explore_summary(const run::Result& r, double host_s, Io& io) {
  char line[256];
  std::snprintf(line, sizeof line,
                "mdsim explore: %llu crash points of %llu event boundaries, %llu crash states, %llu failures, "
                "%.0f states/s\n",
                static_cast<unsigned long long>(r.crash_points_checked), static_cast<unsigned long long>(r.events),
                static_cast<unsigned long long>(r.crash_states_checked),
                static_cast<unsigned long long>(r.crash_state_failures),
                host_s > 0 ? static_cast<double>(r.crash_states_checked) / host_s : 0.0);
  io.err << line;
}

int cmd_explore(const std::vector<std::string>& args, Io& io) {
  const ParsedArgs a = parse_args("explore", args, {"--json", "--quiet"}, {"--crash-points", "--seed", "--out"});
  if (a.help) {
    io.out << kExploreHelp;
    return kExitOk;
  }
  const std::string path = single_file("explore", a, "a scenario file (SCENARIO.json)");
  run::ExploreOptions opt;
  if (const auto cp = a.option("--crash-points"); cp && *cp != "all") {
    const auto n = parse_u64(*cp);
    if (!n || *n == 0) throw UsageError("mdsim explore: --crash-points expects \"all\" or an integer >= 1, got \"" + *cp + "\"");
    opt.crash_points = n;
  }
  const auto seed = seed_option("explore", a);
  const auto out_dir = a.option("--out");
  if (out_dir) check_out_dir("explore", *out_dir);
  const scenario::Scenario s = scenario::load_scenario(path, seed);
  Progress progress(io.err, !a.flag("--quiet") && progress_wanted(io.stderr_is_tty), "explore " + s.name);
  opt.record_trace = out_dir.has_value();
  opt.progress = [&progress](uint64_t done, uint64_t total) { progress.update(done, total); };
  // Host time, for the states-per-second figure only (never reaches the simulation).
  const auto t0 = std::chrono::steady_clock::now();
  run::RunOutput o = run::explore_scenario(s, opt);
  const double host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  progress.finish();
  print_explore_summary(o.result, host_s, io);
  if (out_dir) run::write_run_outputs(*out_dir, o.result, o.trace);
  return report_result(s, o.result, run::explore_replay_command(path, o.result.seed, opt.crash_points),
                       a.flag("--json"), io);
}

}  // namespace mdsim::cli
