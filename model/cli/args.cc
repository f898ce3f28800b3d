#include "model/cli/args.h"

#include "model/scenario/error.h"

namespace mdsim::cli {

std::optional<std::string> ParsedArgs::option(const std::string& o) const {
  auto it = options.find(o);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

static std::vector<std::string> names_of(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> all(a.begin(), a.end());
  all.insert(all.end(), b.begin(), b.end());
  all.push_back("--help");
  return all;
}

ParsedArgs parse_args(const std::string& command, const std::vector<std::string>& args,
                      const std::set<std::string>& flags, const std::set<std::string>& options) {
  ParsedArgs p;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_positional || a.size() < 2 || a[0] != '-') {
      p.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      p.help = true;
      continue;
    }
    const size_t eq = a.find('=');
    const std::string name = a.substr(0, eq);
    if (flags.count(name) && eq == std::string::npos) {
      p.flags.insert(name);
      continue;
    }
    if (options.count(name)) {
      if (eq != std::string::npos) {
        p.options[name] = a.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        p.options[name] = args[++i];
      } else {
        throw UsageError("mdsim " + command + ": option " + name + " expects a value");
      }
      continue;
    }
    const std::string hint = scenario::closest_spelling(name, names_of(flags, options));
    throw UsageError("mdsim " + command + ": unknown option " + a +
                     (hint.empty() ? std::string() : " (did you mean " + hint + "?)") +
                     "; see mdsim " + command + " --help");
  }
  return p;
}

std::optional<uint64_t> parse_u64(const std::string& text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

std::string single_file(const std::string& command, const ParsedArgs& a, const std::string& what) {
  if (a.positional.empty())
    throw UsageError("mdsim " + command + ": expected " + what + "; see mdsim " + command + " --help");
  if (a.positional.size() > 1)
    throw UsageError("mdsim " + command + ": expected one " + what + ", got also \"" + a.positional[1] + "\"");
  return a.positional[0];
}

}  // namespace mdsim::cli
