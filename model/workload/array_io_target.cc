#include "model/workload/array_io_target.h"

#include <memory>
#include <vector>

#include "model/workload/units.h"
#include "sim/assert.h"

namespace mdsim::workload {
namespace {

md::UserOp to_md_op(UserIo::Op op) {
  switch (op) {
    case UserIo::Op::read: return md::UserOp::read;
    case UserIo::Op::write: return md::UserOp::write;
    case UserIo::Op::discard: return md::UserOp::discard;
    case UserIo::Op::flush: return md::UserOp::flush;
  }
  return md::UserOp::write;
}

}  // namespace

void ArrayIoTarget::submit_batch(std::span<const UserIo> ios, UserIoCallback on_complete) {
  SIM_ASSERT(!ios.empty());
  std::vector<md::UserIo> batch;
  batch.reserve(ios.size());
  for (size_t i = 0; i < ios.size(); ++i) {
    const UserIo& io = ios[i];
    md::UserIo m;
    m.op = to_md_op(io.op);
    m.fua = io.op == UserIo::Op::write && io.fua;
    m.preflush = io.op == UserIo::Op::write && io.preflush;
    m.sector = io.op == UserIo::Op::flush ? disk::Sector(0) : io.sector;
    m.count = io.op == UserIo::Op::flush ? disk::SectorCount(0) : io.count;
    m.tag = i;
    batch.push_back(m);
  }
  auto cb = std::make_shared<UserIoCallback>(std::move(on_complete));
  const size_t n = batch.size();
  array_.submit_batch(std::move(batch), [cb, n](const md::UserIo& io, const md::UserResult& r) {
    SIM_ASSERT(io.tag < n);
    // md reports success or failure only; a failure surfaces as a media error.
    (*cb)(static_cast<size_t>(io.tag),
          UserIoCompletion{.status = r.ok ? disk::IoStatus::ok : disk::IoStatus::media_error,
                           .completed_at = r.completed});
  });
}

void fill_backend_metrics(const md::ArrayCounters& c, RunMetrics& m) {
  const auto& data = c.member_writes[static_cast<size_t>(disk::IoClass::data)];
  const auto& intent = c.member_writes[static_cast<size_t>(disk::IoClass::intent)];
  const auto& sb = c.member_writes[static_cast<size_t>(disk::IoClass::superblock)];
  m.data_writes = data.requests;
  m.intent_writes = intent.requests;
  m.intent_write_bytes = intent.bytes;
  m.superblock_writes = sb.requests;
  m.superblock_write_bytes = sb.bytes;
  m.meta_writes = intent.requests + sb.requests;
  m.meta_write_bytes = intent.bytes + sb.bytes;
  m.flushes = c.member_flushes;
  m.resync_sectors = c.resync_sectors;
}

}  // namespace mdsim::workload
