// Completion side of Disk::Impl: effects of a finished request on the images,
// the volatile cache and its destaging, counters and trace.
#include <algorithm>
#include <utility>

#include "model/disk/disk_impl.h"

namespace mdsim::disk {

namespace {

bool overlaps_any(const std::vector<SectorRange>& ranges, SectorRange r) {
  for (const SectorRange& x : ranges) {
    if (x.overlaps(r)) return true;
  }
  return false;
}

}  // namespace

IoStatus Disk::Impl::fault_status(const Request& r) {
  if (missing) return IoStatus::device_missing;
  if (failed) return IoStatus::device_failed;
  const IoRequest& q = r.req;
  const SectorRange range{q.sector, q.count};
  if (q.op == IoOp::read) return bad.any(range) ? IoStatus::media_error : IoStatus::ok;
  if (q.op == IoOp::write || q.op == IoOp::discard) {
    if (overlaps_any(write_errors, range)) return IoStatus::media_error;
    if (bad.empty()) return IoStatus::ok;  // the common case: no map lookups
    if (bad.any_sticky(range)) return IoStatus::media_error;
    bad.repair(range);  // dm-dust: a write remaps a (non-sticky) bad block
  }
  return IoStatus::ok;
}

void Disk::Impl::complete(RequestPtr r) {
  SIM_ASSERT(active > 0);
  --active;
  catch_up();  // write-back due by now happened first
  IoResult res;
  res.status = fault_status(*r);
  if (r->write) {
    const size_t i = r->flight_index;
    SIM_ASSERT(i < in_flight.size() && in_flight[i] == r);
    in_flight[i] = in_flight.back();
    in_flight[i]->flight_index = i;
    in_flight.pop_back();
  }
  if (res.ok()) {
    switch (r->req.op) {
      case IoOp::read:
        complete_read(*r, res);
        break;
      case IoOp::write:
      case IoOp::discard:
        complete_write(*r);
        break;
      case IoOp::flush:
        destage_through(r->cutoff_seq, r->id);
        break;
    }
  }
  account(*r, res);
  const int64_t lat_ns = (sim.now() - r->submitted_at).count_ns();
  sim.trace().record(sim.now(), kTraceDiskComplete, actor, r->id, static_cast<uint64_t>(res.status),
                     static_cast<uint64_t>(lat_ns), trace_op(r->req));
  while (active < cfg.queue_depth && !waiting.empty()) {
    RequestPtr next = waiting.front();
    waiting.pop_front();
    start(next);
  }
  Done done = std::move(r->done);
  free_request(r);
  done(std::move(res));
}

void Disk::Impl::complete_read(const Request& r, IoResult& res) const {
  const uint64_t n = r.req.count.value();
  res.words.resize(n);
  const DiskImage& view = read_view();
  view.words(r.req.sector, n, res.words.data());
  if (!r.req.want_bytes) return;
  res.bytes.resize(r.req.count.bytes());
  for (uint64_t i = 0; i < n; ++i) {
    view.render(r.req.sector + SectorCount(i), res.bytes.data() + i * kSectorBytes);
  }
}

void Disk::Impl::complete_write(Request& r) {
  if (r.req.preflush) destage_through(r.cutoff_seq, r.id);
  // The request's write may be shared with an earlier capture(); those must
  // keep seeing it as in flight, so completion data goes into a copy then.
  std::shared_ptr<PendingWrite> w = std::move(r.write);
  if (w.use_count() != 1) w = std::make_shared<PendingWrite>(*w);
  w->completion_seq = ++last_completion_seq;
  w->completed_at = sim.now();
  write_to_view(*w);
  const bool to_media = cfg.cache == CacheMode::write_through || (r.req.fua && !w->discard);
  if (to_media) {
    w->apply(media);
    supersede_cached(w->range());
    recycle(w);
    return;
  }
  cached_bytes += w->count.bytes();
  cache.push_back(std::move(w));
  arm_destage();
}

// A write that reached media directly overtakes older cached writes of the same
// sectors: the device never writes the stale cached copy over it.
void Disk::Impl::supersede_cached(SectorRange range) {
  for (auto& entry : cache) {
    if (!entry->range().overlaps(range)) continue;
    if (entry.use_count() != 1) entry = std::make_shared<PendingWrite>(*entry);
    PendingWrite& e = *entry;
    if (e.superseded.empty()) e.superseded.assign(e.count.value(), 0);
    const uint64_t lo = std::max(e.sector.value(), range.start.value());
    const uint64_t hi = std::min(e.range().end().value(), range.end().value());
    for (uint64_t s = lo; s < hi; ++s) e.superseded[s - e.sector.value()] = 1;
  }
}

void Disk::Impl::destage_front() {
  SIM_ASSERT(!cache.empty());
  // Destaging runs in completion order: warm the media path of a later write.
  constexpr size_t kPrefetchAhead = 8;
  if (cache.size() > 2 * kPrefetchAhead) media.prefetch(cache[2 * kPrefetchAhead]->sector, false);
  if (cache.size() > kPrefetchAhead) media.prefetch(cache[kPrefetchAhead]->sector, true);
  std::shared_ptr<PendingWrite> w = std::move(cache.front());
  cache.pop_front();
  w->apply(media);
  SIM_ASSERT(cached_bytes >= w->count.bytes());
  cached_bytes -= w->count.bytes();
  recycle(w);
  // With nothing cached the two images hold the same contents (invariant 2):
  // share one tree, so memory is one tree plus what the cache changes.
  if (cache.empty()) {
    SIM_ASSERT(cached_bytes == 0);
    if (view_live) media = current;
  }
}

const DiskImage& Disk::Impl::read_view() const {
  if (!view_live) {
    current = media;
    for (const auto& w : cache) w->apply(current);
    view_live = true;
  }
  writes_unviewed = 0;
  return current;
}

void Disk::Impl::write_to_view(const PendingWrite& w) {
  if (!view_live) return;
  if (++writes_unviewed > cache.size() + kViewIdleWrites) {
    current = DiskImage();  // frees the view's own nodes; media keeps its tree
    view_live = false;
    return;
  }
  w.apply(current);
}

void Disk::Impl::destage_through(uint64_t seq, uint64_t request_id) {
  uint64_t writes = 0;
  uint64_t bytes = 0;
  while (!cache.empty() && cache.front()->completion_seq <= seq) {
    ++writes;
    bytes += cache.front()->count.bytes();
    destage_front();
  }
  sim.trace().record(sim.now(), kTraceDiskFlush, actor, request_id, writes, bytes);
  // The chain now ends at its next instant: the timer must not outlive it.
  if (cache.empty() && destage_pending && destage_timer_at != destage_due) {
    sim.cancel(destage_timer);
    arm_destage_timer();
  }
}

// Background write-back (see Impl::destage_pending): each cached write reaches
// media destage_delay_ns after it completed, in completion order (so media
// always holds a prefix). A write entering the cache with no instant ahead
// starts the chain at its own due instant.
void Disk::Impl::arm_destage() {
  // While the chain has an instant ahead its timer is pending (invariant).
  if (destage_pending || cfg.destage_delay_ns == 0 || cache.empty()) return;
  destage_pending = true;
  destage_due = due_of(*cache.front());
  // The timer of a chain that just ended may still be due at this instant.
  if (!sim.pending(destage_timer)) arm_destage_timer();
}

// The last instant the chain reaches for sure: the due instant of the newest
// cached write (every cached write gets its own instant), else the next one.
void Disk::Impl::arm_destage_timer() {
  SIM_ASSERT(destage_pending);
  destage_timer_at = cache.empty() ? destage_due : std::max(destage_due, due_of(*cache.back()));
  destage_timer = sim.schedule_at(destage_timer_at, [this] { on_destage_timer(); });
}

void Disk::Impl::catch_up_slow() {
  // Every instant of the chain up to now destages the writes due by it; the
  // writes due by now are exactly what they destage together (cached writes are
  // due in completion order, and each has an instant no later than its due).
  const sim::Instant now = sim.now();
  while (!cache.empty() && due_of(*cache.front()) <= now) destage_front();
  destage_pending = !cache.empty();
  if (destage_pending) destage_due = due_of(*cache.front());
}

void Disk::Impl::on_destage_timer() {
  destage_timer = sim::EventId();
  catch_up();
  if (destage_pending) arm_destage_timer();
}

void Disk::Impl::account(const Request& r, const IoResult& res) {
  DiskCounters& c = disk.counters_;
  const IoRequest& q = r.req;
  const auto cls = static_cast<size_t>(q.io_class);
  if (!res.ok()) ++c.errors;
  if (q.preflush || q.op == IoOp::flush) ++c.flushes;
  switch (q.op) {
    case IoOp::read:
      ++c.reads[cls].requests;
      c.reads[cls].bytes += q.count.bytes();
      break;
    case IoOp::write:
      ++c.writes[cls].requests;
      c.writes[cls].bytes += q.count.bytes();
      if (q.fua) ++c.fua_writes;
      break;
    case IoOp::discard:
      ++c.discards;
      break;
    case IoOp::flush:
      break;
  }
}

}  // namespace mdsim::disk
