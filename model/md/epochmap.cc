#include "model/md/epochmap.h"

#include <algorithm>

namespace mdsim::md {

Epochmap::Epochmap(IntentHost& host, const IntentOptions& opts)
    : host_(host),
      opts_(opts),
      daemon_sleep_(sim::Duration::s(opts.daemon_sleep_s > 0 ? opts.daemon_sleep_s
                                                             : epm::kDefaultDaemonSleepS)),
      clean_idle_(sim::Duration::s(opts.barrier_idle_s >= 0 ? opts.barrier_idle_s
                                                            : epm::kDefaultCleanIdleS)),
      commit_(host.sim()) {}

size_t Epochmap::bit_pos(uint64_t chunk) const {
  const uint64_t b = chunk / geo_.chunks_per_block, k = chunk % geo_.chunks_per_block;
  return static_cast<size_t>(b * geo_.io_size * 8 + epm::kHeaderBytes * 8 + k);
}
bool Epochmap::bit(const std::vector<uint8_t>& img, uint64_t chunk) const {
  if (chunk >= geo_.chunks) return false;
  const size_t p = bit_pos(chunk);
  return (img[p / 8] >> (p % 8)) & 1;
}
void Epochmap::set_bit(uint64_t chunk) {
  const size_t p = bit_pos(chunk);
  img_[p / 8] |= static_cast<uint8_t>(1u << (p % 8));
}

uint64_t Epochmap::dirty_chunks() const {
  uint64_t n = 0;
  for (uint64_t c = 0; c < geo_.chunks; ++c) n += bit(img_, c);
  return n;
}

bool Epochmap::block_has(const std::vector<uint8_t>& img, uint32_t b) const {
  const size_t lo = static_cast<size_t>(b) * geo_.io_size + epm::kHeaderBytes;
  const size_t hi = static_cast<size_t>(b + 1) * geo_.io_size;
  return std::any_of(img.begin() + static_cast<ptrdiff_t>(lo), img.begin() + static_cast<ptrdiff_t>(hi),
                     [](uint8_t v) { return v != 0; });
}

void Epochmap::clear_block(uint32_t b) {
  const size_t lo = static_cast<size_t>(b) * geo_.io_size + epm::kHeaderBytes;
  std::fill(img_.begin() + static_cast<ptrdiff_t>(lo),
            img_.begin() + static_cast<ptrdiff_t>(static_cast<size_t>(b + 1) * geo_.io_size), 0);
}

// Sets the chunk's bit; a second dirty chunk in the same group infects the
// group (not when degraded: only what is written is remembered for re-add).
void Epochmap::mark(uint64_t chunk) {
  const uint64_t g0 = chunk / geo_.group_chunks * geo_.group_chunks;
  const uint64_t g1 = std::min<uint64_t>(g0 + geo_.group_chunks, geo_.chunks);
  bool other = false;
  if (!host_.degraded())
    for (uint64_t c = g0; c < g1 && !other; ++c) other = c != chunk && bit(img_, c);
  if (other) {
    for (uint64_t c = g0; c < g1; ++c) set_bit(c);
  } else {
    set_bit(chunk);
  }
  ctl_[block_of(chunk)].mem_dirty = true;
  commit_.note_change();
}

void Epochmap::touch(Sector offset, SectorCount sectors, int delta) {
  const uint64_t c0 = offset.value() / geo_.chunk_sectors;
  const uint64_t c1 = std::min((offset.value() + sectors.value() - 1) / geo_.chunk_sectors, geo_.chunks - 1);
  for (uint32_t b = block_of(c0); b <= block_of(c1); ++b) {
    BlockCtl& k = ctl_[b];
    if (delta < 0) SIM_ASSERT(k.inflight > 0);
    k.inflight = static_cast<uint32_t>(static_cast<int64_t>(k.inflight) + delta);
    k.last_touch = host_.sim().now();
  }
}

sim::Task Epochmap::start_write(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) co_return;
  const uint64_t c0 = offset.value() / geo_.chunk_sectors;
  const uint64_t c1 = (offset.value() + sectors.value() - 1) / geo_.chunk_sectors;
  SIM_ASSERT(c1 < geo_.chunks);
  touch(offset, sectors, +1);
  last_start_marked_ = false;
  for (uint64_t c = c0; c <= c1; ++c) {
    if (bit(img_, c)) continue;
    if (c > c0 && opts_.mutants.on(Mutant::ours_marks_first_chunk_only)) continue;
    mark(c);
    last_start_marked_ = true;
  }
}

