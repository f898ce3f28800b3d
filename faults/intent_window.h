// llbitmap's one-copy window, a real md window the coverage check exempts
// (docs/verification.md F31; found as F26 on raid1 and as a raid5 level
// finding).
//
// md keeps one copy of the llbitmap on every member, writes each block to
// every member with its own PREFLUSH|FUA (md_write_metadata), but loads it
// from ONE member only (llbitmap_read_page: the first In_sync rdev that
// reads). The daemon cleans a chunk (Dirty -> Clean) as soon as its writes
// completed, which on a volatile cache means "in the cache", and the Clean
// byte later rides on the next write of the same block. That write's
// PREFLUSH flushes only the member it goes to: a power loss can keep the
// block (chunk Clean) on the member md will read while another member loses
// both its copy of the block (still Dirty there) and, from its cache, the
// data write that let the daemon clean the chunk. md then skips the chunk and
// the copies (or the raid5 parity) stay different. Nothing in md orders
// "data durable on every member" before "Clean on any member's media".
//
// The exemption is exactly that state, at chunk c:
//  - md loaded the copy of a member it trusts (In_sync: loading a rebuilding
//    member is the upstream bug of md-internals 3.8 row 7, never exempt), and
//    that copy on its media does not mark c (a load dropping a chunk its own
//    copy marks is the engine's fault);
//  - another trusted member B's copy on its post-crash media marks c (a state
//    the load would resync), and B's NEWEST write of the sector holding c's
//    byte was still volatile at the crash and dropped by it, and would have
//    un-marked c: B's copy marks c only because the crash lost the block
//    write that carried the Clean byte to B.
// Every other backend, and every other chunk, is judged as before.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "faults/checks.h"
#include "faults/crash_state.h"
#include "model/disk/sector_store.h"
#include "model/md/array.h"
#include "model/md/consistency.h"

namespace mdsim::faults {

// Per member: disk sector -> content of the newest intent-class write of that
// sector still volatile at the crash (cached, then in flight), for the
// sectors where the choice dropped it (nullptr content = all zero).
using DroppedIntent = std::vector<std::map<uint64_t, disk::SectorBytesPtr>>;
DroppedIntent dropped_intent_writes(const CrashState& st, const CrashStateChoice& c);

// Intent-space ranges of the chunks in the window above. Empty when the
// backend is not llbitmap. REQUIRES: `a` freshly assembled from `images`
// (member order), which `dropped` describes, before any IO changed members.
RangeSet llbitmap_copies_mark(md::Array& a, const std::vector<disk::DiskImage>& images,
                              const DroppedIntent& dropped);

// True when coverage fails only inside the one-copy window: every candidate
// the loaded intent misses lies in `copies_mark` (llbitmap_copies_mark of the
// same assembly).
bool only_one_copy_window(const RangeSet& copies_mark, const md::MemberImages& view,
                          std::span<const Sector> candidates, const RangeSet& will_resync,
                          SectorCount chunk_sectors);

}  // namespace mdsim::faults
