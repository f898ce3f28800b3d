#include "model/md/llbitmap.h"

#include <algorithm>

namespace mdsim::md {

using llb::Action;
using llb::State;

namespace {
constexpr uint8_t B(State s) { return static_cast<uint8_t>(s); }
}  // namespace

struct Llbitmap::PageCtl {
  explicit PageCtl(sim::Simulator& sim, uint32_t blocks) : dirty_blocks(blocks, false), wq(sim) {}
  sim::Instant expire = sim::Instant::max();
  bool flush = false;   // LLPageFlush
  bool dirty = false;   // LLPageDirty
  std::vector<bool> dirty_blocks;
  int active = 0;       // raised barriers (the percpu ref)
  bool suspended = false;  // percpu_ref killed by the daemon
  sim::WaitQueue wq;
};

Llbitmap::Llbitmap(IntentHost& host, const IntentOptions& opts)
    : host_(host),
      opts_(opts),
      daemon_sleep_(sim::Duration::s(opts.daemon_sleep_s > 0 ? opts.daemon_sleep_s
                                                             : llb::kDefaultDaemonSleepS)),
      barrier_idle_(sim::Duration::s(opts.barrier_idle_s >= 0 ? opts.barrier_idle_s
                                                              : llb::kDefaultBarrierIdleS)),
      commit_(host.sim()) {}

Llbitmap::~Llbitmap() = default;

void Llbitmap::init_geometry(SectorCount chunk) {
  io_size_ = host_.logical_block_bytes();
  SIM_ASSERT(io_size_ >= 512 && io_size_ <= llb::kPageBytes && llb::kPageBytes % io_size_ == 0);
  blocks_per_page_ = llb::kPageBytes / io_size_;
  chunk_ = chunk;
  chunks_ = llb::chunk_count(host_.sync_size(), chunk_);
  const uint32_t pages = llb::page_count(chunks_);
  cache_.assign(static_cast<size_t>(pages) * llb::kPageBytes, 0);
  pctl_.clear();
  for (uint32_t i = 0; i < pages; ++i)
    pctl_.push_back(std::make_unique<PageCtl>(host_.sim(), blocks_per_page_));
}

uint32_t Llbitmap::page_of(uint64_t chunk) const {
  return static_cast<uint32_t>((llb::kDataOffsetBytes + chunk) / llb::kPageBytes);
}

State Llbitmap::state(uint64_t chunk) const {
  SIM_ASSERT(chunk < chunks_);
  return static_cast<State>(byte_of(chunk));
}

uint64_t Llbitmap::count(State s) const {
  uint64_t n = 0;
  for (uint64_t c = 0; c < chunks_; ++c) n += byte_of(c) == B(s);
  return n;
}

bool Llbitmap::page_suspended(uint32_t page) const { return pctl_.at(page)->suspended; }

// llbitmap_infect_dirty_bits: every Unwritten/Clean/CleanUnwritten chunk of
// the block becomes Dirty (NeedSync on raid456). Walks only chunk bytes (never
// the superblock bytes of page 0, never past the last chunk: 3.8 row 17).
void Llbitmap::infect_block(uint32_t page, uint32_t block, uint64_t except_pos) {
  const bool r456 = host_.level() >= 4;
  const uint64_t first = static_cast<uint64_t>(page) * llb::kPageBytes + block * io_size_;
  const uint64_t lo = std::max<uint64_t>(first, llb::kDataOffsetBytes);
  const uint64_t hi = std::min<uint64_t>(first + io_size_, llb::kDataOffsetBytes + chunks_);
  for (uint64_t pos = lo; pos < hi; ++pos) {
    if (pos == except_pos) continue;
    uint8_t& b = cache_[pos];
    if (b == B(State::Unwritten)) b = r456 ? B(State::NeedSync) : B(State::Dirty);
    else if (b == B(State::Clean) || b == B(State::CleanUnwritten)) b = B(State::Dirty);
  }
}

// llbitmap_set_page_dirty: mark the chunk's io_size block for the next unplug,
// and infect the block on its second change within barrier_idle.
void Llbitmap::set_block_dirty(uint64_t chunk) {
  const uint64_t pos = llb::kDataOffsetBytes + chunk;
  const uint32_t page = static_cast<uint32_t>(pos / llb::kPageBytes);
  const uint32_t block = static_cast<uint32_t>((pos % llb::kPageBytes) / io_size_);
  PageCtl& pc = *pctl_[page];
  pc.dirty = true;
  const bool infect = byte_of(chunk) != B(State::NeedSyncUnwritten);
  const bool was_dirty = pc.dirty_blocks[block];
  pc.dirty_blocks[block] = true;
  if (!was_dirty) commit_.note_change();
  if (host_.degraded() || !infect) return;
  if (was_dirty) {
    infect_block(page, block, pos);
    return;
  }
  const uint64_t first = static_cast<uint64_t>(page) * llb::kPageBytes + block * io_size_;
  const uint64_t lo = std::max<uint64_t>(first, llb::kDataOffsetBytes);
  const uint64_t hi = std::min<uint64_t>(first + io_size_, llb::kDataOffsetBytes + chunks_);
  for (uint64_t p = lo; p < hi; ++p) {
    if (p != pos && (cache_[p] == B(State::Dirty) || cache_[p] == B(State::NeedSync))) {
      infect_block(page, block, pos);
      return;
    }
  }
}

// llbitmap_write: only transitions into Dirty/NeedSync(/NeedSyncUnwritten)
// dirty the block; Clean and the rest wait for another reason to be written.
void Llbitmap::write_state(uint64_t chunk, uint8_t st) {
  byte_of(chunk) = st;
  if (st == B(State::Dirty) || st == B(State::NeedSync) || st == B(State::NeedSyncUnwritten))
    set_block_dirty(chunk);
}

// llbitmap_state_machine over chunks [start, end]; returns the last new state
// (kNone if unchanged), meaningful for start == end.
llb::State Llbitmap::run(uint64_t start, uint64_t end, Action action) {
  uint8_t last = llb::kNone;
  bool need_resync = false;
  const llb::Context ctx{.degraded = host_.degraded(), .raid456 = host_.level() >= 4};
  end = std::min(end, chunks_ - 1);
  for (uint64_t c = start; c <= end && c < chunks_; ++c) {
    if (action == Action::Reload && byte_of(c) == B(State::Dirty) &&
        opts_.mutants.on(Mutant::llbitmap_reload_keeps_dirty))
      continue;
    llb::Outcome o = llb::apply_action(byte_of(c), action, ctx);
    need_resync |= o.need_resync || o.need_recovery;
    last = o.next;
    if (o.next == llb::kNone) continue;
    write_state(c, o.next);
    if (o.next == B(State::Dirty)) pending_timer_ = true;
  }
  if (need_resync) host_.request_resync();
  return static_cast<State>(last);
}

sim::Task Llbitmap::raise_barrier(uint32_t page) {
  PageCtl& pc = *pctl_[page];
  while (pc.suspended) co_await pc.wq.wait();
  ++pc.active;
  pc.expire = host_.sim().now() + barrier_idle_;
}

void Llbitmap::release_barrier(uint32_t page) {
  PageCtl& pc = *pctl_[page];
  SIM_ASSERT(pc.active > 0);
  if (--pc.active == 0 && pc.suspended) pc.wq.wake_all();
}

// llbitmap_start_write with the 7.0 fix (row 8): barrier first, then Startwrite.
sim::Task Llbitmap::start_write(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) co_return;  // row 20
  const uint64_t start = offset.value() / chunk_.value();
  const uint64_t end = (offset.value() + sectors.value() - 1) / chunk_.value();
  SIM_ASSERT(start < chunks_);
  const bool early = opts_.mutants.on(Mutant::llbitmap_transition_before_barrier);
  if (early) run(start, end, Action::Startwrite);  // the pre-7.0 order
  for (uint32_t p = page_of(start); p <= page_of(std::min(end, chunks_ - 1)); ++p)
    co_await raise_barrier(p);
  if (!early) run(start, end, Action::Startwrite);
}

