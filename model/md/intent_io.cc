#include "model/md/intent_io.h"

#include <algorithm>
#include <memory>

namespace mdsim::md {

void put_le32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  SIM_ASSERT(at + 4 <= b.size());
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_le64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  SIM_ASSERT(at + 8 <= b.size());
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t get_le32(const std::vector<uint8_t>& b, size_t at) {
  if (at + 4 > b.size()) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(b[at + i]) << (8 * i);
  return v;
}
uint64_t get_le64(const std::vector<uint8_t>& b, size_t at) {
  if (at + 8 > b.size()) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(b[at + i]) << (8 * i);
  return v;
}

void MediaView::apply(SectorCount offset, const std::vector<uint8_t>& bytes) {
  const uint64_t at = offset.bytes();
  if (bytes_.size() < at + bytes.size()) bytes_.resize(at + bytes.size(), 0);
  std::copy(bytes.begin(), bytes.end(), bytes_.begin() + static_cast<ptrdiff_t>(at));
}

namespace {

struct BatchState {
  explicit BatchState(sim::Simulator& sim) : done(sim) {}
  size_t left = 0;
  sim::Completion done;
};

sim::Task one_write(IntentHost& host, MetaWrite w, MediaView* view, disk::IoClass cls,
                    std::shared_ptr<BatchState> st) {
  std::vector<uint8_t> copy = view ? w.bytes : std::vector<uint8_t>{};
  co_await host.write_metadata(w.offset, std::move(w.bytes), cls);
  if (view) view->apply(w.offset, copy);
  if (--st->left == 0) st->done.complete();
}

}  // namespace

// Models a blk plug around several md_write_metadata calls plus md_super_wait.
sim::Task write_batch(IntentHost& host, std::vector<MetaWrite> writes, MediaView* view,
                      disk::IoClass cls) {
  if (writes.empty()) co_return;
  auto st = std::make_shared<BatchState>(host.sim());
  st->left = writes.size();
  for (auto& w : writes) {
    SIM_ASSERT(w.bytes.size() % disk::kSectorBytes == 0 && !w.bytes.empty());
    host.sim().spawn(one_write(host, std::move(w), view, cls, st));
  }
  co_await st->done.wait();
}

sim::ValueTask<std::vector<uint8_t>> read_area(IntentHost& host, SectorCount offset,
                                               SectorCount count) {
  for (int m : host.metadata_read_sources()) {
    disk::IoResult r = co_await host.read_metadata(m, offset, count);
    if (r.ok() && r.bytes.size() == count.bytes()) co_return std::move(r.bytes);
  }
  co_return std::vector<uint8_t>{};
}

sim::Task GroupCommit::sync(std::function<sim::Task()> round) {
  const uint64_t target = requested_;
  while (durable_ < target) {
    if (busy_) {
      co_await wq_.wait();
      continue;
    }
    busy_ = true;
    const uint64_t covers = requested_;
    co_await round();
    durable_ = std::max(durable_, covers);
    busy_ = false;
    wq_.wake_all();
  }
}

void append_chunk_range(std::vector<SectorRange>& out, uint64_t first_chunk, uint64_t last_chunk,
                        SectorCount chunk, SectorCount limit) {
  const uint64_t s = first_chunk * chunk.value();
  if (s >= limit.value()) return;
  const uint64_t e = std::min((last_chunk + 1) * chunk.value(), limit.value());
  if (!out.empty() && out.back().end().value() == s) {
    out.back().count += SectorCount(e - s);
    return;
  }
  out.push_back(SectorRange{Sector(s), SectorCount(e - s)});
}

}  // namespace mdsim::md
