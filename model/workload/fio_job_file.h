// Reader for fio job files (the ini subset), so a job already run on real
// hardware can be replayed on the simulated array.
//
// Supported: [global] sections (their keys apply to every job section after
// them, as in fio), job sections [name], `key=value` and bare `key` (boolean
// true), full-line comments starting with ';' or '#', blank lines. Values use
// fio's size rules (kb_base=1024: 4k = 4096; see units.h).
//
// Not ignored, reported: every unsupported key (including stonewall,
// wait_for, include directives and $ENV expansion), malformed lines, and keys
// outside a section; each error names the source and the 1-based line. All
// errors of a file are collected and thrown together as one WorkloadError.
//
// Invariants: the returned jobs are validated (validate_job) and in file order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/workload/job.h"

namespace mdsim::workload {

// REQUIRES: nothing. ENSURES: !result.empty(). Throws WorkloadError.
std::vector<JobSpec> parse_fio_job_text(std::string_view text, std::string_view source_name);

// Reads `path` and parses it. Throws WorkloadError (also if unreadable).
std::vector<JobSpec> read_fio_job_file(const std::string& path);

}  // namespace mdsim::workload
