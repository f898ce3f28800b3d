// raid5 reads: chunk_aligned_read when the member is readable, else (or on a
// read error) reconstruction from the other members of the row
// (handle_stripe with a failed block, compute_block), with the rebuilt data
// written back to the member that returned a media error (R5_ReadError).
#include <algorithm>

#include "model/md/raid5.h"
#include "sim/assert.h"

namespace mdsim::md {

sim::Task Raid5::read_task(std::unique_ptr<MasterIo> io) {
  const RaidGeometry& g = geo();
  const uint64_t s = io->io.sector.value();
  const uint64_t n = io->io.count.value();
  io->result.words.assign(n, 0);
  bool ok = true;
  for (uint64_t a = s; a < s + n && ok;) {
    const uint64_t len = std::min(s + n, (a / g.chunk_sectors + 1) * g.chunk_sectors) - a;
    const RaidGeometry::R5Loc l = g.r5_map(a);
    ok = co_await read_piece(l.row, l.index, l.dev, len, io->result.words.data() + (a - s));
    a += len;
  }
  md_.complete_user(*io, ok);
  --alive_;
}

sim::ValueTask<bool> Raid5::read_piece(uint64_t row, int index, uint64_t dev, uint64_t n,
                                       uint64_t* out) {
  const int slot = geo().r5_data_slot(row, index);
  if (slot_readable(slot, dev, n)) {
    const int m = slot_member(slot);
    disk::IoResult r = co_await md_.member_io(m, data_req(disk::IoOp::read, dev, n, disk::IoClass::read));
    if (r.ok()) {
      std::copy(r.words.begin(), r.words.end(), out);
      co_return true;
    }
    if (r.status != disk::IoStatus::media_error) {
      md_.md_error(m);
    } else if (++md_.members_[m].read_errors > md_.config_.max_corrected_read_errors) {
      md_.md_error(m);
    }
  }
  co_await get_entry();
  co_await lock_row(row);
  const bool ok = co_await reconstruct(row, slot, dev, n, out);
  unlock_row(row);
  co_return ok;
}

sim::ValueTask<bool> Raid5::reconstruct(uint64_t row, int slot, uint64_t dev, uint64_t n,
                                        uint64_t* out) {
  // XOR of every other member of the row (data and parity); the caller
  // holds the row lock.
  SIM_ASSERT(busy_rows_.count(row) == 1);
  stats_.reconstruct_reads++;
  std::vector<Op> reads;
  for (int sl = 0; sl < geo().raid_disks; ++sl) {
    if (sl == slot) continue;
    if (!slot_readable(sl, dev, n)) co_return false;
    reads.push_back(Op{slot_member(sl), data_req(disk::IoOp::read, dev, n, disk::IoClass::read), {}});
  }
  co_await run_all(reads);
  std::fill(out, out + n, 0);
  for (Op& op : reads) {
    if (!op.res.ok()) {
      if (op.res.status != disk::IoStatus::media_error) md_.md_error(op.member);
      co_return false;
    }
    for (uint64_t i = 0; i < n; ++i) out[i] ^= op.res.words[i];
  }
  // Write the rebuilt block back to a member that is still there (read-error
  // repair); counted as corrected when it reads back right.
  const int m = slot_member(slot);
  // Not over a recorded bad block: that block is known lost (not a read error).
  if (m >= 0 && md_.members_[m].in_sync && !has_badblock(m, dev, n)) {
    disk::IoRequest wr = data_req(disk::IoOp::write, dev, n, disk::IoClass::resync);
    wr.payload.stamps.assign(out, out + n);
    disk::IoResult w = co_await md_.member_io(m, std::move(wr));
    if (w.ok()) {
      md_.members_[m].corrected_read_errors++;
      md_.counters_.corrected_read_errors++;
    } else {
      record_write_error(m, dev, n);  // R5_ReWrite failed: R5_WriteError path
    }
  }
  co_return true;
}

}  // namespace mdsim::md
