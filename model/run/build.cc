#include "model/run/build.h"

#include "model/md/raid_geometry.h"
#include "model/run/runner.h"
#include "sim/assert.h"

namespace mdsim::run {

using scenario::Scenario;

namespace {
constexpr uint64_t kPreflushIdBit = 1ull << 63;
}  // namespace

static disk::Profile profile_of(const std::string& p) {
  if (p == "ramdisk") return disk::Profile::ramdisk;
  if (p == "sata_ssd") return disk::Profile::sata_ssd;
  if (p == "hdd") return disk::Profile::hdd;
  SIM_ASSERT(p == "nvme");
  return disk::Profile::nvme;
}

disk::DiskConfig disk_config(const Scenario& s, size_t member, uint64_t seed) {
  SIM_ASSERT(member < s.disk.members.size());
  const scenario::DiskSettings& m = s.disk.members[member];
  disk::DiskConfig c;
  c.capacity = disk::SectorCount(s.array.size_bytes / 512 + kMemberHeadroomSectors);
  c.logical_block_bytes = s.disk.base.logical_block_bytes;
  c.profile = profile_of(m.profile);
  c.cache = m.write_cache == "volatile" ? disk::CacheMode::volatile_cache : disk::CacheMode::write_through;
  c.fua_supported = m.fua;
  c.queue_depth = m.queue_depth;
  c.destage_delay_ns = m.destage_delay_ns;
  c.seed = seed;
  return c;
}

uint32_t raid_layout_code(int level, const std::string& layout) {
  // md's superblock encoding: raid10 far copies << 8 | near copies (| 1 << 16
  // for offset); raid5 the
  // ALGORITHM_* numbers. Only what the engine models (raid_geometry.cc).
  if (level == 10) {
    if (layout.empty() || layout == "n2") return md::kRaid10LayoutNear2;
    if (layout == "n3") return 0x103;
    if (layout == "f2") return md::kRaid10LayoutFar2;
    if (layout == "o2") return md::kRaid10LayoutOffset2;
    return 0;
  }
  if (level == 5 && (layout.empty() || layout == "left-symmetric")) return md::kRaid5LeftSymmetric;
  return 0;
}

md::ArrayConfig array_config(const Scenario& s) {
  md::ArrayConfig c;
  c.level = s.array.level;
  c.raid_disks = static_cast<int>(s.array.disks);
  c.member_data_size = disk::SectorCount(s.array.size_bytes / 512);
  c.assume_clean = s.array.assume_clean;
  if (s.array.level != 1) {
    c.chunk_sectors = static_cast<uint32_t>(s.array.chunk_bytes / 512);
    c.layout = raid_layout_code(s.array.level, s.array.layout);
  }
  c.safemode_delay_ms = s.array.safe_mode_delay_ms;
  c.intent.type = static_cast<md::IntentType>(s.array.intent.type);
  c.intent.chunk_bytes = s.array.intent.chunk_bytes;
  c.intent.daemon_sleep_s = s.array.intent.daemon_sleep_s;
  if (s.array.intent.type == scenario::IntentType::llbitmap) c.intent.barrier_idle_s = s.array.intent.barrier_idle_s;
  if (s.array.intent.type == scenario::IntentType::journal || s.array.intent.type == scenario::IntentType::ours)
    c.intent.journal_bytes = 0;  // backend default area; journal_entries is advisory (docs/scenario-format.md)
  // Violations are counted and reported by the intent_before_data check
  // instead of aborting the run.
  for (const std::string& m : s.mutants) c.mutants.set(*md::mutant_from_name(m));
  c.check_intent_before_data = true;
  c.fatal_intent_violation = false;
  return c;
}
static_assert(static_cast<int>(scenario::IntentType::ours) == static_cast<int>(md::IntentType::ours));

static workload::RwMode rw_of(const std::string& rw) {
  using workload::RwMode;
  if (rw == "write") return RwMode::write;
  if (rw == "randwrite") return RwMode::randwrite;
  if (rw == "read") return RwMode::read;
  if (rw == "randread") return RwMode::randread;
  if (rw == "rw") return RwMode::readwrite;
  if (rw == "randrw") return RwMode::randrw;
  if (rw == "trim") return RwMode::trim;
  SIM_ASSERT(rw == "randtrim");
  return RwMode::randtrim;
}

workload::JobSpec job_spec(const scenario::WorkloadConfig& w) {
  workload::JobSpec j;
  j.name = "scenario";
  j.rw = rw_of(w.rw);
  j.rwmixread = 100 - w.rwmixwrite;
  j.bs_min_bytes = j.bs_max_bytes = w.bs_bytes;
  j.iodepth = w.iodepth;
  j.iodepth_batch_submit = w.iodepth_batch_submit;
  j.numjobs = w.numjobs;
  j.offset = workload::SizeSpec{w.offset_bytes, std::nullopt};
  j.size = workload::SizeSpec{w.size_bytes, std::nullopt};
  j.number_ios = w.ios;
  j.runtime = sim::Duration::ns(w.runtime_ns);
  j.fsync_blocks = w.fsync;
  j.sync_writes = w.sync;
  workload::validate_job(j);
  return j;
}

void ArrayTarget::submit_batch(std::span<const workload::UserIo> ios, workload::UserIoCallback on_complete) {
  SIM_ASSERT(!ios.empty());
  std::vector<md::UserIo> batch;
  batch.reserve(ios.size());
  for (size_t i = 0; i < ios.size(); ++i) {
    const workload::UserIo& w = ios[i];
    md::UserIo io;
    io.sector = w.sector;
    io.count = w.count;
    io.tag = i;
    const uint64_t n = w.count.value();
    switch (w.op) {
      case workload::UserIo::Op::write: {
        io.op = md::UserOp::write;
        io.write_id = next_id_++;
        io.fua = w.fua;
        io.preflush = w.preflush;
        // A PREFLUSH write is a flush submitted with it: writes acknowledged
        // before are durable once it is acknowledged (its flush id is the
        // write id with the top bit set, apart from plain flushes' ids).
        if (w.preflush) oracle_.flush_submitted(io.write_id | kPreflushIdBit);
        std::vector<uint64_t> words(n);
        for (uint64_t k = 0; k < n; ++k) words[k] = md::stamp(io.write_id, k);
        oracle_.write_submitted(io.write_id, w.sector, w.count, words);
        break;
      }
      case workload::UserIo::Op::discard: {
        io.op = md::UserOp::discard;
        io.write_id = next_id_++;  // the oracle's id; the array ignores it for discards
        oracle_.write_submitted(io.write_id, w.sector, w.count, std::vector<uint64_t>(n, 0));
        break;
      }
      case workload::UserIo::Op::flush:
        io.op = md::UserOp::flush;
        io.write_id = next_id_++;
        oracle_.flush_submitted(io.write_id);
        break;
      case workload::UserIo::Op::read: io.op = md::UserOp::read; break;
    }
    batch.push_back(io);
  }
  outstanding_ += batch.size();
  // The oracle ids travel in `tag`'s companion: keep a copy per batch.
  auto ids = std::make_shared<std::vector<md::UserIo>>(batch);
  array_.submit_batch(std::move(batch), [this, ids, on_complete](const md::UserIo& io, const md::UserResult& r) {
    SIM_ASSERT(outstanding_ > 0);
    --outstanding_;
    const md::UserIo& mine = (*ids)[r.tag];
    if (!r.ok) ++errors_;
    if (r.ok && (mine.op == md::UserOp::write || mine.op == md::UserOp::discard)) {
      if (mine.preflush) oracle_.flush_completed(mine.write_id | kPreflushIdBit);
      oracle_.write_completed(mine.write_id, mine.fua);
    }
    if (r.ok && mine.op == md::UserOp::flush) oracle_.flush_completed(mine.write_id);
    (void)io;
    workload::UserIoCompletion c;
    c.status = r.ok ? disk::IoStatus::ok : disk::IoStatus::media_error;
    c.completed_at = r.completed;
    on_complete(static_cast<size_t>(r.tag), c);
    if (after_completion_) after_completion_();
  });
}

}  // namespace mdsim::run
