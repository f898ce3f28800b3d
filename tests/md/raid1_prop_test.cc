// Property (liveness + convergence without crashes): any sequence of user
// writes, reads, discards, flushes, batches and idle gaps on raid1 leaves the
// mirrors identical, every read returning the last acknowledged write, and,
// once the daemon has had time, no bit set. The online intent-before-data
// check is fatal throughout.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <vector>

#include "model/md/array.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

struct Op {
  int kind;          // 0 write, 1 read, 2 discard, 3 flush, 4 advance, 5 batch of writes
  uint64_t block;    // 4 KiB block index
  uint64_t blocks;
  uint64_t advance_ms;
};

constexpr uint64_t kBlocks = 2048;  // the first 8 MiB of the array

void run_ops(md::IntentType type, uint64_t seed, const std::vector<Op>& ops) {
  md::ArrayConfig c;
  c.raid_disks = 2;
  c.assume_clean = true;
  c.intent.type = type;
  c.intent.chunk_bytes = type == md::IntentType::bitmap ? 64 * 1024 : 0;
  disk::DiskConfig d;
  d.capacity = disk::SectorCount(64ull << 11);
  testing::MdRig rig(seed, c, d);
  std::map<uint64_t, uint64_t> expect;  // array sector -> content word (acknowledged)
  auto record = [&](const md::UserIo& io, const md::UserResult& r) {
    RC_ASSERT(r.ok);
    for (uint64_t i = 0; i < io.count.value(); ++i)
      expect[io.sector.value() + i] = io.op == md::UserOp::write ? md::stamp(r.write_id, i) : 0;
  };
  uint64_t outstanding = 0;
  for (const Op& op : ops) {
    const uint64_t s = op.block * 8;
    const uint64_t n = op.blocks * 8;
    switch (op.kind) {
      case 0:
      case 2: {
        auto r = rig.io({op.kind == 0 ? md::UserOp::write : md::UserOp::discard,
                         disk::Sector(s), disk::SectorCount(n)});
        record({op.kind == 0 ? md::UserOp::write : md::UserOp::discard, disk::Sector(s),
                disk::SectorCount(n)}, r);
        break;
      }
      case 1: {
        auto r = rig.read(s, n);
        RC_ASSERT(r.ok);
        for (uint64_t i = 0; i < n; ++i) {
          auto it = expect.find(s + i);
          RC_ASSERT(r.words[i] == (it == expect.end() ? 0 : it->second));
        }
        break;
      }
      case 3: rig.io({md::UserOp::flush, disk::Sector(0), disk::SectorCount(0)}); break;
      case 4: rig.run_for(sim::Duration::ms(static_cast<int64_t>(op.advance_ms))); break;
      case 5: {
        // Disjoint blocks in one submission call (one plug when > 2).
        std::vector<md::UserIo> batch;
        for (uint64_t k = 0; k < op.blocks; ++k)
          batch.push_back({md::UserOp::write, disk::Sector(((op.block + k * 37) % kBlocks) * 8),
                           disk::SectorCount(8)});
        outstanding += batch.size();
        rig.array->submit_batch(batch, [&](const md::UserIo& io, const md::UserResult& r) {
          record(io, r);
          --outstanding;
        });
        while (outstanding > 0) RC_ASSERT(rig.sim->step());
        break;
      }
    }
  }
  rig.array->wait_idle();
  rig.run_for(sim::Duration::s(40));
  RC_ASSERT(rig.array->counters().intent_violations == 0u);
  RC_ASSERT(rig.mirror_diff(1, kBlocks * 8 + 64) == 0u);
  RC_ASSERT(rig.array->intent().dirty_ranges().empty());
  RC_ASSERT(rig.array->clean());
}

rc::Gen<Op> gen_op() {
  return rc::gen::build<Op>(rc::gen::set(&Op::kind, rc::gen::inRange(0, 6)),
                            rc::gen::set(&Op::block, rc::gen::inRange<uint64_t>(0, kBlocks - 16)),
                            rc::gen::set(&Op::blocks, rc::gen::inRange<uint64_t>(1, 16)),
                            rc::gen::set(&Op::advance_ms, rc::gen::inRange<uint64_t>(0, 12000)));
}

RC_GTEST_PROP(Raid1Prop, MirrorsConvergeAndBitsClearBitmap, ()) {
  const auto ops = *rc::gen::container<std::vector<Op>>(*rc::gen::inRange(1, 30), gen_op());
  run_ops(md::IntentType::bitmap, *rc::gen::inRange<uint64_t>(1, 1000), ops);
}

RC_GTEST_PROP(Raid1Prop, MirrorsConvergeNone, ()) {
  const auto ops = *rc::gen::container<std::vector<Op>>(*rc::gen::inRange(1, 30), gen_op());
  run_ops(md::IntentType::none, *rc::gen::inRange<uint64_t>(1, 1000), ops);
}

}  // namespace
}  // namespace mdsim
