#include "model/disk/disk_impl.h"

#include <algorithm>
#include <utility>

namespace mdsim::disk {

namespace {

int64_t kib_of(SectorCount n) { return static_cast<int64_t>((n.bytes() + 1023) / 1024); }

// Restores the min-heap on (free instant, index) of the service channels after
// the top's instant grew (binary heap, the layout std::push_heap uses). The
// order is total (indices differ), so the next top is the same whatever the
// heap's shape.
void sink_channel_top(std::vector<std::pair<sim::Instant, uint32_t>>& heap) {
  const size_t n = heap.size();
  const auto item = heap[0];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && heap[c + 1] < heap[c]) ++c;
    if (!(heap[c] < item)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = item;
}

}  // namespace

// ---- BadRanges ----

void BadRanges::cut(uint64_t start, uint64_t end, bool keep_sticky) {
  auto it = map_.upper_bound(start);
  if (it != map_.begin()) --it;
  while (it != map_.end() && it->first < end) {
    const uint64_t s = it->first;
    const Span span = it->second;
    if (span.end <= start || (keep_sticky && span.sticky)) {
      ++it;
      continue;
    }
    it = map_.erase(it);
    if (s < start) map_.emplace(s, Span{start, span.sticky});
    if (span.end > end) it = map_.emplace(end, Span{span.end, span.sticky}).first;
  }
}

void BadRanges::add(SectorRange r, bool sticky) {
  if (r.empty()) return;
  cut(r.start.value(), r.end().value(), false);
  map_.emplace(r.start.value(), Span{r.end().value(), sticky});
}

bool BadRanges::any(SectorRange r) const {
  auto it = map_.upper_bound(r.start.value());
  if (it != map_.begin()) --it;
  for (; it != map_.end() && it->first < r.end().value(); ++it) {
    if (it->second.end > r.start.value()) return true;
  }
  return false;
}

bool BadRanges::any_sticky(SectorRange r) const {
  auto it = map_.upper_bound(r.start.value());
  if (it != map_.begin()) --it;
  for (; it != map_.end() && it->first < r.end().value(); ++it) {
    if (it->second.end > r.start.value() && it->second.sticky) return true;
  }
  return false;
}

void BadRanges::repair(SectorRange r) { cut(r.start.value(), r.end().value(), true); }

// ---- Disk::Impl ----

Disk::Impl::Impl(Disk& d, const DiskImage& image)
    : disk(d),
      sim(d.sim_),
      cfg(d.config_),
      spec(latency_spec(d.config_.profile)),
      rng(d.sim_.stream("disk:" + d.name_).derive(d.config_.seed)),
      actor(d.sim_.trace().add_actor(d.name_)),
      media(image),
      current(image),
      channel_free() {
  SIM_ASSERT(spec.channels >= 1);
  for (uint32_t i = 0; i < spec.channels; ++i) channel_free.emplace_back(sim::Instant::zero(), i);
  SIM_ASSERT(media.same_tree(current));
}

void Disk::Impl::validate(const IoRequest& req) const {
  if (req.op == IoOp::flush) return;
  const uint64_t block = cfg.logical_block_bytes / kSectorBytes;
  SIM_ASSERT(req.count.value() > 0);
  SIM_ASSERT(req.sector.value() + req.count.value() <= cfg.capacity.value());
  SIM_ASSERT_MSG(req.sector.value() % block == 0, "request not aligned to the logical block");
  SIM_ASSERT_MSG(req.count.value() % block == 0, "request not a whole number of logical blocks");
  if (req.op != IoOp::write) return;
  const bool stamps = req.payload.stamps.size() == req.count.value();
  const bool bytes = req.payload.bytes.size() == req.count.bytes();
  SIM_ASSERT_MSG(stamps != bytes, "write payload must be stamps or bytes, matching count");
}

void Disk::Impl::recycle(std::shared_ptr<PendingWrite>& w) {
  if (w.use_count() != 1 || free_writes.size() >= kFreeWritesMax) {
    w.reset();
    return;
  }
  // Reset field by field to the state of PendingWrite{}: the vectors keep
  // their capacity (the next write of the same size reuses the words; a vector
  // allocation per member write otherwise), and no whole record is built and
  // move-assigned per destaged write. The size check fails when a field is
  // added: reset it here too.
  static_assert(sizeof(PendingWrite) == 136, "reset every PendingWrite field below");
  PendingWrite& p = *w;
  p.id = 0;
  p.sector = Sector{};
  p.count = SectorCount{};
  p.io_class = IoClass::data;
  p.fua = false;
  p.discard = false;
  p.submitted_at = sim::Instant{};
  p.completed_at = sim::Instant{};
  p.completion_seq = 0;
  p.preflush_cutoff_seq = 0;
  p.words.clear();
  p.bytes.clear();
  p.superseded.clear();
  free_writes.push_back(std::move(w));
}

std::shared_ptr<Disk::PendingWrite> Disk::Impl::make_pending(Request& r) {
  std::shared_ptr<PendingWrite> w;
  if (free_writes.empty()) {
    w = std::make_shared<PendingWrite>();
  } else {
    w = std::move(free_writes.back());
    free_writes.pop_back();
  }
  w->id = r.id;
  w->sector = r.req.sector;
  w->count = r.req.count;
  w->io_class = r.req.io_class;
  w->fua = r.req.fua;
  w->discard = r.req.op == IoOp::discard;
  w->submitted_at = r.submitted_at;
  const uint64_t n = r.req.count.value();
  if (w->discard) {
    w->words.assign(n, 0);
  } else if (!r.req.payload.stamps.empty()) {
    const Stamps& st = r.req.payload.stamps;
    w->words.assign(st.begin(), st.end());  // into the recycled capacity
  } else {
    w->words.resize(n);
    w->bytes.resize(n);
    for (uint64_t i = 0; i < n; ++i) {
      const uint8_t* src = r.req.payload.bytes.data() + i * kSectorBytes;
      w->words[i] = content_word_of_bytes(src);
      if (w->words[i] == 0) continue;  // all zero: stored like never written
      auto sb = std::make_shared<SectorBytes>();
      std::copy(src, src + kSectorBytes, sb->b.begin());
      w->bytes[i] = std::move(sb);
    }
  }
  return w;
}

Disk::Impl::RequestPtr Disk::Impl::new_request() {
  if (free_requests.empty()) return &slab.emplace_back();
  RequestPtr r = free_requests.back();
  free_requests.pop_back();
  return r;
}

void Disk::Impl::free_request(RequestPtr r) {
  // Writes gave their payload to the pending write at submit, so this
  // normally frees nothing; the request itself is overwritten at reuse.
  if (!r->req.payload.stamps.empty() || !r->req.payload.bytes.empty()) r->req.payload = Payload{};
  r->done = nullptr;
  r->cutoff_seq = 0;
  r->write.reset();
  free_requests.push_back(r);
}

void Disk::Impl::submit_native(IoRequest&& req, Done&& done) {
  RequestPtr r = new_request();
  r->id = next_id++;
  r->submitted_at = sim.now();
  r->req = std::move(req);
  r->done = std::move(done);
  if (r->req.op == IoOp::flush || r->req.preflush) r->cutoff_seq = last_completion_seq;
  if (r->req.op == IoOp::write || r->req.op == IoOp::discard) {
    r->write = make_pending(*r);
    if (r->req.preflush) r->write->preflush_cutoff_seq = r->cutoff_seq;
    // The words now live in the pending write (inline stamps need no freeing).
    r->req.payload.stamps.resize(0);
    if (!r->req.payload.bytes.empty()) std::vector<uint8_t>().swap(r->req.payload.bytes);
  }
  const IoRequest& q = r->req;
  // Applied to the read view at completion, ~queue depth IOs later.
  if (r->write && view_live) current.prefetch(q.sector);
  sim.trace().record(sim.now(), kTraceDiskSubmit, actor, r->id, q.sector.value(), q.count.value(),
                     trace_op(q));
  if (active < cfg.queue_depth) {
    start(r);
  } else {
    SIM_ASSERT(waiting.size() < kWaitingRequestsMax);
    waiting.push_back(r);
  }
}

// Without FUA support the block layer (blk-flush) turns PREFLUSH|FUA into
// PREFLUSH (a flush request), the plain write, then POSTFLUSH (a flush request).
void Disk::Impl::submit_emulated(IoRequest req, Done done) {
  struct Chain {
    IoRequest write;
    Done done;
    bool postflush;
  };
  const bool preflush = req.preflush;
  auto chain = std::make_shared<Chain>();
  chain->postflush = req.fua;
  chain->write = std::move(req);
  chain->write.fua = false;
  chain->write.preflush = false;
  chain->done = std::move(done);
  IoRequest flush;
  flush.op = IoOp::flush;
  flush.io_class = chain->write.io_class;
  auto after_write = [this, chain, flush](IoResult wr) {
    if (!wr.ok() || !chain->postflush) return chain->done(std::move(wr));
    submit_native(IoRequest(flush), [chain](IoResult fr) { chain->done(std::move(fr)); });
  };
  auto do_write = [this, chain, after_write] {
    submit_native(IoRequest(chain->write), after_write);
  };
  if (!preflush) return do_write();
  submit_native(std::move(flush), [chain, do_write](IoResult fr) {
    if (!fr.ok()) return chain->done(std::move(fr));
    do_write();
  });
}

void Disk::Impl::start(RequestPtr r) {
  SIM_ASSERT(active < cfg.queue_depth);
  ++active;
  if (r->write) {
    // Requests start in submission (id) order: the host FIFO only holds
    // requests while the device queue is full (invariant 4).
    r->flight_index = in_flight.size();
    in_flight.push_back(r);
  }
  const sim::Duration lat = service_time(*r);
  // The channel that frees first, lowest index on ties (as a scan would pick):
  // the heap's top; it frees later now, so it sinks (one pass, not pop + push).
  auto& top = channel_free.front();
  const sim::Instant begin = std::max(sim.now(), top.first);
  const sim::Instant end = begin + lat;
  top.first = end;
  sink_channel_top(channel_free);
  sim.schedule_at(end, [this, r] { complete(r); });
}

sim::Duration Disk::Impl::service_time(const Request& r) {
  const IoRequest& q = r.req;
  const bool through = cfg.cache == CacheMode::write_through;
  int64_t ns = 0;
  if (q.op == IoOp::flush || q.preflush) {
    catch_up();  // the dirty cache as of now
    if (!through) {
      ns += spec.flush_base_ns +
            static_cast<int64_t>(cache.size()) * spec.flush_ns_per_dirty_write +
            static_cast<int64_t>((cached_bytes + 1023) / 1024) * spec.media_ns_per_kib;
    } else {
      ns += spec.flush_base_ns;
    }
  }
  if (q.op == IoOp::read) {
    ns += spec.read_ns + kib_of(q.count) * spec.transfer_ns_per_kib;
    ns += access_time(spec, head, q.sector, cfg.capacity, rng).count_ns();
    head = q.sector + q.count;
  } else if (q.op == IoOp::discard) {
    ns += spec.write_cache_ns;  // no data transfer
  } else if (q.op == IoOp::write) {
    ns += spec.write_cache_ns + kib_of(q.count) * spec.transfer_ns_per_kib;
    if (q.fua || through) {
      ns += spec.media_program_ns + kib_of(q.count) * spec.media_ns_per_kib;
      ns += access_time(spec, head, q.sector, cfg.capacity, rng).count_ns();
      head = q.sector + q.count;
    }
  }
  sim::Duration d = with_jitter(spec, sim::Duration::ns(ns), rng) * slow_factor;
  for (const Spike& s : spikes) {
    if (s.from <= sim.now() && sim.now() < s.to) d += s.extra;
  }
  return d;
}

}  // namespace mdsim::disk