void Llbitmap::end_write(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) return;
  const uint64_t start = offset.value() / chunk_.value();
  const uint64_t end = std::min((offset.value() + sectors.value() - 1) / chunk_.value(), chunks_ - 1);
  for (uint32_t p = page_of(start); p <= page_of(end); ++p) release_barrier(p);
}

// Discard only WHOLE chunks: start rounds up and the end rounds down to the
// last chunk the range covers entirely. (Rounding the last SECTOR down, as
// before, made a partly discarded last chunk Unwritten: its other sectors
// were then skipped by recovery, and a re-added member kept stale data there.
// Found by the clean-engine hunt; scenarios/regressions/llbitmap-discard-partial-last-chunk.json.)
bool Llbitmap::whole_chunks(Sector offset, SectorCount sectors, uint64_t& start, uint64_t& end) const {
  if (sectors.value() == 0) return false;
  start = (offset.value() + chunk_.value() - 1) / chunk_.value();
  const uint64_t past = (offset.value() + sectors.value()) / chunk_.value();  // first chunk not wholly covered
  if (past == 0 || start >= past || start >= chunks_) return false;
  end = std::min(past - 1, chunks_ - 1);
  return true;
}

sim::Task Llbitmap::start_discard(Sector offset, SectorCount sectors) {
  uint64_t start = 0, end = 0;
  if (!whole_chunks(offset, sectors, start, end)) co_return;
  for (uint32_t p = page_of(start); p <= page_of(end); ++p) co_await raise_barrier(p);
  run(start, end, Action::Discard);
}

