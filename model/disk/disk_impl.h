// Private state of a Disk (included by model/disk/*.cc only).
//
// Requests flow: submit -> (host FIFO while queue_depth requests are active)
// -> start: a service channel and a completion instant -> complete: effects
// on the images, counters, trace, then the caller's callback.
//
// Invariants:
//  (1) media = initial image + cached writes destaged in completion order +
//      writes that went to media directly (FUA, write-through);
//  (2) while view_live: current = media + every write still in `cache`,
//      applied in order (the read view); otherwise current is empty and the
//      view is rebuilt from media + cache on the next read or inspection;
//  (3) cache is ordered by completion_seq, strictly increasing;
//  (4) active <= queue_depth; waiting is non-empty only if active == queue_depth.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "model/disk/disk.h"
#include "model/disk/latency.h"

namespace mdsim::disk {

// Requests waiting in the host queue beyond queue_depth (a bug guard: md never
// has this many outstanding).
inline constexpr size_t kWaitingRequestsMax = size_t{1} << 22;

// Writes without a reader, beyond the cache size, after which the read view is
// dropped: a rebuild costs about cache.size() writes, so dropping after more
// than that many unread writes at most doubles the cost of keeping it.
inline constexpr uint64_t kViewIdleWrites = 256;

inline constexpr size_t kFreeWritesMax = 1024;

// Trace argument packing: op | flags << 8 | class << 16 (see disk.h).
inline uint64_t trace_op(const IoRequest& req) {
  const uint64_t flags = (req.fua ? kTraceFlagFua : 0) | (req.preflush ? kTraceFlagPreflush : 0);
  return static_cast<uint64_t>(req.op) | flags << 8 | static_cast<uint64_t>(req.io_class) << 16;
}

// Sectors that fail reads (dm-dust's bad block list), as disjoint intervals.
class BadRanges {
 public:
  void add(SectorRange r, bool sticky);
  bool any(SectorRange r) const;
  bool any_sticky(SectorRange r) const;
  // A write over the range remaps (repairs) its non-sticky bad sectors.
  void repair(SectorRange r);
  bool empty() const { return map_.empty(); }

 private:
  struct Span {
    uint64_t end;
    bool sticky;
  };
  void cut(uint64_t start, uint64_t end, bool keep_sticky);
  std::map<uint64_t, Span> map_;  // start -> span, disjoint
};

struct Disk::Impl {
  struct Request {
    uint64_t id = 0;
    IoRequest req;
    Done done;
    sim::Instant submitted_at;
    uint64_t cutoff_seq = 0;  // flush/PREFLUSH: cached writes up to here must reach media
    std::shared_ptr<PendingWrite> write;  // writes and discards
    size_t flight_index = 0;  // in in_flight, while a started write
  };
  // Requests are recycled through `free_requests` (a heap allocation per
  // request, and a shared_ptr in the completion event, were a measurable share
  // of the per-IO cost); `slab` owns every Request ever made.
  using RequestPtr = Request*;
  struct Spike {
    sim::Instant from, to;
    sim::Duration extra;
  };

  Impl(Disk& disk, const DiskImage& image);

  void validate(const IoRequest& req) const;
  // By rvalue reference: one request move less per member IO.
  void submit_native(IoRequest&& req, Done&& done);
  void submit_emulated(IoRequest req, Done done);
  RequestPtr new_request();
  void free_request(RequestPtr r);
  void start(RequestPtr r);
  sim::Duration service_time(const Request& r);
  void complete(RequestPtr r);
  IoStatus fault_status(const Request& r);
  void complete_read(const Request& r, IoResult& res) const;
  void complete_write(Request& r);
  void destage_through(uint64_t seq, uint64_t request_id);
  void destage_front();
  // Lazy background write-back (see the destage fields below): destages every
  // cached write due by now. Called before anything reads the cache or media.
  void catch_up() {
    if (destage_pending && destage_due <= sim.now()) catch_up_slow();
  }
  void catch_up_slow();
  sim::Instant due_of(const PendingWrite& w) const {
    return w.completed_at + sim::Duration::ns(cfg.destage_delay_ns);
  }
  void arm_destage();
  void arm_destage_timer();
  void on_destage_timer();
  void supersede_cached(SectorRange range);
  void account(const Request& r, const IoResult& res);
  std::shared_ptr<PendingWrite> make_pending(Request& r);  // takes the payload
  // A destaged write nobody else holds goes back to free_writes.
  void recycle(std::shared_ptr<PendingWrite>& w);
  // The read view (invariant 2), rebuilt from media + cache if it was dropped.
  const DiskImage& read_view() const;
  // A completed write reaches the read view, or the view is dropped after
  // enough writes without a reader (see kViewIdleWrites).
  void write_to_view(const PendingWrite& w);

  Disk& disk;
  sim::Simulator& sim;
  const DiskConfig& cfg;
  LatencySpec spec;
  sim::Prng rng;
  uint32_t actor;

  DiskImage media;
  // The read view is a second tree: keeping it costs one more random leaf
  // update per write (a cache miss on a large image). So the cache acts as an
  // overlay over media and the view is materialized only while reads or
  // inspection use it: dropped after cache.size() + kViewIdleWrites completed
  // writes without a reader, rebuilt on the next reader (cost: the cache).
  mutable DiskImage current;
  mutable bool view_live = true;
  mutable uint64_t writes_unviewed = 0;  // completed writes since the last reader
  std::deque<std::shared_ptr<PendingWrite>> cache;
  uint64_t cached_bytes = 0;
  // Started writes, at most queue_depth entries.
  // Unordered (removal swaps in the last entry, O(1)); Request::flight_index
  // is the position; capture() sorts by id. Plain pointers: the request
  // holds the write.
  std::vector<RequestPtr> in_flight;

  std::deque<Request> slab;
  std::vector<RequestPtr> free_requests;
  // Destaged writes not shared with a capture, reused by make_pending (one
  // allocation per member write less); at most kFreeWritesMax.
  std::vector<std::shared_ptr<PendingWrite>> free_writes;

  std::deque<RequestPtr> waiting;
  uint32_t active = 0;
  // Service channels as a min-heap of (free instant, index): start() takes the
  // one that frees first, the lowest index on ties (a scan over 32 nvme
  // channels per request was a visible cost).
  std::vector<std::pair<sim::Instant, uint32_t>> channel_free;
  Sector head;  // hdd arm position
  uint64_t next_id = 1;
  uint64_t last_completion_seq = 0;
  // Background write-back is evaluated lazily. The model: a chain of write-back
  // instants, each the due instant (completed_at + destage_delay_ns) of the
  // oldest cached write when the previous one passed (or when a write entered
  // an idle cache); at each, every write due by then reaches media. Instead of
  // one event per cached write, catch_up() applies the instants that passed
  // before anything observes the cache or media (an observer at a due instant
  // sees the write on media), and one real timer, at the last instant the chain
  // is sure to reach, keeps the simulation alive (and its clock moving) exactly
  // as long as the chain. Invariants: destage_pending iff the chain has an
  // instant ahead (always when the cache is non-empty and destage_delay_ns > 0);
  // destage_timer is pending whenever destage_pending, at destage_timer_at, an
  // instant the chain reaches (so the simulation ends when the chain does).
  bool destage_pending = false;
  sim::Instant destage_due;  // the chain's next instant, while destage_pending
  sim::EventId destage_timer;
  sim::Instant destage_timer_at;

  bool failed = false;
  bool missing = false;
  uint32_t slow_factor = 1;
  std::vector<Spike> spikes;
  BadRanges bad;
  std::vector<SectorRange> write_errors;
};

}  // namespace mdsim::disk
