// Running scenarios: the glue from a validated Scenario to a Result.
//
// run_scenario builds one sim::Simulator from the scenario's seed, the member
// disks, the array and its intent backend, the workload (or the op list) and
// the fault plan; on power loss it builds crash images, assembles a new array
// from the disks only, resyncs, and evaluates the requested checks.
//
// Honesty rule: a part of a scenario that this build cannot simulate yet is
// refused with NotImplemented (CLI exit code 3, "not implemented: ..."); the
// runner never reports numbers it did not simulate.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "model/run/result.h"
#include "model/scenario/scenario.h"
#include "sim/trace.h"

namespace mdsim::run {

class NotImplemented : public std::runtime_error {
 public:
  explicit NotImplemented(const std::string& what) : std::runtime_error("not implemented: " + what) {}
};

struct RunOptions {
  bool record_trace = false;  // keep every trace event (for --out); costs memory and time
  // Called now and then with (done, total) in the run's own unit (simulated ns,
  // or crash points); display only, never influences the simulation.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// explore_scenario only: the first crash state that failed a property.
struct ExploreFailure {
  std::string property;
  std::string detail;
  uint64_t event = 0;     // event boundary where the power was cut
  uint64_t after_op = 0;  // index of the op after which it failed
};

struct RunOutput {
  Result result;
  sim::Trace trace;  // the run's trace (events only if record_trace)
  std::optional<ExploreFailure> first_failure;  // explore_scenario only
};

// REQUIRES: s came from the loader. Throws NotImplemented for unsupported
// parts, sim::AssertionFailure for a broken invariant (a bug).
RunOutput run_scenario(const scenario::Scenario& s, const RunOptions& opt);

// What this build cannot run in `s`, or "" if everything is supported.
std::string unsupported_part(const scenario::Scenario& s);

struct ExploreOptions {
  std::optional<uint64_t> crash_points;  // nullopt = every event boundary ("all")
  bool record_trace = false;
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// Power loss at every (or N sampled) event boundary, each persisted-subset
// choice, the properties checked at each (design.md §3-4). The exploration
// engine belongs to the verification harness; this is the entry point the CLI
// and Python call.
RunOutput explore_scenario(const scenario::Scenario& s, const ExploreOptions& opt);

// The command line that re-runs an exploration of the scenario file `path`
// (the CLI prints it with a failure; Python's explore() returns it).
std::string explore_replay_command(const std::string& path, uint64_t seed, std::optional<uint64_t> crash_points);

}  // namespace mdsim::run
