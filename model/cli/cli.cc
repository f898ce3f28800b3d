#include "model/cli/cli.h"

#include <exception>

#include "model/cli/args.h"
#include "model/cli/commands.h"
#include "model/run/runner.h"
#include "model/scenario/error.h"
#include "sim/assert.h"

namespace mdsim::cli {

static const char* kTopHelp =
    "mdsim - deterministic simulator of Linux md RAID write-intent designs\n"
    "\n"
    "usage: mdsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.json      run one scenario (--seed N, --out DIR, --json)\n"
    "  explore SCENARIO.json  power loss at every (or N) event boundaries, check each\n"
    "  replay FILE.json       re-run a saved counterexample and confirm it reproduces\n"
    "  sweep SWEEP.json       a parameter grid, one result row per point (CSV + JSON)\n"
    "  compare                intent backends side by side (raid1 randwrite, crash, resync)\n"
    "  mutants                the mutant campaign: named engine bugs vs the properties\n"
    "  gate                   CI regression gate against reports/baseline.json\n"
    "\n"
    "  mdsim <command> --help   options of one command\n"
    "  mdsim --version          print the version\n"
    "\n"
    "exit codes: 0 all checks held, 1 a property failed, 2 bad input or usage,\n"
    "            3 internal error (including \"not implemented\")\n"
    "scenario format: docs/scenario-format.md; traces: docs/trace-format.md\n";

static int dispatch(const std::vector<std::string>& args, Io& io) {
  if (args.empty()) {
    io.err << kTopHelp;
    return kExitBadInput;
  }
  const std::string& cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "--version" || cmd == "version") {
    io.out << "mdsim " << MDSIM_VERSION << "\n";
    return kExitOk;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    io.out << kTopHelp;
    return kExitOk;
  }
  if (cmd == "run") return cmd_run(rest, io);
  if (cmd == "explore") return cmd_explore(rest, io);
  if (cmd == "replay") return cmd_replay(rest, io);
  if (cmd == "sweep") return cmd_sweep(rest, io);
  if (cmd == "compare") return cmd_compare(rest, io);
  if (cmd == "mutants") return cmd_mutants(rest, io.out, io.err);
  if (cmd == "gate") return cmd_gate(rest, io);
  const std::string hint = scenario::closest_spelling(
      cmd, {"run", "explore", "replay", "sweep", "compare", "mutants", "gate"});
  throw UsageError("mdsim: unknown command \"" + cmd + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                   "; see mdsim --help");
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool stderr_is_tty) {
  Io io{out, err, stderr_is_tty};
  try {
    return dispatch(args, io);
  } catch (const UsageError& e) {
    err << e.what() << "\n";
    return kExitBadInput;
  } catch (const scenario::ScenarioError& e) {
    err << "mdsim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const run::NotImplemented& e) {
    err << "mdsim: " << e.what() << "\n";
    return kExitInternal;
  } catch (const sim::AssertionFailure& e) {
    err << "mdsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    err << "mdsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    err << "mdsim: internal error: unknown exception\n";
    return kExitInternal;
  }
}

}  // namespace mdsim::cli
