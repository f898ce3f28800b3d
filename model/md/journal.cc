#include "model/md/journal.h"

#include <algorithm>

namespace mdsim::md {

Journal::Journal(IntentHost& host, const IntentOptions& opts)
    : host_(host),
      opts_(opts),
      daemon_sleep_(sim::Duration::s(opts.daemon_sleep_s > 0 ? opts.daemon_sleep_s : 1)),
      commit_(host.sim()),
      slot_wq_(host.sim()) {}

uint32_t Journal::live_slots() const {
  uint32_t n = 0;
  for (const Slot& s : slots_) n += s.live > 0;
  return n;
}

uint32_t Journal::media_nonempty_slots() const {
  uint32_t n = 0;
  for (const Slot& s : slots_) n += !s.media.empty();
  return n;
}

bool Journal::missing(uint64_t chunk) const {
  return chunk / 8 < missing_.size() && (missing_[chunk / 8] >> (chunk % 8)) & 1;
}

bool Journal::missing_any() const {
  return std::any_of(missing_.begin(), missing_.end(), [](uint8_t b) { return b != 0; });
}

// Merges [start, end) into an ordered range map (deterministic).
static void add_range(std::map<uint64_t, uint64_t>& set, uint64_t start, uint64_t end) {
  if (start >= end) return;
  auto it = set.upper_bound(start);
  if (it != set.begin() && std::prev(it)->second >= start) --it;
  while (it != set.end() && it->first <= end) {
    start = std::min(start, it->first);
    end = std::max(end, it->second);
    it = set.erase(it);
  }
  set[start] = end;
}

// Removes every range of `cut` from `set`.
static void subtract_ranges(std::map<uint64_t, uint64_t>& set, const std::map<uint64_t, uint64_t>& cut) {
  std::map<uint64_t, uint64_t> out;
  for (const auto& [start, e] : set) {
    uint64_t s = start;
    auto it = cut.upper_bound(s);
    if (it != cut.begin()) --it;
    for (; it != cut.end() && it->first < e && s < e; ++it) {
      if (it->second <= s) continue;
      if (it->first > s) out[s] = it->first;
      s = std::max(s, it->second);
    }
    if (s < e) out[s] = e;
  }
  set.swap(out);
}

void Journal::add_sync_range(uint64_t start, uint64_t end) {
  add_range(sync_set_, start, std::min(end, host_.sync_size().value()));
}

void Journal::set_missing(Sector offset, SectorCount sectors) {
  const uint64_t c0 = offset.value() / geo_.missing_chunk_sectors;
  const uint64_t c1 = (offset.value() + sectors.value() - 1) / geo_.missing_chunk_sectors;
  for (uint64_t c = c0; c <= c1; ++c) {
    forget_[c / 8] &= static_cast<uint8_t>(~(1u << (c % 8)));  // needed again
    if (missing(c)) continue;
    missing_[c / 8] |= static_cast<uint8_t>(1u << (c % 8));
    missing_dirty_[c / 8 / geo_.io_size] = true;
    commit_.note_change();
  }
}

std::vector<MetaWrite> Journal::missing_writes(bool all) {
  std::vector<MetaWrite> out;
  for (uint32_t b = 0; b < geo_.missing_blocks; ++b) {
    if (!all && !missing_dirty_[b]) continue;
    missing_dirty_[b] = false;
    MetaWrite w;
    w.offset = SectorCount(geo_.missing_offset_sectors() + b * (geo_.io_size / 512));
    w.bytes.assign(missing_.begin() + static_cast<ptrdiff_t>(b) * geo_.io_size,
                   missing_.begin() + static_cast<ptrdiff_t>(b + 1) * geo_.io_size);
    out.push_back(std::move(w));
  }
  return out;
}

sim::Task Journal::write_superblock() {
  jrnl::Superblock sb;
  sb.uuid = host_.uuid();
  sb.events = host_.events();
  sb.events_cleared = events_cleared_;
  sb.sync_size_sectors = host_.sync_size().value();
  sb.io_size_bytes = geo_.io_size;
  sb.ring_slots = geo_.ring_slots;
  sb.missing_chunk_sectors = static_cast<uint32_t>(geo_.missing_chunk_sectors);
  sb.missing_blocks = geo_.missing_blocks;
  sb.state = stale_ ? jrnl::kStateStale : 0;
  sb_dirty_ = false;
  std::vector<MetaWrite> w;
  w.push_back(MetaWrite{SectorCount(0), jrnl::encode_superblock(sb, geo_.io_size)});
  co_await write_batch(host_, std::move(w), &media_, disk::IoClass::intent);
}

sim::Task Journal::create(bool assume_clean) {
  geo_ = jrnl::plan(host_.sync_size(), host_.intent_area_sectors(), host_.logical_block_bytes(),
                    opts_.journal_bytes);
  tag_ = jrnl::slot_tag(host_.uuid());
  slots_.assign(geo_.ring_slots, Slot{});
  missing_.assign(static_cast<size_t>(geo_.missing_blocks) * geo_.io_size, 0);
  forget_.assign(missing_.size(), 0);
  missing_dirty_.assign(geo_.missing_blocks, false);
  sync_set_.clear();
  events_cleared_ = host_.events();
  // Without --assume-clean the mirrors start unsynced: the journal is "stale"
  // (everything to sync) until the first full sync ends.
  stale_ = !assume_clean;
  if (stale_) add_sync_range(0, host_.sync_size().value());
  loaded_ = true;
  std::vector<MetaWrite> w;
  w.push_back(MetaWrite{SectorCount(geo_.ring_offset_sectors()),
                        std::vector<uint8_t>(static_cast<size_t>(geo_.ring_slots) * geo_.io_size, 0)});
  for (auto& m : missing_writes(true)) w.push_back(std::move(m));
  co_await write_batch(host_, std::move(w), &media_);
  co_await write_superblock();
}

sim::Task Journal::load(Sector resync_offset) {
  const uint32_t io = host_.logical_block_bytes();
  std::vector<uint8_t> head = co_await read_area(host_, SectorCount(0), SectorCount(io / 512));
  SIM_ASSERT_MSG(!head.empty(), "journal: superblock read failed");
  jrnl::Superblock sb = jrnl::decode_superblock(head);
  auto err = jrnl::validate(sb, host_.uuid(), io);
  SIM_ASSERT_MSG(!err, err.value_or(""));
  geo_ = jrnl::Geometry{io, sb.ring_slots, sb.missing_chunk_sectors, sb.missing_blocks};
  tag_ = jrnl::slot_tag(host_.uuid());
  events_cleared_ = sb.events_cleared;
  stale_ = (sb.state & jrnl::kStateStale) || sb.events < host_.events();
  const uint64_t total = geo_.missing_offset_sectors() + geo_.missing_blocks * (io / 512);
  std::vector<uint8_t> all = co_await read_area(host_, SectorCount(0), SectorCount(total));
  SIM_ASSERT_MSG(!all.empty(), "journal: area read failed");
  media_.clear();
  media_.apply(SectorCount(0), all);
  // The other In_sync members' copies too: a clearing round is one
  // PREFLUSH|FUA write per member, and a power loss can land after one
  // member's zeroing (its data durable) and before another's flush (its
  // cached data lost, its entry still on media). The union of the copies
  // still marks such a chunk.
  std::vector<std::vector<uint8_t>> others;
  const auto sources = host_.metadata_read_sources();
  for (size_t k = 1; k < sources.size(); ++k) {
    disk::IoResult r = co_await host_.read_metadata(sources[k], SectorCount(0), SectorCount(total));
    if (r.ok() && r.bytes.size() == all.size()) others.push_back(std::move(r.bytes));
  }
  slots_.assign(geo_.ring_slots, Slot{});
  sync_set_.clear();
  // bitmap_load's rule (md-internals 1.12): an entry needs a resync only if
  // it ends at or past `start` = the md superblock's resync_offset (0 when
  // degraded with writes since the last forgetting). A clean superblock
  // (MaxSector) or a resync checkpoint means md already knows the range is
  // in sync: no write was pending when it was written, and a later write
  // would have made it dirty (resync_offset 0) on media first.
  const Sector start =
      (!host_.degraded() || events_cleared_ == host_.events()) ? resync_offset : Sector(0);
  uint32_t newest = geo_.ring_slots;  // slot with the highest sequence number
  uint64_t newest_seq = 0;
  for (uint32_t i = 0; i < geo_.ring_slots; ++i) {
    const uint8_t* p = &all[(1ull + i) * io];
    const uint64_t seq = get_le64(std::vector<uint8_t>(p, p + 16), 8);
    if (!jrnl::decode_slot(p, io, tag_).empty() && seq >= newest_seq) newest = i, newest_seq = seq;
  }
  for (uint32_t i = 0; i < geo_.ring_slots; ++i) {
    Slot& s = slots_[i];
    s.media = jrnl::decode_slot(&all[(1ull + i) * io], io, tag_);
    for (const auto& o : others)
      for (const jrnl::Entry& e : jrnl::decode_slot(&o[(1ull + i) * io], io, tag_))
        if (std::find(s.media.begin(), s.media.end(), e) == s.media.end()) s.media.push_back(e);
    if (i == newest && opts_.mutants.on(Mutant::journal_recovery_skips_last)) s.media.pop_back();
    if (i == 0 && opts_.mutants.on(Mutant::journal_recovery_skips_first_slot)) {
      s.held = !s.media.empty();
      continue;
    }
    for (const jrnl::Entry& e : s.media) {
      const uint64_t end = (e.chunk_seq + e.nr_chunks) * jrnl::kEntryChunkSectors;
      if (end < start.value()) continue;  // synced before the md superblock's checkpoint
      s.held = true;
      add_sync_range(e.chunk_seq * jrnl::kEntryChunkSectors, end);
    }
  }
  const size_t moff = geo_.missing_offset_sectors() * 512;
  missing_.assign(all.begin() + static_cast<ptrdiff_t>(moff), all.end());
  missing_dirty_.assign(geo_.missing_blocks, false);
  forget_.assign(missing_.size(), 0);
  // A missing bit some member's media lacks is rewritten by the next round:
  // a degraded write finding it set in memory relies on it being on media.
  for (const auto& o : others)
    for (size_t k = 0; k < missing_.size(); ++k) {
      if (missing_[k] != o[moff + k]) missing_dirty_[k / geo_.io_size] = true;
      missing_[k] |= o[moff + k];
    }
  if (std::find(missing_dirty_.begin(), missing_dirty_.end(), true) != missing_dirty_.end()) commit_.note_change();
  // Stale ("bitmap file is out of date -- forcing full recovery"): the
  // kernel sets every bit but marks NEEDED only the chunks ending at or past
  // `start`, and md_do_sync resumes at the checkpoint: below it md already
  // knows the mirrors agree. Everything from `start` on is resynced (F20: a
  // clean round that stepped events back reached the journal but not every
  // md superblock, so the record looked stale; resyncing from 0 left the
  // range below the checkpoint dirty for ever; found again as L9c).
  // A clean md superblock (start = max) owes nothing: md trusts it.
  if (stale_) add_sync_range(start.value(), host_.sync_size().value());
  loaded_ = true;
  if (needs_sync()) host_.request_resync();
}

sim::Task Journal::update_sb() {
  if (!loaded_) co_return;
  co_await write_superblock();
}

sim::Task Journal::start_write(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) co_return;
  SIM_ASSERT(offset + sectors <= Sector(0) + host_.sync_size());
  pending_.push_back(Bio{offset, sectors});
  ++unslotted_[{offset.value(), sectors.value()}];
  commit_.note_change();
  if (host_.degraded()) set_missing(offset, sectors);
}

