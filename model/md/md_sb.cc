// md core: superblock rounds (md_update_sb, super_1_sync), the events counter,
// md_write_start / md_write_end and safemode, array creation and stop.
#include <algorithm>

#include "model/md/md_array.h"
#include "sim/assert.h"

namespace mdsim::md {

namespace {
const sim::TraceKind kTraceSbRound("md.sb_round");

std::vector<uint8_t> encode_badblocks(const BadBlocks& bb, uint32_t bytes) {
  // On-disk bad-block log: little-endian u64 per entry,
  // (sector << 9) | (len - 1) | acknowledged << 63 (BB_MAKE); all-ones ends it.
  std::vector<uint8_t> out(bytes, 0xff);
  size_t i = 0;
  for (const auto& e : bb.entries()) {
    if ((i + 1) * 8 > bytes) break;
    uint64_t left = e.count.value();
    uint64_t s = e.start.value();
    while (left > 0 && (i + 1) * 8 <= bytes) {
      const uint64_t len = std::min<uint64_t>(left, 512);
      const uint64_t w = (s << 9) | (len - 1) | (1ull << 63);
      for (int b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<uint8_t>(w >> (8 * b));
      ++i;
      s += len;
      left -= len;
    }
  }
  return out;
}
}  // namespace

Superblock1 Mddev::build_sb(const Member& m) const {
  // super_1_sync.
  Superblock1 sb;
  sb.set_uuid = config_.uuid;
  sb.set_name = "mdsim:0";
  sb.level = static_cast<uint32_t>(config_.level);
  sb.size = dev_sectors_.value();  // [raid: changed] per-member size
  sb.layout = RaidGeometry::layout_of(config_);
  sb.chunksize = RaidGeometry::chunk_of(config_);
  sb.raid_disks = static_cast<uint32_t>(config_.raid_disks);
  sb.data_offset = layout_.data_offset.value();
  sb.data_size = dev_sectors_.value();
  sb.super_offset = layout_.sb.value();
  sb.dev_number = static_cast<uint32_t>(m.index);
  sb.cnt_corrected_read = m.corrected_read_errors;
  sb.device_uuid = config_.uuid;
  sb.device_uuid[15] ^= static_cast<uint8_t>(m.index + 1);
  sb.devflags = m.write_mostly ? kDevflagWriteMostly : 0;
  sb.bblog_size = static_cast<uint16_t>(layout_.bblog_sectors.value());
  sb.bblog_offset = static_cast<int32_t>(layout_.bblog.value() - layout_.sb.value());
  sb.utime = static_cast<uint64_t>(sim_.now().ns() / 1'000'000'000);
  sb.events = events_;
  // A dirty array records 0: a crash then resyncs from the start.
  sb.resync_offset = in_sync_ ? resync_offset_.value() : 0;
  if (intent_ && intent_->enabled()) {
    sb.feature_map |= kFeatureBitmapOffset;
    sb.bitmap_offset = static_cast<int32_t>(layout_.intent_area.value() - layout_.sb.value());
  }
  if (!m.in_sync && m.raid_disk >= 0) {
    sb.feature_map |= kFeatureRecoveryOffset;
    sb.recovery_offset = m.recovery_offset == Sector::max() ? 0 : m.recovery_offset.value();
    if (m.bitmap_sync) sb.feature_map |= kFeatureRecoveryBitmap;
  }
  if (m.badblocks.size() > 0) sb.feature_map |= kFeatureBadBlocks;
  sb.max_dev = static_cast<uint32_t>(members_.size());
  sb.dev_roles.resize(members_.size());
  for (const Member& o : members_) {
    uint16_t role = kRoleSpare;
    if (o.faulty) role = kRoleFaulty;
    else if (o.present && o.raid_disk >= 0) role = static_cast<uint16_t>(o.raid_disk);
    sb.dev_roles[o.index] = role;
  }
  return sb;
}

void Mddev::set_sb_change(bool devs) {
  if (devs) sb_change_devs_ = true;
  else sb_change_clean_ = true;
  sb_change_pending_ = true;
  wake_thread();
}

sim::Task Mddev::md_update_sb() {
  while (sb_writing_) co_await sb_wait_.wait();
  sb_writing_ = true;
  while (sb_change_clean_ || sb_change_devs_) {
    // nospares: a pure clean<->active toggle may step events back instead of
    // forward (can_decrease_events), so spares need no rewrite. Never when
    // degraded.
    const bool nospares = !sb_change_devs_ && !degraded();
    sb_change_clean_ = false;
    sb_change_devs_ = false;
    if (nospares && in_sync_ && resync_offset_ == Sector::max() && can_decrease_events_ &&
        events_ != 1) {
      --events_;
      can_decrease_events_ = false;
    } else {
      ++events_;
      can_decrease_events_ = nospares;
    }
    // sync_sbs: every md superblock is encoded now, before the intent
    // record's superblock write (whose PREFLUSH makes the sync IO completed
    // so far durable). A checkpoint taken while that write is in flight
    // covers sync writes no flush has reached yet, and would be persisted by
    // the members whose md superblock lands first (F23).
    std::vector<std::vector<uint8_t>> encoded(members_.size());
    for (Member& m : members_)
      if (m.present && !m.faulty && m.raid_disk >= 0) encoded[m.index] = encode_superblock(build_sb(m));
    // The intent record's superblock goes first (bitmap update_sb), then the
    // md superblock on every member, PREFLUSH|FUA, and md_super_wait.
    if (intent_) co_await intent_->update_sb();
    auto done = std::make_shared<sim::Completion>(sim_);
    auto left = std::make_shared<int>(1);
    std::vector<int> bb_written;
    for (Member& m : members_) {
      if (!m.present || m.faulty || m.raid_disk < 0) continue;
      if (m.badblocks.changed()) {
        ++*left;
        disk::IoRequest bb;
        bb.sector = layout_.bblog;
        bb.count = layout_.bblog_sectors;
        bb.fua = bb.preflush = true;
        bb.io_class = disk::IoClass::badblocks;
        bb.payload.bytes = encode_badblocks(m.badblocks, static_cast<uint32_t>(bb.count.bytes()));
        m.badblocks.clear_changed();
        bb_written.push_back(m.index);
        submit_member(m.index, std::move(bb), [left, done](disk::IoResult) {
          if (--*left == 0) done->complete();
        });
      }
      ++*left;
      disk::IoRequest req;
      req.sector = layout_.sb;
      req.count = SectorCount(1);
      req.fua = req.preflush = true;
      req.io_class = disk::IoClass::superblock;
      req.payload.bytes =
          encoded[m.index].empty() ? encode_superblock(build_sb(m)) : std::move(encoded[m.index]);
      m.sb_events = events_;
      const int idx = m.index;
      submit_member(idx, std::move(req), [this, idx, left, done](disk::IoResult r) {
        if (!r.ok()) md_error(idx);
        if (--*left == 0) done->complete();
      });
    }
    if (--*left == 0) done->complete();
    co_await done->wait();
    for (int i : bb_written) members_[i].badblocks.ack_all();
    counters_.sb_rounds++;
    sim_.trace().record(sim_.now(), kTraceSbRound, actor_, events_, in_sync_);
  }
  sb_change_pending_ = false;
  sb_writing_ = false;
  sb_wait_.wake_all();
}

// ---------------------------------------------------------------------------
// md_write_start / md_write_end / safemode.

void Mddev::write_start_begin() {
  ++writes_pending_;
  if (safemode_ == 1) safemode_ = 0;
  if (in_sync_ && !config_.mutants.on(Mutant::clean_sb_with_writes)) {
    in_sync_ = false;
    sb_change_clean_ = true;
    sb_change_pending_ = true;
    wake_thread();
  }
}

sim::Task Mddev::wait_sb_written() {
  while (sb_change_pending_) co_await sb_wait_.wait();
}

void Mddev::md_write_end() {
  SIM_ASSERT(writes_pending_ > 0);
  if (--writes_pending_ == 0) arm_safemode_timer();
}

void Mddev::arm_safemode_timer() {
  // mod_timer(roundup(jiffies, delay) + delay); one timer re-armed lazily.
  const int64_t d = config_.safemode_delay_ms * 1'000'000;
  if (d <= 0) return;
  const int64_t now = sim_.now().ns();
  safemode_deadline_ = sim::Instant::from_ns((now + d - 1) / d * d + d);
  if (!sim_.pending(safemode_timer_))
    safemode_timer_ = sim_.schedule_at(safemode_deadline_, [this] { safemode_fire(); });
}

void Mddev::safemode_fire() {
  if (sim_.now() < safemode_deadline_) {
    safemode_timer_ = sim_.schedule_at(safemode_deadline_, [this] { safemode_fire(); });
    return;
  }
  safemode_ = 1;
  wake_thread();
}

// ---------------------------------------------------------------------------
// Creation (mdadm --create) and stop.

sim::Task Mddev::create_task() {
  // Geometry from the smallest member.
  disk::SectorCount cap = members_[0].disk->capacity();
  for (const Member& m : members_) cap = std::min(cap, m.disk->capacity());
  disk::SectorCount intent_space(0);
  if (config_.intent.type != IntentType::none) {
    intent_space = config_.intent.type == IntentType::bitmap ? choose_bm_space(cap)
                                                             : SectorCount(256);
  }
  layout_ = mdadm_layout(cap, intent_space);
  const SectorCount avail = cap - SectorCount(layout_.data_offset.value());
  SectorCount dev = config_.member_data_size.value() ? config_.member_data_size : avail;
  dev = SectorCount(dev.value() / 8 * 8);  // 4 KiB multiple
  SIM_ASSERT_MSG(dev <= avail && dev.value() > 0, "member size does not fit");
  set_geometry(dev);  // [raid: changed] level rounding; sync_size_ = intent space
  SIM_ASSERT_MSG(sync_size_.value() > 0, "member size does not fit");
  for (size_t i = 0; i < members_.size(); ++i) {
    Member& m = members_[i];
    m.raid_disk = static_cast<int>(i);
    m.in_sync = true;
    m.write_mostly = i < config_.write_mostly.size() && config_.write_mostly[i];
  }
  pers_ = make_personality(*this);  // [raid: changed] by level
  config_.intent.mutants = config_.mutants;
  intent_ = make_intent_backend(*this, config_.intent);
  // mdadm writes the intent record, then the superblocks (events 0 -> 1 on
  // the first kernel update). Without assume_clean the array starts dirty:
  // resync_offset 0, a full initial resync.
  co_await intent_->create(config_.assume_clean);
  resync_offset_ = config_.assume_clean ? Sector::max() : Sector(0);
  in_sync_ = true;  // written as clean with resync_offset (0 = needs resync)
  events_ = 0;
  set_sb_change(true);
  co_await md_update_sb();
  co_await intent_->load(resync_offset_);
  if (resync_offset_ != Sector::max() || intent_->needs_sync()) recovery_needed_ = true;
  start_threads();
}

sim::Task Mddev::stop_task() {
  // do_md_stop: wait for user IO, interrupt the sync thread (it checkpoints),
  // bitmap_flush, mark clean, write the final superblocks.
  while (user_inflight_ > 0) co_await idle_wq_.wait();
  recovery_intr_ = true;
  while (sync_running_) co_await idle_wq_.wait();
  recovery_needed_ = false;
  while (!pers_->quiet()) co_await sim_.sleep(sim::Duration::us(100));
  pers_->stop();
  thread_stop_ = true;
  thread_wq_.wake_all();
  while (!thread_exited_) co_await idle_wq_.wait();
  co_await intent_->flush();
  // __md_stop_writes: a final round only if the array is not already clean.
  if (!in_sync_ || sb_change_clean_ || sb_change_devs_) {
    in_sync_ = true;
    set_sb_change(false);
    co_await md_update_sb();
  }
  running_ = false;
  sim_.cancel(safemode_timer_);
}

}  // namespace mdsim::md
