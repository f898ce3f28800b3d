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

#include <cstdint>
#include <vector>

#include "model/disk/sector.h"

namespace mdsim::disk {

enum class IoOp : uint8_t { read, write, flush, discard };

// Accounting class of a member request (counters, online checks, traces).
enum class IoClass : uint8_t { data, intent, superblock, resync, read, badblocks, count_ };
inline constexpr int kIoClassCount = static_cast<int>(IoClass::count_);
const char* io_class_name(IoClass c);

// Write payload. Exactly one of the two forms is used by a write:
//  - stamps: one content word per sector (data, resync copies); or
//  - bytes: count * 512 real bytes (metadata in on-disk layouts).
struct Payload {
  std::vector<uint64_t> stamps;
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