void Journal::end_write(Sector offset, SectorCount sectors) {
  if (sectors.value() == 0) return;
  // A write that completed while degraded may be missing on the absent member.
  if (host_.degraded()) set_missing(offset, sectors);
  if (end_unslotted(offset, sectors)) return;
  auto it = bio_slot_.find({offset.value(), sectors.value()});
  SIM_ASSERT_MSG(it != bio_slot_.end() && !it->second.empty(), "journal: end_write without unplug");
  const uint32_t slot = it->second.front();
  it->second.pop_front();
  if (it->second.empty()) bio_slot_.erase(it);
  if (opts_.mutants.on(Mutant::journal_zero_before_all_mirrors) && slots_[slot].live == 0) return;
  SIM_ASSERT(slots_[slot].live > 0);
  if (--slots_[slot].live == 0) slot_wq_.wake_all();
}

// A bio that ends before its round gave it a slot had no data submitted (the
// data waits for the round): raid1/raid10 end a write with no writable target
// at once (every mirror failed or bad there; F18). Its entry is dropped. When
// bios of the same range are both slotted and unslotted, the unslotted entry
// is the one dropped whichever bio ended: the ranges are equal, so the slot
// kept live covers the bio still in flight, and the one dropped was never
// needed by data already submitted.
bool Journal::end_unslotted(Sector offset, SectorCount sectors) {
  const std::pair<uint64_t, uint64_t> key{offset.value(), sectors.value()};
  auto u = unslotted_.find(key);
  if (u == unslotted_.end()) return false;
  if (--u->second == 0) unslotted_.erase(u);
  // Still queued: leave it out of the next round (a round in progress finds
  // no unslotted entry for it and assigns no slot).
  auto p = std::find_if(pending_.begin(), pending_.end(),
                        [&](const Bio& b) { return b.offset == offset && b.sectors == sectors; });
  if (p != pending_.end()) pending_.erase(p);
  return true;
}