void Epochmap::end_write(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) return;
  touch(offset, sectors, -1);
}

sim::Task Epochmap::start_discard(Sector offset, SectorCount sectors) {
  co_await start_write(offset, sectors);
}
void Epochmap::end_discard(Sector offset, SectorCount sectors) { end_write(offset, sectors); }

// Every block changed since the last round, stamped with the current epoch;
// adjacent changed blocks go out as one request (each block is still
// self-describing, so a torn request leaves every block old or new).
sim::Task Epochmap::write_round() {
  std::vector<MetaWrite> writes;
  uint32_t prev = geo_.blocks;
  for (uint32_t b = 0; b < geo_.blocks; ++b) {
    if (!ctl_[b].mem_dirty) continue;
    ctl_[b].mem_dirty = false;
    uint8_t* p = &img_[static_cast<size_t>(b) * geo_.io_size];
    epm::stamp(p, tag_, cur_epoch_);
    if (prev + 1 == b && !writes.empty()) {
      writes.back().bytes.insert(writes.back().bytes.end(), p, p + geo_.io_size);
    } else {
      writes.push_back(MetaWrite{SectorCount(geo_.block_offset_sectors(b)),
                                 std::vector<uint8_t>(p, p + geo_.io_size)});
    }
    prev = b;
  }
  co_await write_batch(host_, std::move(writes), &media_);
}

sim::Task Epochmap::unplug() {
  // Mutant: an overwrite of a chunk already dirty in memory is taken as
  // covered, even while the block write that set it is still in flight.
  if (opts_.mutants.on(Mutant::ours_skip_intent_for_overwrite) && !last_start_marked_) co_return;
  co_await commit_.sync([this] { return write_round(); });
}

sim::Task Epochmap::write_superblock() {
  epm::Superblock sb;
  sb.uuid = host_.uuid();
  sb.events = host_.events();
  sb.events_cleared = events_cleared_;
  sb.sync_size_sectors = host_.sync_size().value();
  sb.io_size_bytes = geo_.io_size;
  sb.chunk_sectors = static_cast<uint32_t>(geo_.chunk_sectors);
  sb.group_chunks = geo_.group_chunks;
  sb.chunks_per_block = geo_.chunks_per_block;
  sb.blocks = geo_.blocks;
  sb.state = stale_ ? epm::kStateStale : 0;
  sb.clean_epoch = clean_epoch_;
  sb_dirty_ = false;
  std::vector<MetaWrite> w;
  w.push_back(MetaWrite{SectorCount(0), epm::encode_superblock(sb, geo_.io_size)});
  co_await write_batch(host_, std::move(w), &media_);
  media_clean_epoch_ = std::max(media_clean_epoch_, sb.clean_epoch);
}

sim::Task Epochmap::create(bool assume_clean) {
  geo_ = epm::plan(host_.sync_size(), host_.intent_area_sectors(), host_.logical_block_bytes(),
                   opts_.chunk_bytes);
  tag_ = epm::block_tag(host_.uuid());
  img_.assign(static_cast<size_t>(geo_.blocks) * geo_.io_size, 0);
  sync_img_ = img_;
  pass_img_ = img_;
  ctl_.assign(geo_.blocks, BlockCtl{});
  clean_epoch_ = media_clean_epoch_ = 0;
  cur_epoch_ = 1;
  events_cleared_ = host_.events();
  stale_ = !assume_clean;  // a full first sync, as the journal
  loaded_ = true;
  std::vector<MetaWrite> w;
  w.push_back(MetaWrite{SectorCount(geo_.block_offset_sectors(0)), img_});
  co_await write_batch(host_, std::move(w), &media_);
  co_await write_superblock();
}

