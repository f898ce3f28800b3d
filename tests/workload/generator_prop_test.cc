// Generator invariants over random jobs and random completion orders: depth
// never exceeded, call sizes within the batch, offsets aligned inside the
// region, every IO completed once, the IO-count limit met exactly.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <memory>

#include "model/workload/generator.h"

namespace mdsim::workload {
namespace {

// Completes each IO after a pseudo-random latency, so completions reorder.
class JitterTarget : public IoTarget {
 public:
  JitterTarget(sim::Simulator& sim, disk::SectorCount capacity)
      : sim_(sim), capacity_(capacity), prng_(sim.stream("jitter")) {}
  disk::SectorCount capacity() const override { return capacity_; }
  void submit_batch(std::span<const UserIo> ios, UserIoCallback cb) override {
    auto shared = std::make_shared<UserIoCallback>(std::move(cb));
    for (size_t i = 0; i < ios.size(); ++i) {
      RC_ASSERT(ios[i].op == UserIo::Op::flush ||
                ios[i].sector + ios[i].count <= disk::Sector(capacity_.value()));
      ++submitted;
      const auto latency = sim::Duration::us(static_cast<int64_t>(1 + prng_.below(300)));
      sim_.schedule(latency, [this, shared, i] {
        ++completed;
        (*shared)(i, UserIoCompletion{.status = disk::IoStatus::ok, .completed_at = sim_.now()});
      });
    }
  }
  uint64_t submitted = 0;
  uint64_t completed = 0;

 private:
  sim::Simulator& sim_;
  disk::SectorCount capacity_;
  sim::Prng prng_;
};

JobSpec gen_job() {
  static constexpr const char* kRw[] = {"read", "write", "randread", "randwrite", "randrw",
                                        "rw", "trim", "randtrim", "trimwrite", "randtrimwrite"};
  static constexpr const char* kDist[] = {"random", "zipf:1.1", "pareto:0.3", "normal:10"};
  JobSpec j;
  apply_job_key(j, "rw", kRw[*rc::gen::inRange(0, 10)], SizeUnits::fio);
  apply_job_key(j, "random_distribution", kDist[*rc::gen::inRange(0, 4)], SizeUnits::fio);
  j.iodepth = *rc::gen::inRange<uint32_t>(1, 48);
  j.iodepth_batch_submit = *rc::gen::inRange<uint32_t>(0, 40);
  j.iodepth_batch_complete_min = *rc::gen::inRange<uint32_t>(0, j.iodepth + 1);
  j.bs_min_bytes = 512 * *rc::gen::inRange<uint64_t>(1, 9);
  j.bs_max_bytes = j.bs_min_bytes * *rc::gen::inRange<uint64_t>(1, 5);
  j.offset.bytes = 512 * *rc::gen::inRange<uint64_t>(0, 5000);
  j.size = SizeSpec{.bytes = 512 * *rc::gen::inRange<uint64_t>(64, 20000), .percent = {}};
  j.io_size_bytes = uint64_t{1} << 40;
  j.number_ios = *rc::gen::inRange<uint64_t>(1, 300);
  j.numjobs = *rc::gen::inRange<uint32_t>(1, 4);
  j.fsync_blocks = *rc::gen::element<uint64_t>(0, 0, 1, 7);
  if (*rc::gen::inRange(0, 4) == 0) {
    j.thinktime = sim::Duration::us(50);
    j.thinktime_blocks = *rc::gen::inRange<uint32_t>(1, 20);
  }
  return j;
}

RC_GTEST_PROP(GeneratorProp, QueueingAndPlacementInvariants, ()) {
  const JobSpec job = gen_job();
  sim::Simulator sim(*rc::gen::inRange<uint64_t>(0, 1'000'000));
  JitterTarget target(sim, disk::SectorCount(1 << 16));  // 32 MiB
  WorkloadGenerator gen(sim, target, {job}, {.record_ios = true});
  gen.start();
  sim.run();
  RC_ASSERT(gen.done());
  RC_ASSERT(target.completed == target.submitted);
  const uint64_t region_start = job.offset.bytes / 512;
  const uint64_t region_end = region_start + job.size->bytes / 512;
  std::map<std::pair<uint32_t, uint64_t>, uint64_t> call_sizes;
  std::map<uint32_t, uint64_t> data_ios;
  for (const IssuedIo& io : gen.issued()) {
    ++call_sizes[{io.clone, io.call}];
    if (io.io.op == UserIo::Op::flush) continue;
    ++data_ios[io.clone];
    RC_ASSERT(io.io.sector.value() >= region_start);
    RC_ASSERT(io.io.sector.value() + io.io.count.value() <= region_end);
    RC_ASSERT((io.io.sector.value() - region_start) % (job.bs_min_bytes / 512) == 0);
    RC_ASSERT(io.io.count.value() % (job.bs_min_bytes / 512) == 0);
    RC_ASSERT(io.io.count.bytes() <= job.bs_max_bytes);
  }
  for (const auto& [key, n] : call_sizes) RC_ASSERT(n >= 1 && n <= job.effective_batch());
  for (size_t c = 0; c < gen.clone_count(); ++c) {
    RC_ASSERT(gen.clone_in_flight_max(c) <= job.effective_iodepth());
    RC_ASSERT(data_ios[static_cast<uint32_t>(c)] == job.number_ios);
  }
  const RunMetrics m = gen.metrics();
  RC_ASSERT(m.user_ios_completed() + m.user_flushes_completed == target.submitted);
}

}  // namespace
}  // namespace mdsim::workload
