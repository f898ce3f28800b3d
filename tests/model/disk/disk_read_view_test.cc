// The read view (media + the cache laid over it) is dropped after many writes
// without a reader and rebuilt on the next one (disk_impl.h): whatever the
// history, reads, current_word() and current_image() must equal a reference
// that applies every write in completion order.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "model/disk/disk.h"
#include "sim/prng.h"
#include "sim/simulator.h"

namespace mdsim::disk {
namespace {

constexpr uint64_t kSectors = 4096;

struct Rig {
  sim::Simulator sim{7};
  Disk disk;
  std::vector<uint64_t> ref = std::vector<uint64_t>(kSectors, 0);  // completion order
  sim::Prng rng{0};
  uint64_t next_stamp = 1;

  explicit Rig(int64_t destage_delay_ns)
      : disk(sim, "d0", [&] {
          DiskConfig c;
          c.capacity = SectorCount(kSectors);
          c.destage_delay_ns = destage_delay_ns;
          return c;
        }()) {
    rng = sim.stream("view.test");
  }

  uint64_t pending = 0;

  // Steps the simulation until every submitted request completed (not until
  // idle: cached writes stay cached until their destage time).
  void settle() {
    while (pending > 0) sim.step();
  }

  // n random writes of 1..16 sectors, 16 at a time, one in fua_one_in FUA
  // (they overtake cached writes on media; 0 = none), none read back.
  void writes(int n, uint64_t fua_one_in) {
    for (int done = 0; done < n;) {
      for (int k = 0; k < 16 && done < n; ++k, ++done) {
        const uint64_t len = 1 + rng.below(16);
        const uint64_t at = rng.below(kSectors - len);
        IoRequest r;
        r.op = IoOp::write;
        r.sector = Sector(at);
        r.count = SectorCount(len);
        r.fua = fua_one_in > 0 && rng.below(fua_one_in) == 0;
        for (uint64_t i = 0; i < len; ++i) r.payload.stamps.push_back(next_stamp++);
        std::vector<uint64_t> words = r.payload.stamps;
        ++pending;
        disk.submit(std::move(r), [this, at, words](IoResult res) {
          --pending;
          ASSERT_TRUE(res.ok());
          for (size_t i = 0; i < words.size(); ++i) ref[at + i] = words[i];
        });
      }
      settle();
    }
  }

  void expect_view_matches() {
    for (uint64_t s = 0; s < kSectors; ++s) ASSERT_EQ(disk.current_word(Sector(s)), ref[s]) << s;
    const DiskImage img = disk.current_image();
    for (uint64_t s = 0; s < kSectors; ++s) ASSERT_EQ(img.word(Sector(s)), ref[s]) << s;
  }

  std::vector<uint64_t> read_all() {
    IoRequest r;
    r.op = IoOp::read;
    r.sector = Sector(0);
    r.count = SectorCount(kSectors);
    r.io_class = IoClass::read;
    std::optional<IoResult> out;
    ++pending;
    disk.submit(std::move(r), [&](IoResult res) {
      --pending;
      out = std::move(res);
    });
    settle();
    EXPECT_TRUE(out && out->ok());
    return out ? out->words : std::vector<uint64_t>{};
  }
};

TEST(DiskReadView, RebuiltExactlyAfterManyUnreadWrites) {
  Rig rig(0);  // only flushes destage: the cache keeps every non-FUA write
  rig.writes(3000, 4);  // the FUA quarter outruns the cache by far more than 256
  EXPECT_GT(rig.disk.cached_writes(), 1000u);
  EXPECT_EQ(rig.read_all(), rig.ref);
  rig.writes(3000, 4);
  rig.expect_view_matches();
}

TEST(DiskReadView, ExactWhileDestagingWithReadsFarApart) {
  Rig rig(100'000);  // 100 us: a few hundred writes cached, destaging all the time
  for (int round = 0; round < 6; ++round) {
    rig.writes(2000, round % 2 == 0 ? 0 : 16);  // far more than the cache holds: dropped
    ASSERT_GT(rig.disk.cached_writes(), 0u);
    // No simulated time passes here: the rebuilt view must lay the cache over media.
    rig.expect_view_matches();
    // A full read takes longer than the destage delay: by then all is on media.
    EXPECT_EQ(rig.read_all(), rig.ref) << round;
  }
  rig.expect_view_matches();
}

TEST(DiskReadView, DrainedCacheSharesOneTreeAfterARebuild) {
  Rig rig(0);
  rig.writes(3000, 4);
  IoRequest f;
  f.op = IoOp::flush;
  rig.disk.submit(std::move(f), [](IoResult r) { EXPECT_TRUE(r.ok()); });
  rig.sim.run();
  EXPECT_EQ(rig.disk.cached_writes(), 0u);
  EXPECT_TRUE(rig.disk.media_image().same_tree(rig.disk.current_image()));
  rig.expect_view_matches();
}

}  // namespace
}  // namespace mdsim::disk