sim::Task Epochmap::load(Sector resync_offset) {
  const uint32_t io = host_.logical_block_bytes();
  std::vector<uint8_t> head = co_await read_area(host_, SectorCount(0), SectorCount(io / 512));
  SIM_ASSERT_MSG(!head.empty(), "epochmap: superblock read failed");
  epm::Superblock sb = epm::decode_superblock(head);
  auto err = epm::validate(sb, host_.uuid(), io);
  SIM_ASSERT_MSG(!err, err.value_or(""));
  geo_ = epm::geometry_of(sb, host_.sync_size());
  tag_ = epm::block_tag(host_.uuid());
  clean_epoch_ = media_clean_epoch_ = sb.clean_epoch;
  events_cleared_ = sb.events_cleared;
  stale_ = (sb.state & epm::kStateStale) || sb.events < host_.events();
  const uint64_t total = geo_.block_offset_sectors(geo_.blocks);
  std::vector<uint8_t> all = co_await read_area(host_, SectorCount(0), SectorCount(total));
  SIM_ASSERT_MSG(!all.empty(), "epochmap: area read failed");
  media_.clear();
  media_.apply(SectorCount(0), all);
  // Every In_sync member's copy, each block judged against its own
  // member's clean_epoch, bits ORed: a cleaning write lands member by member
  // (each after its own PREFLUSH), so after a power loss in between one
  // copy may say clean while another member lost cached data; the copy not
  // yet cleaned still marks the chunk.
  std::vector<std::vector<uint8_t>> copies;
  copies.push_back(std::move(all));
  const auto sources = host_.metadata_read_sources();
  for (size_t k = 1; k < sources.size(); ++k) {
    disk::IoResult r = co_await host_.read_metadata(sources[k], SectorCount(0), SectorCount(total));
    if (r.ok() && r.bytes.size() == copies[0].size()) copies.push_back(std::move(r.bytes));
  }
  img_.assign(copies[0].begin() + static_cast<ptrdiff_t>(io), copies[0].end());
  ctl_.assign(geo_.blocks, BlockCtl{});
  for (uint32_t b = 0; b < geo_.blocks; ++b) {
    clear_block(b);
    ctl_[b].last_touch = host_.sim().now();
  }
  uint64_t max_epoch = clean_epoch_;
  std::vector<std::vector<uint8_t>> counted;  // per copy: the bits it counts, as img_
  for (const auto& copy : copies) {
    counted.emplace_back(img_.size(), 0);
    const epm::Superblock msb = epm::decode_superblock(copy);
    if (epm::validate(msb, host_.uuid(), io)) continue;
    clean_epoch_ = std::max(clean_epoch_, msb.clean_epoch);
    max_epoch = std::max(max_epoch, msb.clean_epoch);
    for (uint32_t b = 0; b < geo_.blocks; ++b) {
      const uint8_t* p = &copy[static_cast<size_t>(1 + b) * io];
      if (epm::tag_of(p) != tag_ || epm::epoch_of(p) <= msb.clean_epoch) continue;
      max_epoch = std::max(max_epoch, epm::epoch_of(p));
      uint8_t* q = &img_[static_cast<size_t>(b) * io];
      std::copy(p + epm::kHeaderBytes, p + io, &counted.back()[static_cast<size_t>(b) * io + epm::kHeaderBytes]);
      for (uint32_t k = epm::kHeaderBytes; k < io; ++k) q[k] |= p[k];
    }
  }
  // A bit some member's media lacks is rewritten by the first round: a
  // write finding its bit set in memory relies on it being on every media.
  for (uint32_t b = 0; b < geo_.blocks; ++b) {
    const auto lo = static_cast<ptrdiff_t>(b) * io + epm::kHeaderBytes, hi = static_cast<ptrdiff_t>(b + 1) * io;
    for (const auto& c : counted)
      if (!std::equal(c.begin() + lo, c.begin() + hi, img_.begin() + lo)) ctl_[b].mem_dirty = true;
  }
  commit_.note_change();
  cur_epoch_ = max_epoch + 1;
  // bitmap_load's rule (md_bitmap_init_from_disk): a set bit needs a resync
  // only if its chunk ends at or past `start`; after a clean shutdown
  // (resync_offset = MaxSector) none does, the bits just wait for cleaning.
  // Degraded with writes since the last cleaning: everything set is needed.
  const Sector start =
      (!host_.degraded() || events_cleared_ == host_.events()) ? resync_offset : Sector(0);
  sync_img_.assign(img_.size(), 0);
  pass_img_.assign(img_.size(), 0);
  for (uint64_t c = 0; c < geo_.chunks; ++c) {
    // A stale record counts as every bit set, under the same rule (F20).
    const bool needed = (stale_ || bit(img_, c)) && (c + 1) * geo_.chunk_sectors >= start.value();
    const size_t p = bit_pos(c);
    if (needed) sync_img_[p / 8] |= static_cast<uint8_t>(1u << (p % 8));
  }
  loaded_ = true;
  if (needs_sync()) host_.request_resync();
}

