#include "tests/support/fake_intent_host.h"

#include <algorithm>

namespace mdsim::md::testing {

FakeIntentHost::FakeIntentHost(sim::Simulator& sim, int members, SectorCount sync_size,
                               SectorCount area_sectors, uint32_t lbs)
    : sim_(sim),
      members_(members),
      sync_size_(sync_size),
      area_(area_sectors),
      lbs_(lbs),
      present_(members, true),
      in_sync_(members, true),
      media_(members) {
  for (int i = 0; i < 16; ++i) uuid_[i] = static_cast<uint8_t>(0xa0 + i);
}

FakeIntentHost::FakeIntentHost(sim::Simulator& sim, const FakeIntentHost& c)
    : sim_(sim),
      members_(c.members_),
      sync_size_(c.sync_size_),
      area_(c.area_),
      lbs_(c.lbs_),
      level_(c.level_),
      events_(c.events_),
      degraded_(c.degraded_),
      uuid_(c.uuid_),
      present_(c.present_),
      in_sync_(c.in_sync_),
      media_(c.media_),
      latency_(c.latency_) {}

std::vector<int> FakeIntentHost::metadata_write_targets() const {
  std::vector<int> out;
  for (int m = 0; m < members_; ++m)
    if (present_[m]) out.push_back(m);
  return out;
}

std::vector<int> FakeIntentHost::metadata_read_sources() const {
  std::vector<int> out;
  for (int m = 0; m < members_; ++m)
    if (present_[m] && in_sync_[m]) out.push_back(m);
  return out;
}

disk::Disk& FakeIntentHost::member_disk(int member) {
  SIM_ASSERT_MSG(false, "FakeIntentHost has no Disk objects (member " + std::to_string(member) + ")");
}

sim::Task FakeIntentHost::write_metadata(SectorCount offset, std::vector<uint8_t> bytes,
                                         disk::IoClass cls) {
  (void)cls;
  SIM_ASSERT(bytes.size() % 512 == 0 && !bytes.empty());
  const uint64_t n = bytes.size() / 512;
  SIM_ASSERT_MSG(offset.value() + n <= area_.value(), "metadata write beyond the intent area");
  const std::vector<int> targets = metadata_write_targets();
  member_writes_ += targets.size();
  member_write_bytes_ += targets.size() * bytes.size();
  co_await sim_.sleep(latency_);
  for (int m : targets) {
    if (!present_[m]) continue;
    for (uint64_t i = 0; i < n; ++i) {
      auto& sec = media_[m][offset.value() + i];
      std::copy(bytes.begin() + static_cast<ptrdiff_t>(i * 512),
                bytes.begin() + static_cast<ptrdiff_t>((i + 1) * 512), sec.begin());
    }
  }
  log_.push_back(MetaLogEntry{sim_.now(), offset.value(), n, std::move(bytes)});
}

std::vector<uint8_t> FakeIntentHost::media(int member, uint64_t offset_sectors,
                                           uint64_t sectors) const {
  std::vector<uint8_t> out(sectors * 512, 0);
  for (uint64_t i = 0; i < sectors; ++i) {
    auto it = media_.at(member).find(offset_sectors + i);
    if (it != media_.at(member).end())
      std::copy(it->second.begin(), it->second.end(), out.begin() + static_cast<ptrdiff_t>(i * 512));
  }
  return out;
}

sim::ValueTask<disk::IoResult> FakeIntentHost::read_metadata(int member, SectorCount offset,
                                                             SectorCount count) {
  co_await sim_.sleep(latency_);
  disk::IoResult r;
  if (!present_.at(member)) {
    r.status = disk::IoStatus::device_missing;
    co_return r;
  }
  r.bytes = media(member, offset.value(), count.value());
  for (uint64_t i = 0; i < count.value(); ++i) r.words.push_back(disk::content_word_of_bytes(&r.bytes[i * 512]));
  co_return r;
}

void FakeIntentHost::poke(int member, uint64_t byte_offset, uint8_t value) {
  media_.at(member)[byte_offset / 512][byte_offset % 512] = value;
}

void run_task(sim::Simulator& sim, sim::Task t) {
  bool done = false;
  auto wrap = [](sim::Task inner, bool& flag) -> sim::Task {
    co_await inner;
    flag = true;
  };
  sim.spawn(wrap(std::move(t), done));
  while (!done && sim.step()) {
  }
  SIM_ASSERT_MSG(done, "task did not finish");
}

}  // namespace mdsim::md::testing