// Discards are writes as far as mirror consistency goes.
sim::Task Journal::start_discard(Sector offset, SectorCount sectors) {
  co_await start_write(offset, sectors);
}
void Journal::end_discard(Sector offset, SectorCount sectors) { end_write(offset, sectors); }

sim::Task Journal::unplug() { co_await commit_.sync([this] { return write_round(); }); }

// Next free slot from the head (ring order); waits while the ring is full.
sim::ValueTask<uint32_t> Journal::take_slot(std::vector<bool>& taken) {
  for (;;) {
    for (uint32_t k = 0; k < geo_.ring_slots; ++k) {
      const uint32_t i = (head_ + k) % geo_.ring_slots;
      const Slot& s = slots_[i];
      if (s.live == 0 && !s.held && !taken[i]) {
        head_ = (i + 1) % geo_.ring_slots;
        taken[i] = true;
        co_return i;
      }
    }
    co_await slot_wq_.wait();  // full: backpressure until a plug's data completes
  }
}

sim::Task Journal::write_round() {
  std::vector<Bio> bios;
  bios.swap(pending_);
  const uint32_t per_slot = jrnl::entries_per_slot(geo_.io_size);
  std::vector<bool> taken(geo_.ring_slots, false);
  std::vector<std::pair<uint32_t, std::vector<jrnl::Entry>>> fills;
  std::vector<jrnl::Entry> cur;
  std::vector<Bio> cur_bios;
  auto close = [&](uint32_t slot) {
    for (const Bio& b : cur_bios) {
      const std::pair<uint64_t, uint64_t> key{b.offset.value(), b.sectors.value()};
      auto u = unslotted_.find(key);
      if (u == unslotted_.end()) continue;  // ended while the round ran (no data)
      if (--u->second == 0) unslotted_.erase(u);
      bio_slot_[key].push_back(slot);
      // Mutant: the slot counts as released at once, so it can be reused or
      // zeroed while its data is still in flight.
      if (!opts_.mutants.on(Mutant::journal_zero_before_all_mirrors)) ++slots_[slot].live;
    }
    fills.emplace_back(slot, std::move(cur));
    cur.clear();
    cur_bios.clear();
  };
  for (const Bio& b : bios) {
    std::vector<jrnl::Entry> es;
    jrnl::entries_for(b.offset, b.sectors, es);
    SIM_ASSERT(es.size() <= per_slot);
    if (cur.size() + es.size() > per_slot) close(co_await take_slot(taken));
    cur.insert(cur.end(), es.begin(), es.end());
    cur_bios.push_back(b);
  }
  if (!cur.empty()) close(co_await take_slot(taken));
  std::vector<MetaWrite> writes;
  std::vector<std::pair<uint32_t, std::vector<jrnl::Entry>>> done;
  for (auto& [slot, es] : fills) {
    writes.push_back(MetaWrite{SectorCount(geo_.ring_offset_sectors() + slot * (geo_.io_size / 512)),
                               jrnl::encode_slot(tag_, ++seq_, es, geo_.io_size)});
    ++slot_writes_;
    done.emplace_back(slot, std::move(es));
  }
  // The slots to zero are chosen before the missing-set snapshot below, as
  // the reused ones were: a bio ending (or a resync releasing its held slots)
  // while the missing-set blocks are being written sets bits the snapshot
  // lacks, so its slot must wait for the next round (F21).
  if (clear_requested_) {
    clear_requested_ = false;
    add_clears(taken, writes, done);
  }
  // Missing-set bits first: a slot reused or cleared below may be the only
  // record of a degraded write until they are durable.
  if (!opts_.mutants.on(Mutant::journal_degraded_not_recorded))
    co_await write_batch(host_, missing_writes(false), &media_);
  if (opts_.mutants.on(Mutant::journal_no_fua)) {
    co_await write_without_fua(std::move(writes));
  } else {
    co_await write_batch(host_, std::move(writes), &media_);
  }
  for (auto& [slot, es] : done) slots_[slot].media = std::move(es);
}

