#include "model/workload/scenario_job.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::workload {

JobSpec job_from_workload_config(const scenario::WorkloadConfig& w) {
  JobSpec j;
  j.name = "workload";
  const KeyResult rw = apply_job_key(j, "rw", w.rw, SizeUnits::iec);
  SIM_ASSERT_MSG(rw.status == KeyStatus::applied, rw.message);
  j.rwmixread = 100 - w.rwmixwrite;
  j.bs_min_bytes = j.bs_max_bytes = w.bs_bytes;
  j.iodepth = w.iodepth;
  j.iodepth_batch_submit = w.iodepth_batch_submit;
  j.iodepth_batch_complete_min = std::min(w.iodepth_batch_submit, w.iodepth);
  j.numjobs = w.numjobs;
  j.number_ios = w.ios;
  j.io_size_bytes = UINT64_MAX;  // `ios` is the limit
  j.fsync_blocks = w.fsync;
  j.sync_writes = w.sync;  // fio sync=1: every write carries FUA
  j.offset = SizeSpec{.bytes = w.offset_bytes, .percent = {}};
  j.size = SizeSpec{.bytes = w.size_bytes, .percent = {}};
  if (w.runtime_ns > 0) j.runtime = sim::Duration::ns(w.runtime_ns);
  validate_job(j);
  return j;
}

}  // namespace mdsim::workload
