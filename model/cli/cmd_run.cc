// mdsim run SCENARIO.json [--seed N] [--out DIR] [--json] [--quiet]
#include "model/cli/args.h"
#include "model/cli/cli.h"
#include "model/cli/commands.h"
#include "model/cli/progress.h"
#include "model/run/default_scenario.h"
#include "model/run/output.h"
#include "model/run/runner.h"
#include "model/scenario/loader.h"

namespace mdsim::cli {

static const char* kRunHelp =
    "usage: mdsim run SCENARIO.json [--seed N] [--out DIR] [--json] [--quiet]\n"
    "       mdsim run --default [--seed N] [--out DIR] [--json] [--quiet]\n"
    "\n"
    "Run one scenario and check its properties.\n"
    "  --default   run the embedded default scenario (raid1, classic bitmap, power\n"
    "              loss mid-burst; docs/scenario-format.md \"The default scenario\")\n"
    "  --seed N    override the scenario's seed (unsigned 64-bit integer)\n"
    "  --out DIR   write DIR/result.json, DIR/trace.jsonl (one event per line) and\n"
    "              DIR/timeline.json (open in ui.perfetto.dev or chrome://tracing)\n"
    "  --json      print the result object on stdout instead of the summary\n"
    "  --quiet     no progress bar (it is shown only on a terminal anyway)\n"
    "exit codes: 0 all checks held, 1 a property failed, 2 bad input, 3 internal error\n";

std::optional<uint64_t> seed_option(const std::string& command, const ParsedArgs& a) {
  const auto text = a.option("--seed");
  if (!text) return std::nullopt;
  const auto v = parse_u64(*text);
  if (!v) throw UsageError("mdsim " + command + ": --seed expects an unsigned 64-bit integer, got \"" + *text + "\"");
  return v;
}

int cmd_run(const std::vector<std::string>& args, Io& io) {
  const ParsedArgs a = parse_args("run", args, {"--json", "--quiet", "--default"}, {"--seed", "--out"});
  if (a.help) {
    io.out << kRunHelp;
    return kExitOk;
  }
  const bool use_default = a.flag("--default");
  if (use_default && !a.positional.empty())
    throw UsageError("mdsim run: --default takes no scenario file, got \"" + a.positional[0] + "\"");
  const std::string path = use_default ? std::string() : single_file("run", a, "a scenario file (SCENARIO.json)");
  const auto seed = seed_option("run", a);
  const auto out_dir = a.option("--out");
  if (out_dir) check_out_dir("run", *out_dir);
  const scenario::Scenario s =
      use_default ? scenario::parse_scenario_text(std::string(run::default_scenario_json()),
                                                  std::string(run::kDefaultScenarioSource), seed)
                  : scenario::load_scenario(path, seed);

  Progress progress(io.err, !a.flag("--quiet") && progress_wanted(io.stderr_is_tty), "run " + s.name);
  run::RunOptions opt;
  opt.record_trace = out_dir.has_value();  // recording costs time: only when it will be written
  opt.progress = [&progress](uint64_t done, uint64_t total) { progress.update(done, total); };
  run::RunOutput o = run::run_scenario(s, opt);
  progress.finish();
  if (out_dir) run::write_run_outputs(*out_dir, o.result, o.trace);
  return report_result(s, o.result, "mdsim run " + (use_default ? std::string("--default") : path) + " --seed " + std::to_string(o.result.seed),
                       a.flag("--json"), io);
}

}  // namespace mdsim::cli