sim::Task Epochmap::update_sb() {
  if (!loaded_) co_return;
  clean_on_sb_round();
  co_await write_superblock();
}

// Piggy-back cleaning: a superblock round with no write in flight anywhere
// (md's safemode "clean" round, or the "active" round before the first
// write after it) advances the epoch inside the superblock it writes anyway:
// the whole record is cleaned for zero extra writes.
void Epochmap::clean_on_sb_round() {
  if (host_.degraded()) return;
  bool any = false;
  for (uint32_t b = 0; b < geo_.blocks; ++b) {
    const BlockCtl& k = ctl_[b];
    if (k.inflight > 0 || block_has(sync_img_, b)) return;
    if (!block_has(img_, b)) continue;
    if (k.mem_dirty) return;  // its bits are not on media yet: a writer waits
    any = true;
  }
  if (!any) return;
  for (uint32_t b = 0; b < geo_.blocks; ++b) clear_block(b);
  events_cleared_ = host_.events();
  clean_epoch_ = std::max(clean_epoch_, cur_epoch_);
  ++cur_epoch_;
  ++sb_round_cleans_;
}

// Persisted cleaning; see the class comment for the two ways.
sim::Task Epochmap::clean_pass(sim::Duration idle) {
  if (host_.degraded() || !loaded_) co_return;
  const sim::Instant now = host_.sim().now();
  std::vector<uint32_t> cleanable, busy;
  for (uint32_t b = 0; b < geo_.blocks; ++b) {
    if (!block_has(img_, b)) continue;
    const BlockCtl& k = ctl_[b];
    const bool idle_now = k.inflight == 0 && !k.mem_dirty && now - k.last_touch >= idle &&
                          !block_has(sync_img_, b);
    (idle_now ? cleanable : busy).push_back(b);
  }
  if (cleanable.empty()) co_return;
  events_cleared_ = host_.events();
  for (uint32_t b : cleanable) clear_block(b);
  if (busy.size() + 1 < cleanable.size()) {
    // Epoch advance: from now on blocks are stamped cur+1; busy blocks are
    // restamped first, then one superblock write invalidates the rest.
    ++cur_epoch_;
    for (uint32_t b : busy) ctl_[b].mem_dirty = true;
    commit_.note_change();
    co_await commit_.sync([this] { return write_round(); });
    clean_epoch_ = std::max(clean_epoch_, cur_epoch_ - 1);
    co_await write_superblock();
    ++epoch_advances_;
  } else {
    for (uint32_t b : cleanable) ctl_[b].mem_dirty = true;
    commit_.note_change();
    co_await commit_.sync([this] { return write_round(); });
    block_cleans_ += cleanable.size();
  }
}

sim::Task Epochmap::daemon_work() {
  // Chunks left by a pass that did not visit them (and no follow-up resync
  // md wanted by itself): ask for one once no slot is empty.
  if (loaded_ && !host_.degraded() && needs_sync()) host_.request_resync();
  if (sb_dirty_) co_await write_superblock();
  co_await clean_pass(clean_idle_);
}

sim::Task Epochmap::flush() {
  co_await clean_pass(sim::Duration::zero());
  if (loaded_) co_await write_superblock();
}

// md_bitmap_start_sync: with `degraded` false the chunk is really synced by
// this pass (NEEDED -> RESYNC, "consumed"); a probe records nothing.
SyncAnswer Epochmap::start_sync(Sector offset, bool degraded) {
  const uint64_t c = offset.value() / geo_.chunk_sectors;
  SyncAnswer a{false, SectorCount(geo_.chunk_sectors - offset.value() % geo_.chunk_sectors)};
  a.value = bit(sync_img_, c) || bit(img_, c);
  if (a.value && !degraded && c < geo_.chunks) {
    const size_t p = bit_pos(c);
    pass_img_[p / 8] |= static_cast<uint8_t>(1u << (p % 8));
  }
  return a;
}

