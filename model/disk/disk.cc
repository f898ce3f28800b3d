#include "model/disk/disk.h"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>

#include "model/disk/disk_impl.h"

namespace mdsim::disk {

void Disk::PendingWrite::apply(DiskImage& img, uint64_t first, uint64_t n) const {
  SIM_ASSERT(first + n <= count.value());
  SIM_ASSERT(words.size() == count.value());
  img.set_range(sector + SectorCount(first), n, words.data() + first,
                bytes.empty() ? nullptr : bytes.data() + first,
                superseded.empty() ? nullptr : superseded.data() + first);
}

Disk::Disk(sim::Simulator& sim, std::string name, DiskConfig config)
    : Disk(sim, std::move(name), config, DiskImage(config.capacity)) {}

Disk::Disk(sim::Simulator& sim, std::string name, DiskConfig config, const DiskImage& image)
    : sim_(sim), name_(std::move(name)), config_(config) {
  SIM_ASSERT(config_.capacity.value() > 0);
  SIM_ASSERT(config_.logical_block_bytes == 512 || config_.logical_block_bytes == 4096);
  SIM_ASSERT(config_.queue_depth > 0);
  SIM_ASSERT(config_.destage_delay_ns >= 0);
  SIM_ASSERT(image.capacity() == config_.capacity);
  impl_ = std::make_unique<Impl>(*this, image);
}

Disk::~Disk() = default;

uint32_t Disk::inflight() const {
  return impl_->active + static_cast<uint32_t>(impl_->waiting.size());
}

// Inspection sees the write-back due by now (Impl::catch_up).
uint64_t Disk::media_word(Sector s) const {
  impl_->catch_up();
  return impl_->media.word(s);
}

uint64_t Disk::current_word(Sector s) const {
  impl_->catch_up();
  return impl_->read_view().word(s);
}

void Disk::media_bytes(Sector s, SectorCount n, std::vector<uint8_t>& out) const {
  SIM_ASSERT(s.value() + n.value() <= config_.capacity.value());
  impl_->catch_up();
  out.resize(n.bytes());
  for (uint64_t i = 0; i < n.value(); ++i) {
    impl_->media.render(s + SectorCount(i), out.data() + i * kSectorBytes);
  }
}

const DiskImage& Disk::media_image() const {
  impl_->catch_up();
  return impl_->media;
}

const DiskImage& Disk::current_image() const {
  impl_->catch_up();
  return impl_->read_view();
}

uint64_t Disk::cached_writes() const {
  impl_->catch_up();
  return impl_->cache.size();
}

uint64_t Disk::cached_bytes() const {
  impl_->catch_up();
  return impl_->cached_bytes;
}

void Disk::set_failed(bool failed) { impl_->failed = failed; }
void Disk::set_missing(bool missing) { impl_->missing = missing; }

void Disk::set_slow_factor(uint32_t factor) {
  SIM_ASSERT(factor >= 1);
  impl_->slow_factor = factor;
}

void Disk::add_latency_spike(sim::Instant from, sim::Instant to, sim::Duration extra) {
  SIM_ASSERT(from <= to);
  SIM_ASSERT(extra >= sim::Duration::zero());
  impl_->spikes.push_back({from, to, extra});
}

void Disk::add_bad_range(SectorRange r, bool sticky) {
  SIM_ASSERT(r.end().value() <= config_.capacity.value());
  impl_->bad.add(r, sticky);
}

void Disk::add_write_error_range(SectorRange r) {
  SIM_ASSERT(r.end().value() <= config_.capacity.value());
  impl_->write_errors.push_back(r);
}

Disk::CrashLayers Disk::capture() const {
  impl_->catch_up();
  CrashLayers l;
  l.disk_name = name_;
  l.at = sim_.now();
  l.block_sectors = config_.logical_block_bytes / kSectorBytes;
  l.media = impl_->media;
  l.cached.assign(impl_->cache.begin(), impl_->cache.end());
  std::vector<Impl::RequestPtr> flying = impl_->in_flight;
  std::sort(flying.begin(), flying.end(), [](auto a, auto b) { return a->id < b->id; });
  l.in_flight.reserve(flying.size());
  for (Impl::RequestPtr r : flying) l.in_flight.push_back(r->write);
  return l;
}

void Disk::submit(IoRequest req, Done done) {
  SIM_ASSERT(done != nullptr);
  impl_->validate(req);
  const bool volatile_cache = config_.cache == CacheMode::volatile_cache;
  if (req.op == IoOp::write && volatile_cache && !config_.fua_supported &&
      (req.fua || req.preflush)) {
    impl_->submit_emulated(std::move(req), std::move(done));
    return;
  }
  impl_->submit_native(std::move(req), std::move(done));
}

}  // namespace mdsim::disk
