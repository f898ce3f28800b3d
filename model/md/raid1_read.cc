// raid1 read path: raid1_read_request, read_balance, raid1_end_read_request,
// handle_read_error / fix_read_error / exceed_read_errors.
#include <algorithm>

#include "model/md/raid1.h"
#include "sim/assert.h"

namespace mdsim::md {

int Raid1::read_balance(Sector s, SectorCount n, int exclude) const {
  // While a resync is in progress and the range is not yet synced, read the
  // first readable mirror (raid1_should_read_first). Otherwise prefer
  // non-write-mostly mirrors without bad blocks, with the fewest requests in
  // flight (choose_best_rdev for non-rotational members); ties: lowest index.
  const bool read_first = md_.resync_offset_ < s + n;
  int best = -1;
  int fallback = -1;  // write-mostly
  for (const Member& m : md_.members_) {
    if (m.index == exclude || !m.readable(s, n)) continue;
    if (m.badblocks.overlaps(s, n)) continue;
    if (read_first && m.in_sync) return m.index;
    if (m.write_mostly) {
      if (fallback < 0) fallback = m.index;
      continue;
    }
    if (best < 0 || m.nr_pending < md_.members_[best].nr_pending) best = m.index;
  }
  return best >= 0 ? best : fallback;
}

sim::Task Raid1::read_request(std::unique_ptr<MasterIo> io) {
  const Sector s = io->io.sector;
  co_await barrier_.wait_read_barrier(s);
  R1Bio* r1 = live_bios_.make();
  ++r1bios_;
  r1->master = std::move(io);
  r1->sector = s;
  r1->count = r1->master->io.count;
  r1->read_disk = read_balance(s, r1->count, -1);
  if (r1->read_disk >= 0 && md_.members_[r1->read_disk].write_mostly) {
    // wait_behind_writes: a write-mostly copy may still be behind.
    while (behind_writes_ > 0) co_await behind_wq_.wait();
  }
  submit_read(r1);
}

void Raid1::submit_read(R1Bio* r1) {
  if (r1->read_disk < 0) {
    barrier_.allow_barrier(r1->sector);
    md_.complete_user(*r1->master, false);
    --r1bios_;
    live_bios_.done(r1);
    return;
  }
  disk::IoRequest req;
  req.op = disk::IoOp::read;
  req.sector = md_.data_offset() + SectorCount(r1->sector.value());
  req.count = r1->count;
  req.io_class = disk::IoClass::read;
  md_.submit_member(r1->read_disk, std::move(req), [this, r1](disk::IoResult r) {
    if (r.ok()) {
      r1->master->result.words = std::move(r.words);
      barrier_.allow_barrier(r1->sector);
      md_.complete_user(*r1->master, true);
      --r1bios_;
      live_bios_.done(r1);
      return;
    }
    // raid1_end_read_request: R1BIO_ReadError, handled by raid1d.
    barrier_.queued(r1->sector, +1);
    retry_list_.push_back(r1);
    raid1d_wq_.wake_all();
  });
}

bool Raid1::exceed_read_errors(int member) {
  // check_decay_read_errors: halve the count for every hour since the last.
  Member& m = md_.members_.at(member);
  const sim::Instant now = md_.sim_.now();
  if (m.had_read_error) {
    const int64_t hours = (now - m.last_read_error).count_ns() / sim::Duration::s(3600).count_ns();
    m.read_errors = hours >= 32 ? 0 : m.read_errors >> hours;
  }
  m.had_read_error = true;
  m.last_read_error = now;
  ++m.read_errors;
  if (m.read_errors > md_.config_.max_corrected_read_errors) {
    md_.md_error(member);
    return true;
  }
  return false;
}

sim::Task Raid1::fix_read_error(R1Bio* r1) {
  // Page by page: read a good copy from another mirror, write it back to the
  // failed mirror, read it again to verify. No good copy: a bad block.
  const int bad = r1->read_disk;
  constexpr uint64_t kPage = 8;
  for (uint64_t off = 0; off < r1->count.value(); off += kPage) {
    const Sector s = r1->sector + SectorCount(off);
    const SectorCount n(std::min<uint64_t>(kPage, r1->count.value() - off));
    const Sector dev = md_.data_offset() + SectorCount(s.value());
    std::vector<uint64_t> good;
    bool found = false;
    for (const Member& m : md_.members_) {
      if (m.index == bad || !m.in_sync || !m.writable()) continue;
      disk::IoRequest rd;
      rd.op = disk::IoOp::read;
      rd.sector = dev;
      rd.count = n;
      rd.io_class = disk::IoClass::read;
      disk::IoResult r = co_await md_.member_io(m.index, std::move(rd));
      if (r.ok()) {
        good = std::move(r.words);
        found = true;
        break;
      }
    }
    Member& bm = md_.members_.at(bad);
    if (!found) {
      if (!bm.badblocks.set(s, n)) md_.md_error(bad);
      else md_.set_sb_change(false);
      continue;
    }
    if (bm.faulty) co_return;
    // The repair copy is not new user data: classed as resync (no intent needed).
    disk::IoRequest wr;
    wr.sector = dev;
    wr.count = n;
    wr.io_class = disk::IoClass::resync;
    wr.payload.stamps = good;
    disk::IoResult w = co_await md_.member_io(bad, std::move(wr));
    disk::IoRequest ver;
    ver.op = disk::IoOp::read;
    ver.sector = dev;
    ver.count = n;
    ver.io_class = disk::IoClass::read;
    disk::IoResult v = co_await md_.member_io(bad, std::move(ver));
    if (w.ok() && v.ok() && v.words == good) {
      ++bm.corrected_read_errors;
      md_.counters_.corrected_read_errors++;
    } else if (!bm.badblocks.set(s, n)) {
      md_.md_error(bad);
    } else {
      md_.set_sb_change(false);
    }
  }
}

sim::Task Raid1::handle_read_error(R1Bio* r1) {
  // freeze_array(1): the failing read still holds its barrier reference.
  co_await barrier_.freeze_array(1);
  const int bad = r1->read_disk;
  if (!exceed_read_errors(bad)) co_await fix_read_error(r1);
  barrier_.unfreeze_array();
  // Retry on the best mirror now (the fixed one may serve it again).
  r1->read_disk = read_balance(r1->sector, r1->count, md_.members_[bad].faulty ? bad : -1);
  submit_read(r1);
}

}  // namespace mdsim::md
