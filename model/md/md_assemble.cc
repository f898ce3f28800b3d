// md core: assembly from the disks alone (mdadm --assemble + md_run:
// super_1_load / super_1_validate, analyze_sbs, bitmap_load) and re-add.
#include <algorithm>
#include <string>

#include "model/md/bitmap_layout.h"
#include "model/md/intent_factories.h"
#include "model/md/md_array.h"
#include "sim/assert.h"

namespace mdsim::md {

namespace {

const sim::TraceKind kTraceAssemble("md.assemble");

// Reads the bad-block log written by md_update_sb (see md_sb.cc).
void load_badblocks(BadBlocks& bb, const std::vector<uint8_t>& bytes) {
  for (size_t i = 0; i + 8 <= bytes.size(); i += 8) {
    uint64_t w = 0;
    for (int b = 0; b < 8; ++b) w |= static_cast<uint64_t>(bytes[i + b]) << (8 * b);
    if (w == ~0ull) break;
    const uint64_t start = (w & ~(1ull << 63)) >> 9;
    const uint64_t len = (w & 511) + 1;
    bb.set(Sector(start), SectorCount(len));
  }
  bb.ack_all();
  bb.clear_changed();
}

// The role a superblock's table gives device dev_number.
uint16_t role_in(const Superblock1& sb, uint32_t dev_number) {
  return dev_number < sb.dev_roles.size() ? sb.dev_roles[dev_number] : kRoleSpare;
}

// super_1_validate while assembling: a device whose events are below the
// freshest cannot vouch for its own role (it may have been failed in the
// round it missed), so the freshest's table decides; on equal events the
// kernel takes the device's own table.
uint16_t role_at_assembly(const Superblock1& sb, const Superblock1& fresh) {
  return sb.events < fresh.events ? role_in(fresh, sb.dev_number) : role_in(sb, sb.dev_number);
}

// mdadm Assemble (and count_active for -I): a device, active on its own
// superblock, whose role table holds nobody in the freshest device's role
// "reports it as failed" and is ignored ("ignoring X as it reports Y as
// failed"), whatever its events, unless --force.
bool reports_failed(const Superblock1& sb, const Superblock1& fresh) {
  const uint16_t own = role_in(sb, sb.dev_number);
  const uint16_t fresh_role = role_in(fresh, fresh.dev_number);
  if (own >= sb.raid_disks || fresh_role >= fresh.raid_disks) return false;
  return std::find(sb.dev_roles.begin(), sb.dev_roles.end(), fresh_role) == sb.dev_roles.end();
}

}  // namespace

const char* assemble_decision_name(AssembleDecision d) {
  switch (d) {
    case AssembleDecision::nothing: return "nothing";
    case AssembleDecision::intent_resync: return "intent_resync";
    case AssembleDecision::full_resync: return "full_resync";
    case AssembleDecision::recovery: return "recovery";
    case AssembleDecision::refused: return "refused";
  }
  return "?";
}

void Mddev::note_conflict(int member, int fresh, const char* what) {
  if (!assembly_conflict_.empty()) assembly_conflict_ += "; ";
  assembly_conflict_ += "member " + std::to_string(member) + " ties member " + std::to_string(fresh) +
                        " on events and " + what;
}

sim::Task Mddev::assemble_task(const AssembleOptions& opts, AssembleDecision& decision,
                               std::string& detail) {
  decision = AssembleDecision::refused;
  // 1. Read every superblock (1 sector at sector 8).
  std::vector<std::optional<Superblock1>> sbs(members_.size());
  for (Member& m : members_) {
    disk::IoRequest req;
    req.op = disk::IoOp::read;
    req.sector = Sector(kSbSector);
    req.count = SectorCount(1);
    req.io_class = disk::IoClass::superblock;
    req.want_bytes = true;
    disk::IoResult r = co_await member_io(m.index, std::move(req));
    if (r.ok()) sbs[m.index] = decode_superblock(r.bytes);
  }
  // 2. The freshest superblock (highest events) decides the array's state.
  int fresh = -1;
  for (size_t i = 0; i < sbs.size(); ++i)
    if (sbs[i] && (fresh < 0 || sbs[i]->events > sbs[fresh]->events)) fresh = static_cast<int>(i);
  if (fresh < 0) {
    detail = "no md superblock found";
    co_return;
  }
  const Superblock1 ref = *sbs[fresh];
  config_.uuid = ref.set_uuid;
  config_.level = static_cast<int>(ref.level);
  config_.raid_disks = static_cast<int>(ref.raid_disks);
  // [raid: changed] level geometry from the superblock (layout, chunksize).
  config_.layout = ref.layout;
  config_.chunk_sectors = ref.chunksize;
  set_geometry(SectorCount(ref.size));
  events_ = ref.events;
  resync_offset_ = Sector(ref.resync_offset);
  in_sync_ = true;
  // Layout: where mdadm put things (read back from the superblock).
  layout_.sb = Sector(ref.super_offset);
  layout_.data_offset = Sector(ref.data_offset);
  layout_.bblog = layout_.sb + SectorCount(static_cast<uint64_t>(ref.bblog_offset));
  layout_.bblog_sectors = SectorCount(ref.bblog_size);
  const bool has_intent = (ref.feature_map & kFeatureBitmapOffset) != 0;
  layout_.intent_area = layout_.sb + SectorCount(static_cast<uint64_t>(has_intent ? ref.bitmap_offset : 8));
  layout_.intent_sectors = layout_.bblog - layout_.intent_area;
  // 3. Members: current (events + 1 >= freshest: tolerates the clean/active
  // toggle) take their role; older ones are left out ("possibly out of date")
  // until re-added. mdadm ignores a device whose role table records the
  // freshest one as failed; a tie with conflicting tables is noted (F25).
  assembly_conflict_.clear();
  for (Member& m : members_) {
    const auto& sb = sbs[m.index];
    if (!sb || sb->set_uuid != ref.set_uuid) {
      m.present = sbs[m.index].has_value();
      continue;
    }
    m.sb_events = sb->events;
    m.write_mostly = (sb->devflags & kDevflagWriteMostly) != 0;
    m.corrected_read_errors = sb->cnt_corrected_read;
    // Only on a tie: with lower events mdadm would ignore the device too and
    // then refuse to start without --force; the model assembles as --force
    // does there (role from the freshest superblock, docs/verification.md F25).
    if (m.index != fresh && sb->events == ref.events && !opts.force && reports_failed(*sb, ref)) {
      note_conflict(m.index, fresh, "reports the freshest member as failed");
      continue;
    }
    const uint16_t role = role_at_assembly(*sb, ref);
    if (m.index != fresh && sb->events == ref.events && role != role_in(ref, sb->dev_number))
      note_conflict(m.index, fresh, "is active on its own superblock, failed on the freshest");
    if (role >= ref.raid_disks || sb->events + 1 < ref.events) continue;
    m.raid_disk = role;
    m.in_sync = (sb->feature_map & kFeatureRecoveryOffset) == 0;
    m.recovery_offset = m.in_sync ? Sector::max() : Sector(sb->recovery_offset);
    m.bitmap_sync = (sb->feature_map & kFeatureRecoveryBitmap) != 0;
  }
  // Bad-block logs, of every member of this array, out-of-date ones too:
  // super_1_load reads a device's log when it is imported, so a member
  // re-added later (mdadm --re-add) keeps the bad blocks it recorded before
  // it left; its stale data there is never read or counted as a copy.
  for (Member& m : members_) {
    const auto& sb = sbs[m.index];
    if (!sb || sb->set_uuid != ref.set_uuid || layout_.bblog_sectors.value() == 0) continue;
    disk::IoRequest req;
    req.op = disk::IoOp::read;
    req.sector = layout_.bblog;
    req.count = layout_.bblog_sectors;
    req.io_class = disk::IoClass::badblocks;
    req.want_bytes = true;
    disk::IoResult r = co_await member_io(m.index, std::move(req));
    if (r.ok() && (sbs[m.index]->feature_map & kFeatureBadBlocks)) load_badblocks(m.badblocks, r.bytes);
  }
  pers_ = make_personality(*this);  // [raid: changed] by level
  // raid1/raid10 setup_conf, raid5's run: a member assembled mid-recovery
  // without MD_FEATURE_RECOVERY_BITMAP has saved_raid_disk = -1
  // (super_1_validate), so its recovery is full (conf->fullsync), not guided
  // by the intent record (L9b: a full recovery cut by a crash resumed as a
  // bitmap-guided one and skipped clean chunks the member never had).
  for (const Member& m : members_)
    if (m.writable() && !m.in_sync && !m.bitmap_sync) pers_->add_disk(m.index, true);
  int working = 0;
  for (const Member& m : members_)
    if (m.writable() && m.in_sync) ++working;
  if (working == 0) {
    detail = "no In_sync member with a current superblock";
    co_return;
  }
  if (degraded() && resync_offset_ != Sector::max() && pers_->refuses_dirty_degraded() &&
      !opts.force) {
    detail = "cannot start dirty degraded array";
    co_return;
  }
  // 4. The intent record: type from the superblock (and the record's version).
  IntentOptions io = config_.intent;
  io.type = IntentType::none;
  if (has_intent) {
    disk::IoResult r = co_await read_metadata(fresh, SectorCount(0), SectorCount(1));
    auto bsb = r.ok() ? decode_bitmap_super(r.bytes.data()) : std::nullopt;
    // Version 6 (llbitmap) and other records are detected by their backends
    // when the orchestrator registers them; here 3..5 is the classic bitmap.
    io.type = IntentType::bitmap;
    // [intents] llbitmap (version 6), journal and epochmap records.
    if (auto t = r.ok() ? detect_intent_type(r.bytes.data()) : std::nullopt) {
      io.type = *t;
    } else if (bsb) {
      io.chunk_bytes = bsb->chunksize;
      io.daemon_sleep_s = config_.intent.daemon_sleep_s >= 0 ? config_.intent.daemon_sleep_s : bsb->daemon_sleep;
      io.write_behind = bsb->write_behind;
    }
  }
  io.mutants = config_.mutants;
  config_.intent = io;
  intent_ = make_intent_backend(*this, io);
  co_await intent_->load(resync_offset_);
  // 5. Decide.
  bool recovering = false;
  for (const Member& m : members_)
    if (m.writable() && !m.in_sync) recovering = true;
  const bool unclean = resync_offset_ != Sector::max() || intent_->needs_sync();
  if (recovering) decision = AssembleDecision::recovery;
  else if (unclean && intent_->enabled()) decision = AssembleDecision::intent_resync;
  else if (unclean) decision = AssembleDecision::full_resync;
  else decision = AssembleDecision::nothing;
  if (recovering || unclean) recovery_needed_ = true;
  sim_.trace().record(sim_.now(), kTraceAssemble, actor_, static_cast<uint64_t>(decision), events_,
                      resync_offset_.value());
  start_threads();
}

bool Mddev::re_add(int member) {
  // mdadm --re-add -> super_1_validate with a bitmap: events >= events_cleared
  // allows a recovery guided by the intent record (Bitmap_sync), else the
  // member is treated as new (full recovery).
  Member& m = members_.at(member);
  if (m.writable() && !m.faulty) return false;  // already in the array
  auto used = [&](int r) {
    for (const Member& o : members_)
      if (o.index != member && o.writable() && o.raid_disk == r) return true;
    return false;
  };
  // raid1/raid10_add_disk: back into its saved role when that slot is free;
  // else the first free slot. Only its old slot holds data the intent record
  // can vouch for: anywhere else (raid10 / raid5 slots hold different data)
  // the recovery is full.
  const int saved = m.raid_disk >= 0 ? m.raid_disk : m.saved_raid_disk;
  int slot = saved >= 0 && saved < config_.raid_disks && !used(saved) ? saved : -1;
  for (int r = 0; r < config_.raid_disks && slot < 0; ++r)
    if (!used(r)) slot = r;
  if (slot < 0) return false;
  const bool same_role = slot == saved || config_.level == 1;
  const bool partial = same_role && intent_ && intent_->can_partial_readd(m.sb_events) && m.sb_events > 0;
  // Not part of a recovery pass already running (md_do_sync, L9a).
  if (static_cast<size_t>(member) < sync_pass_members_.size()) sync_pass_members_[member] = 0;
  m.present = true;
  m.faulty = false;
  m.raid_disk = slot;
  m.in_sync = config_.mutants.on(Mutant::readd_skips_recovery);  // mutant: trusted at once
  m.recovery_offset = m.in_sync ? kMaxSector : Sector(0);
  m.bitmap_sync = partial;
  m.write_error_seen = false;
  if (!partial) fullsync_ = true;
  pers_->add_disk(member, !partial);
  set_sb_change(true);
  recovery_needed_ = true;
  wake_thread();
  return true;
}

}  // namespace mdsim::md
