// Block requests as a member disk sees them: the subset of the Linux block
// layer's bio semantics that md's correctness depends on.
//
//  - write: lands in the volatile cache and completes, unless `fua` (or the disk
//    is write-through): then it completes only once its sectors are on media.
//  - preflush (REQ_PREFLUSH): before the write's payload is handled, everything
//    that completed before this request was submitted is made durable.
//  - flush: an empty REQ_PREFLUSH bio.
//  - discard: the range reads back as zero (stamp 0) afterwards.
//
// Contents: every 512-byte sector holds a 64-bit content word. Data written by
// the engine carries stamps (which user write put it there); metadata carries
// real bytes, and its content word is then a hash of those bytes, so mirrors
// can be compared sector by sector whatever the content kind. A sector never
// written (or discarded), or holding 512 zero bytes, has content word 0.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::disk {

enum class IoOp : uint8_t { read, write, flush, discard };

// Accounting class of a member request (counters, online checks, traces).
enum class IoClass : uint8_t { data, intent, superblock, resync, read, badblocks, count_ };
inline constexpr int kIoClassCount = static_cast<int>(IoClass::count_);
const char* io_class_name(IoClass c);

// The stamp words of a write: a vector with room for one 4 KiB page (8 sectors)
// inline, so the common member write allocates nothing (a std::vector cost one
// allocation per mirror per user write). Longer payloads live on the heap.
// Invariants: size_ <= kInline => the words are inline_[0, size_);
// else they are heap_ (heap_.size() == size_).
class Stamps {
 public:
  static constexpr size_t kInline = 8;
  Stamps() = default;
  Stamps(const std::vector<uint64_t>& v) { assign(v.begin(), v.end()); }  // NOLINT
  Stamps(const Stamps& o) { assign(o.begin(), o.end()); }
  Stamps(Stamps&& o) noexcept { steal(o); }
  Stamps& operator=(const Stamps& o) {
    if (this != &o) assign(o.begin(), o.end());
    return *this;
  }
  Stamps& operator=(Stamps&& o) noexcept {
    if (this != &o) steal(o);
    return *this;
  }
  Stamps& operator=(const std::vector<uint64_t>& v) {
    assign(v.begin(), v.end());
    return *this;
  }
  operator std::vector<uint64_t>() const { return {begin(), end()}; }  // NOLINT

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint64_t* data() { return size_ <= kInline ? inline_ : heap_.data(); }
  const uint64_t* data() const { return size_ <= kInline ? inline_ : heap_.data(); }
  uint64_t* begin() { return data(); }
  uint64_t* end() { return data() + size_; }
  const uint64_t* begin() const { return data(); }
  const uint64_t* end() const { return data() + size_; }
  uint64_t& operator[](size_t i) { return data()[i]; }
  const uint64_t& operator[](size_t i) const { return data()[i]; }

  // New words are zero.
  void resize(size_t n);
  void assign(size_t n, uint64_t v) {
    resize(n);
    std::fill(begin(), end(), v);
  }
  template <class It, std::enable_if_t<!std::is_integral_v<It>, int> = 0>
  void assign(It first, It last) {
    const size_t n = static_cast<size_t>(std::distance(first, last));
    if (n <= kInline) {
      std::copy(first, last, inline_);
      heap_.clear();
    } else {
      heap_.assign(first, last);
    }
    size_ = n;
  }
  void push_back(uint64_t v) {
    resize(size_ + 1);
    data()[size_ - 1] = v;
  }

 private:
  void steal(Stamps& o) noexcept {
    size_ = o.size_;
    if (size_ <= kInline) {
      std::copy_n(o.inline_, size_, inline_);
      heap_.clear();
    } else {
      heap_.swap(o.heap_);
    }
    o.size_ = 0;
    o.heap_.clear();
  }

  uint64_t inline_[kInline];
  std::vector<uint64_t> heap_;
  size_t size_ = 0;
};

inline void Stamps::resize(size_t n) {
  if (n <= kInline) {
    if (size_ > kInline) std::copy_n(heap_.data(), n, inline_);
    else if (n > size_) std::fill(inline_ + size_, inline_ + n, 0);
    heap_.clear();
  } else {
    if (size_ <= kInline) heap_.assign(inline_, inline_ + size_);
    heap_.resize(n);
  }
  size_ = n;
}

// Write payload. Exactly one of the two forms is used by a write:
//  - stamps: one content word per sector (data, resync copies); or
//  - bytes: count * 512 real bytes (metadata in on-disk layouts).
struct Payload {
  Stamps stamps;
  std::vector<uint8_t> bytes;
};

struct IoRequest {
  IoOp op = IoOp::write;
  Sector sector;       // unused for flush
  SectorCount count;   // unused for flush
  bool fua = false;
  bool preflush = false;
  IoClass io_class = IoClass::data;
  Payload payload;     // writes only
  bool want_bytes = false;  // reads: also return the bytes of every sector
};

enum class IoStatus : uint8_t {
  ok,
  media_error,     // bad sector or injected write error on the range
  device_failed,   // the whole device fails every request
  device_missing,  // removed from the system
};

struct IoResult {
  IoStatus status = IoStatus::ok;
  // Reads: one content word per sector; bytes too when want_bytes was set
  // (stamped sectors render as their 64-bit stamp repeated, little-endian).
  std::vector<uint64_t> words;
  std::vector<uint8_t> bytes;
  bool ok() const { return status == IoStatus::ok; }
};

// Content word for a metadata sector holding `bytes` (512 of them); 0 iff all zero.
uint64_t content_word_of_bytes(const uint8_t* bytes);

}  // namespace mdsim::disk