// Contiguous runs of released, non-empty slots: one zeroing write each.
void Journal::add_clears(const std::vector<bool>& taken, std::vector<MetaWrite>& writes,
                         std::vector<std::pair<uint32_t, std::vector<jrnl::Entry>>>& done) {
  auto clearable = [&](uint32_t k) {
    const bool live_ok = slots_[k].live == 0 || opts_.mutants.on(Mutant::journal_zero_before_all_mirrors);
    return !taken[k] && live_ok && !slots_[k].held && !slots_[k].media.empty();
  };
  for (uint32_t i = 0; i < geo_.ring_slots;) {
    if (!clearable(i)) {
      ++i;
      continue;
    }
    uint32_t j = i;
    while (j < geo_.ring_slots && clearable(j)) done.emplace_back(j++, std::vector<jrnl::Entry>{});
    writes.push_back(MetaWrite{SectorCount(geo_.ring_offset_sectors() + i * (geo_.io_size / 512)),
                               std::vector<uint8_t>(static_cast<size_t>(j - i) * geo_.io_size, 0)});
    ++clear_writes_;
    i = j;
  }
}

// Mutant journal_no_fua: the slot writes go to every target as plain writes
// (no PREFLUSH, no FUA): they may sit in a volatile cache when the data goes.
sim::Task Journal::write_without_fua(std::vector<MetaWrite> writes) {
  for (MetaWrite& w : writes) {
    for (int m : host_.metadata_write_targets()) {
      disk::IoRequest req;
      req.op = disk::IoOp::write;
      req.sector = host_.intent_area_start() + w.offset;
      req.count = SectorCount(w.bytes.size() / disk::kSectorBytes);
      req.io_class = disk::IoClass::intent;
      req.payload.bytes = w.bytes;
      co_await host_.member_disk(m).io(std::move(req));
    }
    media_.apply(w.offset, w.bytes);
  }
}

