// Classic bitmap: geometry, page IO, create/load/update_sb/flush, unplug.
// The write/daemon/sync hooks are in bitmap_ops.cc.
#include "model/md/bitmap.h"

#include <algorithm>

#include "sim/assert.h"

namespace mdsim::md {

Bitmap::Bitmap(IntentHost& host, const IntentOptions& opts)
    : host_(host), opts_(opts), write_wait_(host.sim()), overflow_wait_(host.sim()) {
  const BitmapChunkChoice c =
      choose_bitmap_chunk(host.sync_size(), host.intent_area_sectors(), opts.chunk_bytes);
  SIM_ASSERT_MSG(c.error.empty(), c.error);
  chunk_bytes_ = c.chunk_bytes;
  chunk_sectors_ = chunk_bytes_ >> disk::kSectorShift;
  while ((1ull << chunk_shift_) < chunk_sectors_) ++chunk_shift_;
  SIM_ASSERT((1ull << chunk_shift_) == chunk_sectors_);
  chunks_ = (host.sync_size().value() + chunk_sectors_ - 1) / chunk_sectors_;
  file_bytes_ = kBitmapSuperBytes + (chunks_ + 7) / 8;
  pages_ = (file_bytes_ + kBitmapPageBytes - 1) / kBitmapPageBytes;
  SIM_ASSERT(file_bytes_ <= host.intent_area_sectors().bytes());
  daemon_sleep_ = sim::Duration::s(opts.daemon_sleep_s >= 0 ? opts.daemon_sleep_s : kDefaultDaemonSleepS);
  filemap_.assign(pages_ * kBitmapPageBytes, 0);
  page_attr_.assign(pages_, 0);
  page_writing_.assign(pages_, 0);
  const uint64_t cpages = (chunks_ + kCountersPerPage - 1) / kCountersPerPage;
  counter_pages_.resize(cpages);
  counter_page_pending_.assign(cpages, 0);
  SIM_ASSERT(opts.write_behind <= kCounterMax / 2);
}

Bitmap::~Bitmap() = default;

// ---------------------------------------------------------------------------
// Bits and counters.

uint64_t Bitmap::page_of_chunk(uint64_t chunk) const {
  return (kBitmapSuperBytes + chunk / 8) / kBitmapPageBytes;
}

bool Bitmap::bit_in_memory(uint64_t chunk) const {
  SIM_ASSERT(chunk < chunks_);
  return (filemap_[kBitmapSuperBytes + chunk / 8] >> (chunk % 8)) & 1;
}

void Bitmap::set_bit(uint64_t chunk) {
  // md_bitmap_file_set_bit: the page must be written before the data.
  filemap_[kBitmapSuperBytes + chunk / 8] |= static_cast<uint8_t>(1u << (chunk % 8));
  page_attr_[page_of_chunk(chunk)] |= kDirty;
}

void Bitmap::clear_bit(uint64_t chunk) {
  // md_bitmap_file_clear_bit: lazily written (PENDING unless NEEDWRITE).
  filemap_[kBitmapSuperBytes + chunk / 8] &= static_cast<uint8_t>(~(1u << (chunk % 8)));
  uint8_t& a = page_attr_[page_of_chunk(chunk)];
  if (!(a & kNeedWrite)) a |= kPending;
  allclean_ = false;
}

BitmapCounter* Bitmap::counter_ptr(uint64_t chunk, bool create) {
  SIM_ASSERT(chunk < chunks_);
  auto& page = counter_pages_[chunk / kCountersPerPage];
  if (!page) {
    if (!create) return nullptr;
    page = std::make_unique<std::array<BitmapCounter, kCountersPerPage>>();
    page->fill(0);
  }
  return &(*page)[chunk % kCountersPerPage];
}

const BitmapCounter* Bitmap::counter_ptr(uint64_t chunk) const {
  SIM_ASSERT(chunk < chunks_);
  const auto& page = counter_pages_[chunk / kCountersPerPage];
  return page ? &(*page)[chunk % kCountersPerPage] : nullptr;
}

BitmapCounter Bitmap::counter(uint64_t chunk) const {
  const BitmapCounter* c = counter_ptr(chunk);
  return c ? *c : 0;
}

void Bitmap::set_pending(uint64_t chunk) {
  counter_page_pending_[chunk / kCountersPerPage] = 1;
  allclean_ = false;
}

// ---------------------------------------------------------------------------
// Page IO (write_sb_page / write_file_page through md_write_metadata).

std::vector<uint8_t> Bitmap::page_bytes(uint64_t page) {
  if (page == 0) {
    sb_.uuid = host_.uuid();
    encode_bitmap_super(sb_, filemap_.data());
  }
  // The last page is cut to the bytes in use, rounded up to the logical block.
  uint64_t used = std::min<uint64_t>(kBitmapPageBytes, file_bytes_ - page * kBitmapPageBytes);
  const uint64_t lb = host_.logical_block_bytes();
  used = (used + lb - 1) / lb * lb;
  used = std::min<uint64_t>(used, kBitmapPageBytes);
  const auto* p = filemap_.data() + page * kBitmapPageBytes;
  return std::vector<uint8_t>(p, p + used);
}

sim::Task Bitmap::write_page_task(uint64_t page) {
  // Writes of one page are serialised and each takes the page's contents when
  // it starts, so an older image can never land after a newer one.
  while (page_writing_[page]) co_await write_wait_.wait();
  page_writing_[page] = 1;
  std::vector<uint8_t> bytes = page_bytes(page);
  co_await host_.write_metadata(SectorCount(page * (kBitmapPageBytes / disk::kSectorBytes)),
                                std::move(bytes), disk::IoClass::intent);
  page_writing_[page] = 0;
  SIM_ASSERT(inflight_writes_ > 0);
  --inflight_writes_;
  write_wait_.wake_all();
}

void Bitmap::write_page_async(uint64_t page) {
  ++inflight_writes_;
  host_.spawn(write_page_task(page));
}

sim::Task Bitmap::wait_inflight() {
  // md_super_wait: every metadata write issued so far has completed.
  while (inflight_writes_ > 0) co_await write_wait_.wait();
}

sim::Task Bitmap::unplug() {
  // __bitmap_unplug: write every DIRTY or NEEDWRITE page, then wait.
  if (opts_.mutants.on(Mutant::bitmap_set_in_memory_only)) co_return;
  for (uint64_t p = 0; p < pages_; ++p) {
    if (page_attr_[p] & (kDirty | kNeedWrite)) {
      page_attr_[p] &= static_cast<uint8_t>(~(kDirty | kNeedWrite | kPending));
      write_page_async(p);
    }
  }
  if (inflight_writes_ > 0) co_await wait_inflight();
}

bool Bitmap::try_unplug() {
  // unplug's fast path: no page to write and no page write to wait for.
  if (opts_.mutants.on(Mutant::bitmap_set_in_memory_only)) return true;
  for (uint64_t p = 0; p < pages_; ++p)
    if (page_attr_[p] & (kDirty | kNeedWrite)) return false;
  return inflight_writes_ == 0;
}

// ---------------------------------------------------------------------------
// Lifecycle.

sim::Task Bitmap::create(bool assume_clean) {
  // mdadm write_bitmap1: every bit set (0xff), even with --assume-clean; the
  // kernel clears them lazily or resyncs them.
  (void)assume_clean;
  sb_ = BitmapSuper{};
  sb_.events = host_.events();
  sb_.events_cleared = host_.events();
  sb_.sync_size = host_.sync_size().value();
  sb_.chunksize = static_cast<uint32_t>(chunk_bytes_);
  sb_.daemon_sleep = static_cast<uint32_t>(daemon_sleep_.count_ns() / 1'000'000'000);
  sb_.write_behind = opts_.write_behind;
  sb_.sectors_reserved = static_cast<uint32_t>(host_.intent_area_sectors().value());
  for (uint64_t c = 0; c < chunks_; ++c)
    filemap_[kBitmapSuperBytes + c / 8] |= static_cast<uint8_t>(1u << (c % 8));
  for (uint64_t p = 0; p < pages_; ++p) write_page_async(p);
  co_await wait_inflight();  // memory keeps the same image; load() reads it back
}

sim::Task Bitmap::load(Sector resync_offset) {
  // bitmap_load -> md_bitmap_read_sb + md_bitmap_init_from_disk.
  const auto sources = host_.metadata_read_sources();
  SIM_ASSERT_MSG(!sources.empty(), "bitmap load needs an In_sync member");
  const SectorCount sectors((pages_ * kBitmapPageBytes) / disk::kSectorBytes);
  const SectorCount fit = std::min(sectors, host_.intent_area_sectors());
  disk::IoResult r = co_await host_.read_metadata(sources.front(), SectorCount(0), fit);
  SIM_ASSERT(r.ok());
  std::fill(filemap_.begin(), filemap_.end(), uint8_t{0});
  std::copy(r.bytes.begin(), r.bytes.begin() + std::min(r.bytes.size(), filemap_.size()),
            filemap_.begin());
  auto sb = decode_bitmap_super(filemap_.data());
  bool stale = !sb.has_value();
  if (sb) {
    sb_ = *sb;
    stale = stale || (sb_.state & kBitmapStateStale) || sb_.events < host_.events();
    events_cleared_ = sb_.events_cleared;
  }
  if (stale) {
    // "bitmap file is out of date -- forcing full recovery": every bit set.
    sb_.state &= ~kBitmapStateStale;
    events_cleared_ = host_.events();
    for (uint64_t c = 0; c < chunks_; ++c)
      filemap_[kBitmapSuperBytes + c / 8] |= static_cast<uint8_t>(1u << (c % 8));
    for (uint64_t p = 0; p < pages_; ++p) page_attr_[p] |= kNeedWrite;
  }
  const Sector start =
      (!host_.degraded() || events_cleared_ == host_.events()) ? resync_offset : Sector(0);
  bool any_needed = false;
  for (uint64_t c = 0; c < chunks_; ++c) {
    if (!bit_in_memory(c)) continue;
    BitmapCounter* bmc = counter_ptr(c, true);
    if (*bmc == 0) {
      *bmc = 2;
      set_pending(c);
    }
    if (((c + 1) << chunk_shift_) >= start.value() &&
        !opts_.mutants.on(Mutant::bitmap_load_ignores_dirty)) {
      *bmc |= kNeededMask;
      any_needed = true;
    }
  }
  if (stale) co_await unplug();
  if (any_needed) host_.request_resync();
}

sim::Task Bitmap::update_sb() {
  // md_bitmap_update_sb: events (and events_cleared when rolling back), then
  // the sb page written synchronously.
  sb_.events = host_.events();
  if (host_.events() < events_cleared_) events_cleared_ = host_.events();
  sb_.events_cleared = events_cleared_;
  write_page_async(0);
  co_await wait_inflight();
}

sim::Task Bitmap::flush() {
  // md_bitmap_flush: three daemon passes with no delay, then update_sb.
  for (int i = 0; i < 3; ++i) co_await daemon_work();
  co_await update_sb();
}

}  // namespace mdsim::md