void Llbitmap::end_discard(Sector offset, SectorCount sectors) {
  uint64_t start = 0, end = 0;
  if (!whole_chunks(offset, sectors, start, end)) return;
  for (uint32_t p = page_of(start); p <= page_of(end); ++p) release_barrier(p);
}

MetaWrite Llbitmap::block_write(uint32_t page, uint32_t block) const {
  const uint64_t at = static_cast<uint64_t>(page) * llb::kPageBytes + block * io_size_;
  MetaWrite w;
  w.offset = SectorCount::from_bytes(at);
  w.bytes.assign(cache_.begin() + static_cast<ptrdiff_t>(at),
                 cache_.begin() + static_cast<ptrdiff_t>(at + io_size_));
  return w;
}

// llbitmap_unplug_fn: write only the dirty io_size blocks of dirty pages, all
// under one plug, then wait. The snapshot is taken before the first suspension.
sim::Task Llbitmap::write_round() {
  std::vector<MetaWrite> writes;
  const uint64_t area_bytes = host_.intent_area_sectors().bytes();
  for (uint32_t i = 0; i < pctl_.size(); ++i) {
    PageCtl& pc = *pctl_[i];
    if (!pc.dirty) continue;
    pc.dirty = false;
    for (uint32_t b = 0; b < blocks_per_page_; ++b) {
      if (!pc.dirty_blocks[b]) continue;
      pc.dirty_blocks[b] = false;
      MetaWrite w = block_write(i, b);
      if (w.offset.bytes() + io_size_ <= area_bytes) writes.push_back(std::move(w));
    }
  }
  co_await write_batch(host_, std::move(writes), &media_);
}

sim::Task Llbitmap::unplug() { co_await commit_.sync([this] { return write_round(); }); }

// __llbitmap_flush (all = every block of every page) or the superblock blocks.
sim::Task Llbitmap::write_blocks(bool all) {
  const uint32_t sb_blocks = (llb::kDataOffsetBytes + io_size_ - 1) / io_size_;
  for (uint32_t i = 0; i < pctl_.size(); ++i) {
    if (!all && i > 0) break;
    PageCtl& pc = *pctl_[i];
    pc.dirty = true;
    for (uint32_t b = 0; b < (all || i > 0 ? blocks_per_page_ : sb_blocks); ++b)
      pc.dirty_blocks[b] = true;
  }
  commit_.note_change();
  co_await commit_.sync([this] { return write_round(); });
}

