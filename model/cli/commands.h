// The subcommands behind cli.h; each returns an exit code and may throw
// UsageError / ScenarioError (-> 2), run::NotImplemented or any other
// exception (-> 3). run_cli maps exceptions to codes in one place.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "model/cli/args.h"
#include "model/run/result.h"
#include "model/scenario/scenario.h"

namespace mdsim::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool stderr_is_tty;
};

int cmd_run(const std::vector<std::string>& args, Io& io);
int cmd_explore(const std::vector<std::string>& args, Io& io);
int cmd_replay(const std::vector<std::string>& args, Io& io);
int cmd_sweep(const std::vector<std::string>& args, Io& io);
int cmd_compare(const std::vector<std::string>& args, Io& io);  // intent backends side by side
// The mutant campaign (model/cli/cmd_mutants.cc; its own streams signature).
int cmd_mutants(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int cmd_gate(const std::vector<std::string>& args, Io& io);     // CI regression gate (model/run/gate.h)

// Shared reporting: the summary (or --json) on stdout; on failure the message
// naming the property, the seed and a replay command on stderr. Returns the
// exit code (0 or 1).
int report_result(const scenario::Scenario& s, const run::Result& r, const std::string& replay_command, bool json,
                  Io& io);

// The --seed option as an unsigned 64-bit integer (UsageError otherwise).
std::optional<uint64_t> seed_option(const std::string& command, const ParsedArgs& a);

// Refuses an --out path that exists and is not a directory (before any work).
void check_out_dir(const std::string& command, const std::string& dir);

}  // namespace mdsim::cli