sim::Task Journal::daemon_work() {
  if (!loaded_) co_return;
  if (!host_.degraded() && recovery_done_) {
    // The member that was missing is back in sync: forget the missing-set
    // chunks a complete pass synced. events_cleared reaches disk before the
    // bits are cleared.
    recovery_done_ = false;
    events_cleared_ = host_.events();
    co_await write_superblock();
    for (size_t i = 0; i < missing_.size(); ++i) {
      if (!(missing_[i] & forget_[i])) continue;
      missing_[i] &= static_cast<uint8_t>(~forget_[i]);
      missing_dirty_[i / geo_.io_size] = true;
    }
    std::fill(forget_.begin(), forget_.end(), 0);
    commit_.note_change();
  }
  if (sb_dirty_) co_await write_superblock();
  bool work = std::any_of(missing_dirty_.begin(), missing_dirty_.end(), [](bool b) { return b; });
  for (const Slot& s : slots_) work |= s.live == 0 && !s.held && !s.media.empty();
  if (!work) co_return;
  clear_requested_ = true;
  commit_.note_change();
  co_await commit_.sync([this] { return write_round(); });
}

sim::Task Journal::flush() {
  if (!loaded_) co_return;
  co_await daemon_work();
  co_await write_superblock();
}

bool Journal::covered_for_sync(uint64_t s, uint64_t& extent) const {
  const uint64_t mc = geo_.missing_chunk_sectors;
  uint64_t ext = (s / mc + 1) * mc - s;  // to the end of the missing-set chunk
  bool covered = missing(s / mc);
  auto it = sync_set_.upper_bound(s);
  if (it != sync_set_.begin() && std::prev(it)->second > s) {
    covered = true;
    ext = std::max(ext, std::prev(it)->second - s);
  } else if (!covered && it != sync_set_.end()) {
    ext = std::min(ext, it->first - s);
  }
  extent = std::min(ext, host_.sync_size().value() - s);
  return covered;
}

