// The seam between a workload and whatever serves its IOs (the md array, or a
// fake in tests): user IOs in array sectors, submitted in batches.
//
// One submit_batch() call models one submission system call (one io_submit()
// with several iocbs) and therefore one block plug around the bios it creates:
// the engine must scope its plug, and so its intent-record batching, to it
// (docs/kernel-observations.md item 1). The orchestrator adapts the engine's
// array to this interface; the generator never sees the engine.
//
// Invariants:
//  (1) every IO of a batch gets exactly one completion call, with its index in
//      the batch, at a simulated instant >= the instant of submission;
//  (2) a target must not keep a reference to the span after submit_batch
//      returns (copy what it needs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "model/disk/io.h"
#include "model/disk/sector.h"
#include "sim/time.h"

namespace mdsim::workload {

struct UserIo {
  enum class Op : uint8_t { read, write, discard, flush };
  Op op = Op::write;
  disk::Sector sector;      // array sector; unused for flush
  disk::SectorCount count;  // unused for flush
  bool fua = false;         // writes only: O_SYNC/O_DSYNC direct write => REQ_FUA
  bool preflush = false;    // writes only: REQ_PREFLUSH (a journal commit block)
  auto operator<=>(const UserIo&) const = default;
};

const char* user_io_op_name(UserIo::Op op);

struct UserIoCompletion {
  disk::IoStatus status = disk::IoStatus::ok;
  sim::Instant completed_at;
};

// Called once per IO of a batch. `index` is the IO's position in the batch.
using UserIoCallback = std::function<void(size_t index, const UserIoCompletion&)>;

class IoTarget {
 public:
  virtual ~IoTarget() = default;

  // Usable size of the target in sectors (the array's capacity).
  virtual disk::SectorCount capacity() const = 0;

  // Submits all IOs of `ios` in one call (one plug).
  // REQUIRES: !ios.empty(); every read/write/discard lies inside [0, capacity()).
  // ENSURES: on_complete is called exactly once per IO (possibly later in
  //          simulated time; a target may also complete inline).
  virtual void submit_batch(std::span<const UserIo> ios, UserIoCallback on_complete) = 0;
};

}  // namespace mdsim::workload
