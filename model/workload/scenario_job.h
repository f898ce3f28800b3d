// From a scenario's validated "workload" section (model/scenario) to a JobSpec.
//
// Scenario semantics (design.md section 5, a contract) differ from a fio job
// file's in two places, on purpose:
//  - `ios` is the number of IOs per job: io_size is unlimited, so a small
//    `size` does not end the job early (fio would stop after `size` bytes);
//  - `iodepth_batch_submit` is "the number of IOs submitted in one call, and so
//    in one block plug": every steady-state call carries that many IOs. This is
//    fio's iodepth_batch_submit=B with iodepth_batch_complete_min=B (wait for B
//    completions, refill B, submit B). A fio job file keeps fio's own defaults
//    (see generator.h), so replaying a real fio job stays faithful.
// runtime_ns > 0 bounds the run in simulated time as well (whichever first).
#pragma once

#include "model/scenario/scenario.h"
#include "model/workload/job.h"

namespace mdsim::workload {

// REQUIRES: w came from the scenario loader (validated). ENSURES: the result
// passes validate_job.
JobSpec job_from_workload_config(const scenario::WorkloadConfig& w);

}  // namespace mdsim::workload
