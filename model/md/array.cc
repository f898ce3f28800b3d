// The Array facade: steps the simulator for create / assemble / stop and
// forwards everything else to the md core.
#include "model/md/array.h"

#include <cstdio>

#include "model/md/md_array.h"
#include "sim/assert.h"

namespace mdsim::md {

namespace {

// Bounded stepping: a lifecycle operation that needs more events than this is
// a liveness bug, not a long wait.
constexpr uint64_t kStepsMax = 200'000'000;

template <class Pred>
void step_until(sim::Simulator& sim, Pred done) {
  uint64_t steps = 0;
  while (!done()) {
    SIM_ASSERT_MSG(sim.step(), "simulation ran dry before the array operation finished");
    SIM_ASSERT(++steps < kStepsMax);
  }
}

sim::Task run_flag(sim::Task t, bool& flag) {
  co_await std::move(t);
  flag = true;
}

std::array<uint8_t, 16> uuid_from_seed(sim::Simulator& sim) {
  sim::Prng p = sim.stream("md.uuid");
  std::array<uint8_t, 16> u{};
  for (int i = 0; i < 16; i += 8) {
    const uint64_t w = p.next_u64();
    for (int b = 0; b < 8; ++b) u[i + b] = static_cast<uint8_t>(w >> (8 * b));
  }
  return u;
}

}  // namespace

std::string format_counters(const ArrayCounters& c) {
  std::string out = "class        write_reqs     write_bytes   read_reqs      read_bytes\n";
  char line[160];
  for (int i = 0; i < disk::kIoClassCount; ++i) {
    std::snprintf(line, sizeof line, "%-10s %12llu %15llu %11llu %15llu\n",
                  disk::io_class_name(static_cast<disk::IoClass>(i)),
                  static_cast<unsigned long long>(c.member_writes[i].requests),
                  static_cast<unsigned long long>(c.member_writes[i].bytes),
                  static_cast<unsigned long long>(c.member_reads[i].requests),
                  static_cast<unsigned long long>(c.member_reads[i].bytes));
    out += line;
  }
  std::snprintf(line, sizeof line,
                "flushes %llu; user writes %llu (%llu bytes), reads %llu, discards %llu, "
                "flushes %llu, errors %llu; sb rounds %llu; unplugs %llu\n",
                static_cast<unsigned long long>(c.member_flushes),
                static_cast<unsigned long long>(c.user_writes),
                static_cast<unsigned long long>(c.user_write_bytes),
                static_cast<unsigned long long>(c.user_reads),
                static_cast<unsigned long long>(c.user_discards),
                static_cast<unsigned long long>(c.user_flushes),
                static_cast<unsigned long long>(c.user_errors),
                static_cast<unsigned long long>(c.sb_rounds),
                static_cast<unsigned long long>(c.intent_unplugs));
  out += line;
  return out;
}

Array::Array(std::unique_ptr<Mddev> md) : md_(std::move(md)) {}
Array::~Array() = default;

std::unique_ptr<Array> Array::create(sim::Simulator& sim, std::vector<disk::Disk*> disks,
                                     const ArrayConfig& config) {
  ArrayConfig c = config;
  if (c.uuid == std::array<uint8_t, 16>{}) c.uuid = uuid_from_seed(sim);
  auto md = std::make_unique<Mddev>(sim, std::move(disks), c);
  bool done = false;
  sim.spawn(run_flag(md->create_task(), done));
  step_until(sim, [&] { return done; });
  return std::unique_ptr<Array>(new Array(std::move(md)));
}

Array::Assembled Array::assemble(sim::Simulator& sim, std::vector<disk::Disk*> disks,
                                 const AssembleOptions& options) {
  ArrayConfig c = options.runtime;
  c.raid_disks = static_cast<int>(disks.size());
  auto md = std::make_unique<Mddev>(sim, std::move(disks), c);
  Assembled out;
  bool done = false;
  sim.spawn(run_flag(md->assemble_task(options, out.decision, out.detail), done));
  step_until(sim, [&] { return done; });
  if (out.decision != AssembleDecision::refused) out.array.reset(new Array(std::move(md)));
  return out;
}

void Array::stop() {
  bool done = false;
  md_->sim_.spawn(run_flag(md_->stop_task(), done));
  step_until(md_->sim_, [&] { return done; });
}

void Array::submit(UserIo io, UserDone done) {
  std::vector<UserIo> v = md_->take_io_vector();
  v.push_back(io);
  md_->submit_batch(std::move(v), std::move(done), SubmitOptions{});
}

void Array::submit_batch(std::vector<UserIo> ios, UserDone done, SubmitOptions opts) {
  md_->submit_batch(std::move(ios), std::move(done), opts);
}

uint64_t Array::next_write_id() const { return md_->next_write_id(); }
SectorCount Array::capacity() const { return md_->pers_->array_sectors(); }

void Array::fail_member(int member) { md_->md_error(member); }
bool Array::remove_member(int member) { return md_->remove(member); }
bool Array::re_add_member(int member) { return md_->re_add(member); }
void Array::start_sync_action(SyncAction action) { md_->start_sync_action(action); }
SyncAction Array::sync_action() const { return md_->current_action_; }

bool Array::idle() const {
  return md_->user_inflight_ == 0 && !md_->sync_busy() && md_->pers_->quiet();
}

void Array::wait_idle() { step_until(md_->sim_, [&] { return idle(); }); }

void Array::wait_sync_done() { step_until(md_->sim_, [&] { return !md_->sync_busy(); }); }

const ArrayCounters& Array::counters() const { return md_->counters_; }

std::vector<MemberState> Array::members() const {
  std::vector<MemberState> out;
  for (const Member& m : md_->members_) {
    MemberState s;
    s.raid_disk = m.present ? m.raid_disk : -1;
    s.in_sync = m.in_sync;
    s.faulty = m.faulty;
    s.write_mostly = m.write_mostly;
    s.write_error_seen = m.write_error_seen;
    s.recovery_offset = m.recovery_offset;
    s.sb_events = m.sb_events;
    s.bad_blocks = m.badblocks.size();
    s.corrected_read_errors = m.corrected_read_errors;
    out.push_back(s);
  }
  return out;
}

uint64_t Array::events() const { return md_->events_; }
bool Array::clean() const { return md_->in_sync_; }
Sector Array::resync_offset() const { return md_->resync_offset_; }
bool Array::broken() const { return md_->broken_; }
bool Array::sb_change_pending() const { return md_->sb_change_pending_; }
const std::string& Array::assembly_conflict() const { return md_->assembly_conflict_; }
Sector Array::data_offset() const { return md_->data_offset(); }
IntentBackend& Array::intent() { return *md_->intent_; }
const IntentBackend& Array::intent() const { return *md_->intent_; }
void Array::set_data_write_hook(DataWriteHook hook) { md_->data_write_hook_ = std::move(hook); }
void Array::set_member_io_hook(MemberIoHook hook) { md_->member_io_hook_ = std::move(hook); }

}  // namespace mdsim::md
