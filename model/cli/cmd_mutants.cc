// mdsim mutants [--budget S] [--cases N] [--only NAME[,NAME...]] [--out DIR] [--report FILE]
//              [--expect-survivors FILE]
// mdsim mutants replay FILE.json
//
// The mutant campaign (faults/mutant_campaign.h): every named bug switched on
// in turn, stateful property runs until one fails, the failing list shrunk and
// saved, and a scoreboard written. Wiring: the CLI dispatcher calls
// mdsim::cli::cmd_mutants(args, out, err) for the `mutants` subcommand.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "faults/mutant_campaign.h"
#include "model/cli/args.h"
#include "model/run/output.h"

namespace mdsim::cli {

namespace {

const char* kMutantsHelp =
    "usage: mdsim mutants [--budget S] [--cases N] [--only NAME,...] [--out DIR] [--report FILE]\n"
    "                     [--expect-survivors FILE]\n"
    "       mdsim mutants replay FILE.json\n"
    "Runs the property suites against every named engine bug until one fails, shrinks\n"
    "and saves the counterexample, and writes the scoreboard (markdown).\n"
    "exit codes: 0 every mutant killed (or listed in --expect-survivors), 1 a mutant\n"
    "survived, 2 bad usage, 3 internal error\n";

int replay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 2) {
    err << "mdsim mutants replay: expected one FILE.json\n";
    return 2;
  }
  const faults::ReplayOutcome r = faults::replay_counterexample(args[1]);
  out << (r.report.empty() ? std::string("every check held\n") : r.report);
  if (r.reproduced) {
    err << "mdsim mutants replay: reproduced (" << r.failed_property << ")\n";
    return 1;
  }
  err << "mdsim mutants replay: did NOT reproduce (expected " << r.expected_property << ", got "
      << (r.failed_property.empty() ? "pass" : r.failed_property) << ")\n";
  return 0;
}

std::set<std::string> read_names(const std::string& path) {
  std::set<std::string> names;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream is(line);
    std::string name;
    if (is >> name) names.insert(name);
  }
  return names;
}

// Strict non-negative decimal seconds ("30", "2.5"); anything else is a UsageError.
double parse_seconds(const std::string& option, const std::string& text) {
  size_t used = 0;
  double v = -1;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v >= 0))
    throw UsageError("mdsim mutants: " + option + " expects seconds (a non-negative number), got \"" + text + "\"");
  return v;
}

uint64_t parse_count(const std::string& option, const std::string& text) {
  const auto v = parse_u64(text);
  if (!v) throw UsageError("mdsim mutants: " + option + " expects an unsigned integer, got \"" + text + "\"");
  return *v;
}

std::vector<md::Mutant> parse_mutant_list(const std::string& text) {
  std::vector<md::Mutant> mutants;
  std::istringstream is(text);
  std::string name;
  while (std::getline(is, name, ',')) {
    const auto m = md::mutant_from_name(name);
    if (!m) throw UsageError("mdsim mutants: unknown mutant \"" + name + "\"");
    mutants.push_back(*m);
  }
  return mutants;
}

}  // namespace

int cmd_mutants(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && args[0] == "replay") return replay(args, out, err);
  const ParsedArgs a = parse_args("mutants", args, {},
                                  {"--budget", "--cases", "--seed", "--out", "--report", "--expect-survivors", "--only"});
  if (a.help) {
    out << kMutantsHelp;
    return 0;
  }
  if (!a.positional.empty()) throw UsageError("mdsim mutants: unexpected argument \"" + a.positional[0] + "\"");
  faults::CampaignConfig cfg;
  if (auto v = a.option("--budget")) cfg.time_budget_s = parse_seconds("--budget", *v);
  if (auto v = a.option("--cases")) cfg.max_cases = parse_count("--cases", *v);
  if (auto v = a.option("--seed")) cfg.seed = parse_count("--seed", *v);
  if (auto v = a.option("--out")) cfg.out_dir = *v;
  if (auto v = a.option("--only")) cfg.mutants = parse_mutant_list(*v);
  const std::string report = a.option("--report").value_or("");
  const std::string survivors_file = a.option("--expect-survivors").value_or("");
  if (!survivors_file.empty() && !std::filesystem::is_regular_file(survivors_file))
    throw UsageError("mdsim mutants: --expect-survivors: cannot read \"" + survivors_file + "\"");
  if (!cfg.out_dir.empty()) std::filesystem::create_directories(cfg.out_dir);
  // The campaign's time figures are CPU-independent wall seconds of this process.
  const auto t0 = std::chrono::steady_clock::now();
  cfg.clock_s = [t0] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const auto results = faults::run_campaign(cfg, [&](const faults::MutantResult& r) {
    err << md::mutant_name(r.mutant) << ": "
        << (r.skipped ? "skipped (" + r.skip_reason + ")"
                      : r.killed ? "killed by " + r.property + " in " + std::to_string(r.seconds) + " s, " +
                                       std::to_string(r.counterexample_len) + " ops"
                                 : "SURVIVED " + std::to_string(r.cases) + " cases")
        << "\n";
  });
  const std::string md = faults::scoreboard_markdown(results, cfg);
  out << md;
  if (!report.empty())
    run::write_file_atomic(report, "# Mutant scoreboard\n\nGenerated by `mdsim mutants` (tests/mutants, ctest label `mutants`).\n\n" + md);
  const auto expected = survivors_file.empty() ? std::set<std::string>{} : read_names(survivors_file);
  int rc = 0;
  for (const auto& r : results)
    if (!r.skipped && !r.killed && !expected.contains(std::string(md::mutant_name(r.mutant)))) rc = 1;
  return rc;
}

}  // namespace mdsim::cli
