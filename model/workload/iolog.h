// Replay of a recorded IO trace: fio's iolog version 2 (what write_iolog=
// produces), read with read_iolog=FILE.
//
// Format: a first line "fio version 2 iolog", then one action per line:
//   <file> add|open|close           file bookkeeping: ignored
//   <file> read|write|trim <offset> <length>   an IO, offset and length in bytes
//   <file> sync|datasync            a flush (an empty PREFLUSH, as fsync does)
//   <file> wait <usec>              idle for that many microseconds (fio's v2 delay)
// All lines must name the same file (the array). Offsets and lengths must be
// multiples of 512 and lengths non-zero. sync_file_range, version 3 logs (with
// timestamps) and blkparse text are reported unsupported. Errors name the
// source and the 1-based line; all errors of a file are reported together.
//
// Invariants: entries keep the file's order; an io entry has count > 0 unless
// it is a flush.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/workload/io_target.h"
#include "sim/time.h"

namespace mdsim::workload {

struct IologEntry {
  enum class Kind : uint8_t { io, wait };
  Kind kind = Kind::io;
  UserIo io;            // kind == io (a flush for sync/datasync)
  sim::Duration wait;   // kind == wait
};

struct Iolog {
  std::string source;
  std::vector<IologEntry> entries;
  disk::Sector end_sector;  // one past the highest sector any IO touches
};

// Throws WorkloadError.
std::shared_ptr<const Iolog> parse_fio_iolog(std::string_view text, std::string_view source);
std::shared_ptr<const Iolog> read_fio_iolog(const std::string& path);

}  // namespace mdsim::workload
