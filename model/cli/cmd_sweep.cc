// mdsim sweep SWEEP.json [--out DIR] [--json] [--quiet]
#include "model/cli/args.h"
#include "model/cli/cli.h"
#include "model/cli/commands.h"
#include "model/cli/progress.h"
#include "model/run/output.h"
#include "model/run/runner.h"
#include "model/run/sweep.h"

namespace mdsim::cli {

static const char* kSweepHelp =
    "usage: mdsim sweep SWEEP.json [--out DIR] [--json] [--quiet]\n"
    "\n"
    "Run a base scenario at every point of a parameter grid; one row per point.\n"
    "SWEEP.json: {\"base\": <scenario object or path>, \"grid\": {\"/workload/iodepth\": [1, 32], ...}}\n"
    "(grid keys are JSON pointers into the base; see docs/scenario-format.md).\n"
    "Every point is validated before anything runs.\n"
    "  --out DIR   write DIR/sweep.csv and DIR/sweep.json\n"
    "  --json      print the rows as a JSON array on stdout (default: CSV)\n"
    "  --quiet     no progress bar\n"
    "exit codes: 0 every point held, 1 a property failed at some point, 2 bad input, 3 internal error\n";

int cmd_sweep(const std::vector<std::string>& args, Io& io) {
  const ParsedArgs a = parse_args("sweep", args, {"--json", "--quiet"}, {"--out"});
  if (a.help) {
    io.out << kSweepHelp;
    return kExitOk;
  }
  const std::string path = single_file("sweep", a, "a sweep file (SWEEP.json)");
  const auto out_dir = a.option("--out");
  if (out_dir) check_out_dir("sweep", *out_dir);
  const run::Sweep sweep = run::load_sweep(path);
  Progress progress(io.err, !a.flag("--quiet") && progress_wanted(io.stderr_is_tty), "sweep " + sweep.name);
  std::vector<nlohmann::ordered_json> rows;
  int code = kExitOk;
  for (size_t i = 0; i < sweep.points.size(); ++i) {
    progress.update(i, sweep.points.size());
    const run::RunOutput o = run::run_scenario(sweep.points[i].scenario, run::RunOptions{});
    rows.push_back(run::sweep_row(sweep.points[i], o.result));
    if (!o.result.passed()) {
      code = kExitPropertyFailed;
      io.err << "mdsim: property " << o.result.first_failed_check() << " failed at " << sweep.points[i].scenario.source
             << " (seed " << o.result.seed << ")\n";
    }
  }
  progress.finish();
  const std::string csv = run::sweep_csv(sweep, rows);
  const nlohmann::ordered_json json_rows = rows;
  if (out_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*out_dir, ec);
    if (ec) throw std::runtime_error("cannot create directory " + *out_dir + ": " + ec.message());
    run::write_file_atomic(std::filesystem::path(*out_dir) / "sweep.csv", csv);
    run::write_file_atomic(std::filesystem::path(*out_dir) / "sweep.json", json_rows.dump(2) + "\n");
  }
  if (a.flag("--json")) {
    io.out << json_rows.dump(2) << "\n";
  } else {
    io.out << csv;
  }
  return code;
}

}  // namespace mdsim::cli