// md_bitmap_start_sync: `degraded` false swaps NEEDED for RESYNC, i.e. the
// range is really synced by this pass (consumed); a probe or a pass with a
// slot still empty leaves it needed.
SyncAnswer Journal::start_sync(Sector offset, bool degraded) {
  uint64_t ext = 0;
  const bool c = offset.value() < host_.sync_size().value() && covered_for_sync(offset.value(), ext);
  ext = std::max<uint64_t>(ext, 1);
  if (c && !degraded) add_range(consumed_, offset.value(), offset.value() + ext);
  return SyncAnswer{c, SectorCount(ext)};
}

// md_do_sync stopping early, or a failed sync write (abort_sync_write):
// nothing from here on counts as synced.
void Journal::end_sync(Sector offset, bool aborted) {
  if (aborted) abort_at_ = std::min(abort_at_, offset.value());
}

// End of a pass: what a complete pass consumed is done with. What is still
// to sync (aborted pass, or synced only while degraded) moves to the durable
// missing set, so the loaded slots can be released: write_round writes the
// missing-set blocks before any slot is reused or zeroed.
void Journal::close_sync() {
  const bool completed = abort_at_ == UINT64_MAX;
  // Stopped early: windows below the first abort point were synced (each
  // window's IO is awaited before the next); the rest of what it took stays.
  if (!completed) subtract_ranges(consumed_, {{abort_at_, UINT64_MAX}});
  subtract_ranges(sync_set_, consumed_);
  if (completed) {
    // A complete pass synced every missing-set chunk to every member present
    // (a write during the pass reached the recovering member too): the
    // daemon forgets them once no slot is empty any more. What the pass
    // could not sync is re-marked below, which cancels its forgetting.
    forget_ = missing_;
    recovery_done_ = missing_any();
    if (stale_ && sync_set_.empty()) {
      stale_ = false;
      sb_dirty_ = true;
    }
  }
  consumed_.clear();
  abort_at_ = UINT64_MAX;
  for (auto [s, e] : sync_set_) set_missing(Sector(s), SectorCount(e - s));
  sync_set_.clear();
  for (Slot& s : slots_) s.held = false;
  slot_wq_.wake_all();
}

sim::Task Journal::cond_end_sync(Sector sector, bool force) {
  (void)sector, (void)force;  // no checkpoint: an interrupted resync starts over
  co_return;
}

SyncAnswer Journal::skip_sync_blocks(Sector offset) {
  SyncAnswer a = start_sync(offset, false);
  a.value = !a.value;
  return a;
}

bool Journal::needs_sync() const { return !sync_set_.empty() || missing_any(); }

bool Journal::can_partial_readd(uint64_t member_events) const {
  return loaded_ && !stale_ && member_events >= events_cleared_;
}

bool Journal::media_covers(int member, Sector offset, SectorCount sectors) const {
  (void)member;
  if (sectors.value() == 0) return true;
  const uint64_t first = offset.value() / jrnl::kEntryChunkSectors;
  const uint64_t last = (offset.value() + sectors.value() - 1) / jrnl::kEntryChunkSectors;
  for (const Slot& s : slots_)
    for (const jrnl::Entry& e : s.media)
      if (e.chunk_seq <= first && last < e.chunk_seq + e.nr_chunks) return true;
  return false;
}

std::vector<SectorRange> Journal::dirty_ranges() const {
  std::vector<SectorRange> out;
  std::map<uint64_t, uint64_t> all = sync_set_;
  const uint64_t mc = geo_.missing_chunk_sectors;
  for (uint64_t c = 0; c < missing_.size() * 8; ++c)
    if (missing(c)) all[c * mc] = std::max(all[c * mc], std::min((c + 1) * mc, host_.sync_size().value()));
  for (auto [s, e] : all) {
    if (!out.empty() && out.back().end().value() >= s) {
      if (e > out.back().end().value()) out.back().count = SectorCount(e - out.back().start.value());
      continue;
    }
    out.push_back(SectorRange{Sector(s), SectorCount(e - s)});
  }
  return out;
}

std::string Journal::describe_media(int member, Sector offset) const {
  const uint64_t c = offset.value() / jrnl::kEntryChunkSectors;
  std::string s = "journal member " + std::to_string(member) + " journal-chunk " + std::to_string(c) +
                  ": entries on media covering it in slots [";
  for (uint32_t i = 0; i < slots_.size(); ++i)
    for (const jrnl::Entry& e : slots_[i].media)
      if (e.chunk_seq <= c && c < e.chunk_seq + e.nr_chunks) s += " " + std::to_string(i);
  return s + " ], live slots " + std::to_string(live_slots());
}

}  // namespace mdsim::md
