// mdsim gate [--baseline FILE] [--scenarios DIR] [--update-baseline] [--quiet]
#include <fstream>
#include <sstream>

#include "model/cli/args.h"
#include "model/cli/cli.h"
#include "model/cli/commands.h"
#include "model/run/gate.h"

namespace mdsim::cli {

static const char* kGateHelp =
    "usage: mdsim gate [--baseline FILE] [--scenarios DIR] [--update-baseline]\n"
    "\n"
    "CI regression gate: rerun every scenario of DIR (run once; an ops-form file whose\n"
    "name contains \"explore\" is explored at every event boundary) and compare with\n"
    "the baseline. Fails when a\n"
    "property fails, meta_writes_per_user_write rises > 2 %, iops_sim falls > 5 % or\n"
    "resync_sectors rises > 5 %, and prints a table of what moved (write latency\n"
    "p99/p99.9 moves are printed too, never gated).\n"
    "  --baseline FILE      default reports/baseline.json\n"
    "  --scenarios DIR      default scenarios/gate\n"
    "  --update-baseline    accept the current metrics: rewrite FILE (refused if a\n"
    "                       property fails)\n"
    "exit codes: 0 within limits, 1 regression, 2 bad input, 3 internal error\n";

int cmd_gate(const std::vector<std::string>& args, Io& io) {
  const ParsedArgs a = parse_args("gate", args, {"--update-baseline", "--quiet"}, {"--baseline", "--scenarios"});
  if (a.help) {
    io.out << kGateHelp;
    return kExitOk;
  }
  if (!a.positional.empty()) throw UsageError("mdsim gate: takes no file argument (use --scenarios DIR)");
  const std::string baseline_path = a.option("--baseline").value_or("reports/baseline.json");
  const std::string dir = a.option("--scenarios").value_or("scenarios/gate");
  const std::vector<run::GateRow> current = run::run_gate_scenarios(dir);

  if (a.flag("--update-baseline")) {
    for (const auto& r : current)
      if (r.verdict != "pass") {
        io.err << "mdsim gate: " << r.file << " fails a property; the baseline is not rewritten\n";
        return kExitPropertyFailed;
      }
    std::ofstream f(baseline_path);
    if (!f) throw UsageError("mdsim gate: cannot write " + baseline_path);
    f << run::baseline_json(current).dump(2) << "\n";
    io.out << "gate: baseline " << baseline_path << " rewritten (" << current.size() << " scenarios)\n";
    return kExitOk;
  }

  std::ifstream f(baseline_path);
  if (!f) throw UsageError("mdsim gate: cannot read the baseline " + baseline_path + " (create it with --update-baseline)");
  std::stringstream text;
  text << f.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw UsageError("mdsim gate: " + baseline_path + ": " + e.what());
  }
  std::vector<run::GateRow> base;
  try {
    base = run::rows_from_baseline(j);
  } catch (const std::exception& e) {
    throw UsageError("mdsim gate: " + baseline_path + ": " + e.what());
  }
  const run::GateReport rep = run::compare_gate(base, current);
  if (!rep.moves.empty()) io.out << run::format_gate_table(rep);
  if (!rep.passed()) {
    io.err << "mdsim gate: FAILED (" << current.size() << " scenarios); if the change is deliberate: mdsim gate "
           << "--update-baseline\n";
    return kExitPropertyFailed;
  }
  io.out << "gate: passed (" << current.size() << " scenarios within limits)\n";
  return kExitOk;
}

}  // namespace mdsim::cli
