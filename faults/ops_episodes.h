// Generator episodes for orderings the flat op mix of faults/ops_gen.cc
// practically never builds: each is a short, fixed-shape op sequence with
// random parameters, appended by generate_ops. Kept apart from ops_gen.cc so
// episodes can be added without touching the flat mix.
//
// Every episode only emits ordinary ops; nothing in here knows about mutants,
// so the same lists must pass on the clean engine (kills stay differential).
#pragma once

#include <cstdint>
#include <vector>

#include "faults/ops.h"
#include "faults/ops_gen.h"
#include "sim/prng.h"

namespace mdsim::faults {

// A daemon pass that suspends a page and waits for it to drain while more
// writes arrive: every member back at full speed, one fast write (its intent
// block reaches the media), then one member slowed 2 * 10^6 times (an intent
// FUA write takes ~60 s, a data write ~30 s) and writes 6..30 s apart over
// more than two daemon periods, the member still slow at the final wait. A
// first pass cleans the chunks; a later pass waits on a slow write while a new
// write to a Clean chunk arrives, and the slow write drains before the pass
// times out (md-internals 3.9 items 1 and 3).
void drain_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops);

// A resync aborted in the middle of an intent chunk: writes spread over a
// 256 KiB region (one large intent chunk, four 64 KiB resync windows) left
// half done by a power loss, a slowed member so the resync of the region
// takes a while, a member failure while it runs (md_do_sync ends the chunk
// holding the position with aborted set), and a re-add whose recovery trusts
// the intent (end_sync on abort must put the chunk back to NEEDED).
void aborted_resync_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops);

// A crash while a re-added member rebuilds: a member fails, writes land on
// the degraded array (so the failed member's copy of the intent record is
// stale), it is re-added, and power is lost before its recovery completed.
// Assembly must read the intent record from an In_sync member (3.9 item 2).
void rebuild_crash_episode(sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops);

// Episode `which` (0: drain, 1: aborted resync, 2: rebuild crash).
void more_episodes(uint64_t which, sim::Prng& rng, const GenConfig& cfg, std::vector<Op>& ops);

}  // namespace mdsim::faults
