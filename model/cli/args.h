// A small strict argument parser shared by the subcommands: one positional
// file, `--flag` switches and `--option VALUE` (or `--option=VALUE`). Anything
// else is a UsageError (exit code 2) naming the offending argument.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace mdsim::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::set<std::string> flags;                 // e.g. "--json"
  std::map<std::string, std::string> options;  // e.g. "--seed" -> "42"
  bool help = false;

  bool flag(const std::string& f) const { return flags.count(f) != 0; }
  std::optional<std::string> option(const std::string& o) const;
};

// `command` names the subcommand in messages. REQUIRES: flag and option names start with "--".
ParsedArgs parse_args(const std::string& command, const std::vector<std::string>& args,
                      const std::set<std::string>& flags, const std::set<std::string>& options);

// Strict unsigned integer (decimal, no sign, no spaces, fits in 64 bits).
std::optional<uint64_t> parse_u64(const std::string& text);

// The one positional argument, or a UsageError saying what is missing/extra.
std::string single_file(const std::string& command, const ParsedArgs& a, const std::string& what);

}  // namespace mdsim::cli
