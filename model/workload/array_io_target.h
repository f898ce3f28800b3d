// Adapter from the workload seam (IoTarget) to the md engine's Array, plus the
// mapping of the engine's counters onto RunMetrics' backend side.
//
// One submit_batch() is one Array::submit_batch() call: the engine applies the
// plug rule of the submission path (fs/aio.c io_submit plugs a call of more
// than AIO_PLUG_THRESHOLD IOs; ArrayConfig::plug_threshold), so fio's
// iodepth_batch_submit decides which user writes share a plug.
//
// FUA / PREFLUSH user writes (fio sync=1 / O_DSYNC) map onto md::UserIo's
// flags: md writes every copy FUA, or flushes the members first.
//
// Invariants: every IO of a call gets exactly one completion, with its index
// in the call (carried in md::UserIo::tag).
#pragma once

#include "model/md/array.h"
#include "model/workload/io_target.h"
#include "model/workload/metrics.h"

namespace mdsim::workload {

class ArrayIoTarget : public IoTarget {
 public:
  // REQUIRES: array outlives this target and every IO in flight.
  explicit ArrayIoTarget(md::Array& array) : array_(array) {}

  disk::SectorCount capacity() const override { return array_.capacity(); }
  void submit_batch(std::span<const UserIo> ios, UserIoCallback on_complete) override;

 private:
  md::Array& array_;
};

// Fills the backend side of `m` from the array's counters: data_writes,
// intent/superblock writes and bytes (meta = intent + superblock), member
// flushes, resync sectors. User-side fields are left alone.
void fill_backend_metrics(const md::ArrayCounters& counters, RunMetrics& m);

}  // namespace mdsim::workload