void Llbitmap::fill_superblock() {
  llb::Superblock sb;
  sb.uuid = host_.uuid();
  sb.events = host_.events();
  sb.sync_size_sectors = host_.sync_size().value();
  sb.state = flags_ & (llb::kStateStale);
  sb.chunk_sectors = static_cast<uint32_t>(chunk_.value());
  sb.daemon_sleep_s = static_cast<uint32_t>(daemon_sleep_.count_ns() / 1'000'000'000);
  sb.write_behind = opts_.write_behind;
  sb.sectors_reserved = static_cast<uint32_t>(host_.intent_area_sectors().value());
  llb::encode_superblock(sb, cache_);
}

sim::Task Llbitmap::create(bool assume_clean) {
  SectorCount chunk = opts_.chunk_bytes ? SectorCount::from_bytes(opts_.chunk_bytes)
                                        : llb::chunk_sectors_for(host_.sync_size(),
                                                                 host_.intent_area_sectors());
  // Keep the whole byte array inside the reservation (3.3 margin, documented).
  while (llb::kDataOffsetBytes + llb::chunk_count(host_.sync_size(), chunk) >
         host_.intent_area_sectors().bytes())
    chunk = chunk * 2;
  init_geometry(chunk);
  const uint8_t init = assume_clean ? B(State::Clean) : B(State::Unwritten);
  for (uint64_t c = 0; c < chunks_; ++c) byte_of(c) = init;
  flags_ = 0;
  fill_superblock();
  loaded_ = true;
  co_await write_blocks(true);
}

sim::Task Llbitmap::load(Sector resync_offset) {
  (void)resync_offset;  // llbitmap_load ignores it: the bytes say everything
  std::vector<uint8_t> head = co_await read_area(host_, SectorCount(0), SectorCount(2));
  SIM_ASSERT_MSG(!head.empty(), "llbitmap: read super block failed");
  llb::Superblock sb = llb::decode_superblock(head);
  auto err = llb::validate(sb, host_.uuid(), host_.sync_size(), host_.intent_area_sectors());
  SIM_ASSERT_MSG(!err, "llbitmap: " + err.value_or(""));
  flags_ = sb.state;
  if (flags_ & llb::kStateFirstUse) {
    flags_ &= ~llb::kStateFirstUse;
    co_await create((flags_ & llb::kStateClean) != 0);
    co_return;
  }
  init_geometry(SectorCount(sb.chunk_sectors));
  const uint64_t want = std::min<uint64_t>(cache_.size() / disk::kSectorBytes,
                                           host_.intent_area_sectors().value());
  std::vector<uint8_t> all = co_await read_area(host_, SectorCount(0), SectorCount(want));
  SIM_ASSERT_MSG(!all.empty(), "llbitmap: read bitmap pages failed");
  std::copy(all.begin(), all.end(), cache_.begin());
  media_.clear();
  media_.apply(SectorCount(0), all);
  if (sb.events < host_.events()) flags_ |= llb::kStateStale;  // out of date
  const Action action = (flags_ & llb::kStateStale) ? Action::Stale : Action::Reload;
  flags_ &= ~llb::kStateStale;
  loaded_ = true;
  const bool skip_reload = action == Action::Reload && opts_.mutants.on(Mutant::llbitmap_reload_keeps_dirty);
  if (chunks_ > 0 && !skip_reload) run(0, chunks_ - 1, action);
}

sim::Task Llbitmap::update_sb() {
  if (!loaded_) co_return;
  fill_superblock();
  co_await write_blocks(false);
}

// md_llbitmap_daemon_fn with the fixes of rows 4 (resume on timeout) and 12
// (clear the flush flag).
sim::Task Llbitmap::daemon_pass() {
  sim::Simulator& sim = host_.sim();
  for (uint32_t idx = 0; idx < pctl_.size(); ++idx) {
    PageCtl& pc = *pctl_[idx];
    if (!pc.flush && sim.now() < pc.expire) continue;
    pc.suspended = true;  // llbitmap_suspend_timeout
    const sim::Instant deadline = sim.now() + daemon_sleep_;
    const bool ignore = opts_.mutants.on(Mutant::llbitmap_daemon_ignores_barrier);
    while (!ignore && pc.active > 0 && sim.now() < deadline) co_await pc.wq.wait_for(deadline - sim.now());
    const bool drained = pc.active == 0 || ignore;
    if (drained && !host_.degraded()) {
      const uint64_t first = idx == 0 ? 0 : static_cast<uint64_t>(idx) * llb::kPageBytes - llb::kDataOffsetBytes;
      const uint64_t last = std::min<uint64_t>((idx + 1ull) * llb::kPageBytes - llb::kDataOffsetBytes, chunks_) - 1;
      run(first, last, Action::Daemon);
      pc.expire = sim::Instant::max();
      pc.flush = false;
    }
    pc.suspended = false;  // llbitmap_resume: resurrect in every case
    pc.wq.wake_all();
  }
  pending_timer_ = false;
}

sim::Task Llbitmap::daemon_work() {
  if (host_.degraded() || !loaded_) co_return;
  co_await daemon_pass();
}

sim::Task Llbitmap::flush() {
  if (!loaded_) co_return;
  for (auto& pc : pctl_) pc->flush = true;
  if (!host_.degraded()) co_await daemon_pass();
  fill_superblock();
  co_await write_blocks(true);
}

SyncAnswer Llbitmap::start_sync(Sector offset, bool degraded) {
  (void)degraded;  // the state machine reads the array's degraded state
  const uint64_t p = offset.value() / chunk_.value();
  SyncAnswer a{false, SectorCount(chunk_.value() - offset.value() % chunk_.value())};
  if (p >= chunks_) return a;
  State s = run(p, p, Action::Startsync);
  a.value = s == State::Syncing || s == State::SyncingUnwritten;
  return a;
}

void Llbitmap::end_sync(Sector offset, bool aborted) {
  if (!aborted) return;
  const uint64_t p = offset.value() / chunk_.value();
  if (p < chunks_) run(p, chunks_ - 1, Action::Abortsync);
}

void Llbitmap::close_sync() {
  for (auto& pc : pctl_) pc->expire = host_.sim().now();
  if (chunks_ > 0) run(0, chunks_ - 1, Action::Endsync);
}

// llbitmap_cond_end_sync with the 7.3 fix (row 14): only chunks wholly below
// `sector` end, and `force` is honoured.
sim::Task Llbitmap::cond_end_sync(Sector sector, bool force) {
  sim::Simulator& sim = host_.sim();
  if (sector.value() == 0) {
    last_end_sync_ = sim.now();
    co_return;
  }
  if (!force && sim.now() < last_end_sync_ + daemon_sleep_) co_return;
  uint64_t done = sector.value() / chunk_.value();
  if (opts_.mutants.on(Mutant::llbitmap_cond_end_sync_partial) && sector.value() % chunk_.value())
    ++done;  // the pre-7.3 rounding: the chunk holding the position ends too
  if (done > 0) run(0, done - 1, Action::Endsync);
  last_end_sync_ = sim.now();
  co_await write_blocks(true);
}

SyncAnswer Llbitmap::skip_sync_blocks(Sector offset) {
  const uint64_t p = offset.value() / chunk_.value();
  SyncAnswer a{false, SectorCount(chunk_.value() - offset.value() % chunk_.value())};
  if (p >= chunks_) return a;
  const uint8_t c = byte_of(p);
  if (c == B(State::Unwritten) || c == B(State::CleanUnwritten)) a.value = true;
  else if (host_.degraded()) a.value = false;
  else a.value = c == B(State::Clean) || c == B(State::Dirty);  // plain resync
  return a;
}

bool Llbitmap::blocks_synced(Sector offset) const {
  const uint64_t p = offset.value() / chunk_.value();
  if (p >= chunks_) return true;
  const uint8_t c = byte_of(p);
  return c == B(State::Clean) || c == B(State::Dirty) || c == B(State::CleanUnwritten);
}

bool Llbitmap::needs_sync() const {
  for (uint64_t c = 0; c < chunks_; ++c) {
    const uint8_t b = byte_of(c);
    if (b == B(State::NeedSync) || b == B(State::Syncing) || b == B(State::NeedSyncUnwritten) ||
        b == B(State::SyncingUnwritten))
      return true;
  }
  return false;
}

bool Llbitmap::can_partial_readd(uint64_t member_events) const {
  (void)member_events;  // degraded writes stay NeedSync until recovered
  return loaded_;
}

void Llbitmap::proactive_sync() {
  if (host_.level() >= 4 && chunks_ > 0) run(0, chunks_ - 1, Action::ProactiveSync);
}

bool Llbitmap::media_covers(int member, Sector offset, SectorCount sectors) const {
  (void)member;  // every write target receives the same block writes
  if (sectors.value() == 0) return true;
  const uint64_t start = offset.value() / chunk_.value();
  const uint64_t end = (offset.value() + sectors.value() - 1) / chunk_.value();
  for (uint64_t c = start; c <= end; ++c)
    if (!llb::covers_inflight_write(media_.byte(llb::kDataOffsetBytes + c))) return false;
  return true;
}

std::vector<SectorRange> Llbitmap::dirty_ranges() const {
  std::vector<SectorRange> out;
  for (uint64_t c = 0; c < chunks_; ++c) {
    const uint8_t b = byte_of(c);
    if (b == B(State::NeedSync) || b == B(State::Syncing) || b == B(State::NeedSyncUnwritten) ||
        b == B(State::SyncingUnwritten))
      append_chunk_range(out, c, c, chunk_, host_.sync_size());
  }
  return out;
}

std::string Llbitmap::describe_media(int member, Sector offset) const {
  const uint64_t c = offset.value() / chunk_.value();
  const uint8_t m = media_.byte(llb::kDataOffsetBytes + c);
  std::string s = "llbitmap member " + std::to_string(member) + " chunk " + std::to_string(c) +
                  " media=" + llb::state_name(static_cast<State>(m));
  if (c < chunks_) s += " memory=" + std::string(llb::state_name(state(c)));
  return s;
}

}  // namespace mdsim::md
