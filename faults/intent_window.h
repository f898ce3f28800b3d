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
// The exemption is exactly that state: md loaded the copy of a member it
// trusts (In_sync: otherwise it is the upstream bug of md-internals 3.8 row
// 7, never exempt), that copy on its media does not mark the chunk (so a load
// that drops a chunk its own copy marks is never exempt), and the copy on the
// post-crash media of ANOTHER trusted member marks it (a state the load would
// resync). Every other backend, and every chunk no other copy marks, is
// judged as before.
#pragma once

#include <span>
#include <vector>

#include "faults/checks.h"
#include "model/disk/sector_store.h"
#include "model/md/array.h"
#include "model/md/consistency.h"

namespace mdsim::faults {

// Intent-space ranges of the chunks that the llbitmap copy on the post-crash
// media of some trusted member other than the one md loaded from marks for
// resync while the loaded member's copy does not. Empty when the backend is
// not llbitmap or md loaded from a member it does not trust. REQUIRES: `a` freshly assembled from `images` (member
// order), before any IO changed its members.
RangeSet llbitmap_copies_mark(md::Array& a, const std::vector<disk::DiskImage>& images);

// True when coverage fails only inside the one-copy window: every candidate
// the loaded intent misses is marked by another member's llbitmap copy.
// `copies_mark` is llbitmap_copies_mark of the same assembly.
bool only_one_copy_window(const RangeSet& copies_mark, const md::MemberImages& view,
                          std::span<const Sector> candidates, const RangeSet& will_resync,
                          SectorCount chunk_sectors);

}  // namespace mdsim::faults