// md_do_sync stopping early, or a failed sync write: nothing from the
// chunk holding `offset` on counts as synced.
void Epochmap::end_sync(Sector offset, bool aborted) {
  if (aborted) abort_chunk_ = std::min(abort_chunk_, offset.value() / geo_.chunk_sectors);
}

// End of a pass: the chunks it consumed (below the first aborted chunk) are
// synced, the rest still needs a resync. A pass that did not visit them (a
// recovery resumed at its checkpoint, a pass with a slot empty) leaves them:
// md's own follow-up resync, or the one daemon_work requests, takes them.
void Epochmap::close_sync() {
  for (uint64_t c = 0; c < geo_.chunks && c < abort_chunk_; ++c) {
    const size_t p = bit_pos(c);
    if ((pass_img_[p / 8] >> (p % 8)) & 1) sync_img_[p / 8] &= static_cast<uint8_t>(~(1u << (p % 8)));
  }
  std::fill(pass_img_.begin(), pass_img_.end(), 0);
  abort_chunk_ = UINT64_MAX;
  if (!needs_sync() && stale_) {
    stale_ = false;
    sb_dirty_ = true;
  }
}

sim::Task Epochmap::cond_end_sync(Sector sector, bool force) {
  (void)sector, (void)force;  // no checkpoint: an interrupted resync starts over
  co_return;
}

SyncAnswer Epochmap::skip_sync_blocks(Sector offset) {
  SyncAnswer a = start_sync(offset, false);
  a.value = !a.value;
  return a;
}

bool Epochmap::needs_sync() const {
  for (uint32_t b = 0; b < geo_.blocks; ++b)
    if (block_has(sync_img_, b)) return true;
  return false;
}

bool Epochmap::can_partial_readd(uint64_t member_events) const {
  return loaded_ && !stale_ && member_events >= events_cleared_;
}

bool Epochmap::media_covers(int member, Sector offset, SectorCount sectors) const {
  (void)member;
  if (sectors.value() == 0) return true;
  const uint64_t c0 = offset.value() / geo_.chunk_sectors;
  const uint64_t c1 = (offset.value() + sectors.value() - 1) / geo_.chunk_sectors;
  const std::vector<uint8_t>& m = media_.bytes();
  for (uint64_t c = c0; c <= c1; ++c) {
    const size_t base = static_cast<size_t>(geo_.block_offset_sectors(block_of(c)) * 512);
    if (base + geo_.io_size > m.size()) return false;
    if (epm::tag_of(&m[base]) != tag_ || epm::epoch_of(&m[base]) <= media_clean_epoch_) return false;
    const size_t p = bit_pos(c) - static_cast<size_t>(block_of(c)) * geo_.io_size * 8;
    if (!((m[base + p / 8] >> (p % 8)) & 1)) return false;
  }
  return true;
}

std::vector<SectorRange> Epochmap::dirty_ranges() const {
  std::vector<SectorRange> out;
  for (uint64_t c = 0; c < geo_.chunks; ++c)
    if (bit(sync_img_, c)) append_chunk_range(out, c, c, SectorCount(geo_.chunk_sectors), host_.sync_size());
  return out;
}

std::string Epochmap::describe_media(int member, Sector offset) const {
  const uint64_t c = offset.value() / geo_.chunk_sectors;
  const size_t base = static_cast<size_t>(geo_.block_offset_sectors(block_of(c)) * 512);
  const std::vector<uint8_t>& m = media_.bytes();
  std::string s = "epochmap member " + std::to_string(member) + " chunk " + std::to_string(c) +
                  " block " + std::to_string(block_of(c));
  if (base + geo_.io_size <= m.size())
    s += " media epoch " + std::to_string(epm::epoch_of(&m[base])) + " (clean_epoch " +
         std::to_string(media_clean_epoch_) + ")";
  return s + (dirty(c) ? " memory dirty" : " memory clean");
}

}  // namespace mdsim::md
