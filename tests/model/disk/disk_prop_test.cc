// Properties of the modeled disk and the crash model, over random workloads,
// disk configurations and crash instants.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "faults/crash_state.h"
#include "model/disk/disk.h"
#include "support/disk_script.h"

namespace mdsim::disk {
namespace {

using testing::ScriptOp;
using testing::ScriptRunner;
using testing::ScriptStep;

DiskConfig gen_config() {
  DiskConfig c;
  c.capacity = SectorCount(1 << 20);
  c.profile = static_cast<Profile>(*rc::gen::inRange(0, 4));
  c.logical_block_bytes = *rc::gen::element(512u, 4096u);
  c.cache = *rc::gen::element(CacheMode::volatile_cache, CacheMode::volatile_cache,
                              CacheMode::write_through);
  c.fua_supported = *rc::gen::arbitrary<bool>();
  c.queue_depth = static_cast<uint32_t>(*rc::gen::inRange(1, 64));
  c.destage_delay_ns = *rc::gen::element<int64_t>(0, 0, 200'000, 50'000'000);
  c.seed = *rc::gen::inRange<uint64_t>(0, 1000);
  return c;
}

std::vector<ScriptStep> gen_steps(bool with_reads_discards) {
  const int n = *rc::gen::inRange(1, 40);
  std::vector<ScriptStep> steps;
  const int kinds = with_reads_discards ? 6 : 4;
  for (int i = 0; i < n; ++i) {
    ScriptStep s;
    s.op = static_cast<ScriptOp>(*rc::gen::inRange(0, kinds));
    s.block = static_cast<uint32_t>(*rc::gen::inRange(0, 64));
    s.blocks = static_cast<uint32_t>(*rc::gen::inRange(1, 9));
    s.gap_ns = static_cast<uint32_t>(*rc::gen::element(0, 0, 0, 1'000, 30'000, 300'000));
    steps.push_back(s);
  }
  return steps;
}

// Durable writes (FUA, or completed before a completed flush) are seen by
// every crash image; anything else may or may not show.
void check_sectors(const DiskImage& img, const ScriptRunner& run) {
  for (uint64_t s = 0; s < run.region_sectors(); ++s) {
    RC_ASSERT(run.allowed(s, img.word(Sector(s)), [&](size_t i) { return run.durable(i); }));
  }
}

// A logical block is atomic: each block of a write is wholly present or absent;
// a completed write that nothing else overlaps is wholly present or absent.
void check_atomicity(const DiskImage& img, const ScriptRunner& run, uint32_t block_sectors) {
  const auto& writes = run.writes();
  for (size_t i = 0; i < writes.size(); ++i) {
    const testing::WriteRecord& w = writes[i];
    if (w.discard) continue;
    uint64_t present_total = 0;
    bool overlapped = false;
    for (uint64_t b = 0; b < w.count.value(); b += block_sectors) {
      uint64_t present = 0;
      for (uint64_t k = 0; k < block_sectors; ++k) {
        const uint64_t s = w.sector.value() + b + k;
        present += img.word(Sector(s)) == ScriptRunner::stamp(i, b + k) ? 1 : 0;
        for (size_t j = 0; j < writes.size() && !overlapped; ++j)
          overlapped = j != i && run.covers(j, s);
      }
      RC_ASSERT(present == 0 || present == block_sectors);
      present_total += present;
    }
    if (w.completed && !overlapped)
      RC_ASSERT(present_total == 0 || present_total == w.count.value());
  }
}

void check_all_choices(const faults::CrashState& state, const ScriptRunner& run,
                       uint32_t block_sectors, uint64_t seed) {
  std::vector<faults::CrashChoiceEnumerator> modes;
  modes.push_back(faults::CrashChoiceEnumerator::random(state, seed, 16));
  modes.push_back(faults::CrashChoiceEnumerator::completion_prefixes(state, 64));
  modes.push_back(faults::CrashChoiceEnumerator::all_subsets(state, 1, 64));
  modes.push_back(faults::CrashChoiceEnumerator::all_subsets_dropping(state, 1, 64));
  faults::CrashStateChoice choice;
  for (auto& e : modes) {
    while (e.next(choice)) {
      const std::vector<DiskImage> imgs = faults::apply_crash(state, choice);
      check_sectors(imgs[0], run);
      check_atomicity(imgs[0], run, block_sectors);
    }
  }
}

RC_GTEST_PROP(DiskCrash, DurableWritesSurviveAndTearsFollowBlocks, ()) {
  const DiskConfig cfg = gen_config();
  const uint64_t seed = *rc::gen::inRange<uint64_t>(0, 1 << 20);
  sim::Simulator sim(seed);
  Disk d(sim, "d0", cfg);
  ScriptRunner run(sim, d, gen_steps(false));
  const sim::Instant last = run.schedule();
  // Mostly inside the script (where caches and queues are busy), sometimes after.
  const bool after = *rc::gen::inRange(0, 4) == 0;
  const int64_t span_ns = last.ns() + (after ? 3'000'000 : 100'000);
  sim.run_until(sim::Instant::from_ns(*rc::gen::inRange<int64_t>(0, span_ns)));
  RC_ASSERT(run.errors() == 0u);
  const faults::CrashState state = faults::capture({&d});
  RC_TAG(state.disks[0].cached.size() > 0 ? "cached" : "no-cache",
         state.disks[0].in_flight.size() > 0 ? "in-flight" : "idle");
  check_all_choices(state, run, cfg.logical_block_bytes / kSectorBytes, seed);
}

RC_GTEST_PROP(DiskReads, ReadsReturnTheLatestCompletedWrite, ()) {
  const DiskConfig cfg = gen_config();
  sim::Simulator sim(*rc::gen::inRange<uint64_t>(0, 1 << 20));
  Disk d(sim, "d0", cfg);
  ScriptRunner run(sim, d, gen_steps(true));
  run.schedule();
  sim.run();
  RC_ASSERT(run.errors() == 0u);
  RC_ASSERT(run.read_mismatches() == 0u);
  auto completed = [&](size_t i) { return run.writes()[i].completed; };
  for (uint64_t s = 0; s < run.region_sectors(); ++s) {
    RC_ASSERT(run.allowed(s, d.current_word(Sector(s)), completed));
  }
  // After a final flush the media equals the read view.
  IoRequest fl;
  fl.op = IoOp::flush;
  d.submit(std::move(fl), [](IoResult) {});
  sim.run();
  for (uint64_t s = 0; s < run.region_sectors(); ++s) {
    RC_ASSERT(d.media_word(Sector(s)) == d.current_word(Sector(s)));
  }
}

RC_GTEST_PROP(DiskTrace, SameSeedSameTraceHash, ()) {
  const DiskConfig cfg = gen_config();
  const std::vector<ScriptStep> steps = gen_steps(true);
  const uint64_t seed = *rc::gen::inRange<uint64_t>(0, 1 << 20);
  auto run_once = [&](uint64_t s) {
    sim::Simulator sim(s);
    Disk d(sim, "d0", cfg);
    ScriptRunner run(sim, d, steps);
    run.schedule();
    sim.run();
    return std::pair<uint64_t, int64_t>{sim.trace().hash(), sim.now().ns()};
  };
  const auto a = run_once(seed);
  RC_ASSERT(a == run_once(seed));
  RC_ASSERT(a.first != 0u);
}

}  // namespace
}  // namespace mdsim::disk
