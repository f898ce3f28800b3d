// The `mdsim` command line (design.md §5 is the contract).
//
//   mdsim run SCENARIO.json [--seed N] [--out DIR] [--json] [--quiet]
//   mdsim explore SCENARIO.json [--crash-points all|N] [--seed N] [--out DIR] [--json] [--quiet]
//   mdsim replay FILE.json [--out DIR] [--json]
//   mdsim sweep SWEEP.json [--out DIR] [--json] [--quiet]
//   mdsim --version | --help | <command> --help
//
// Exit codes: 0 all checks held; 1 a property failed (message names it, the seed
// and a replay command); 2 bad input or usage (one message, nothing written);
// 3 internal error (including "not implemented: ...").
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mdsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitPropertyFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

// Runs one command line; never throws. `out` is stdout (results), `err` stderr
// (messages, progress). `stderr_is_tty` enables the progress bar.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool stderr_is_tty);

}  // namespace mdsim::cli
