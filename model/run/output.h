// Files a run writes with --out DIR, each written atomically: the content goes
// to a temporary file in the same directory, which is then renamed over the
// target, so a reader never sees half a file (no fsync: crash safety of the
// host is not the point).
#pragma once

#include <filesystem>
#include <string>

#include "model/run/result.h"
#include "sim/trace.h"

namespace mdsim::run {

// Throws std::runtime_error (with the path) on any IO failure.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

// Creates `dir` if needed, then writes result.json, trace.jsonl and
// timeline.json (the last two only if the trace was recorded).
void write_run_outputs(const std::filesystem::path& dir, const Result& result, const sim::Trace& trace);

}  // namespace mdsim::run
