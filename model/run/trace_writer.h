// Writers for a recorded sim::Trace (docs/trace-format.md has both formats).
//
//  - JSON lines: a header line, then one line per event, in trace order.
//  - Timeline: Chrome trace event format ("Trace Event Format", JSON object
//    with "traceEvents"), which chrome://tracing and ui.perfetto.dev open.
//    One track (tid) per actor. Events are mapped by kind-name convention so
//    that no component has to know about the timeline:
//      "<x>.submit"/"<x>_submit" + "<x>.complete"/"<x>_complete" on the same
//        actor with the same args[0] (request id)  -> one "X" slice named <x>;
//      "<x>.begin"/"<x>_begin" + "<x>.end"/"<x>_end" on the same actor
//        -> a "B"/"E" phase named <x> (crash, resync, ...);
//      anything else -> an instant event.
// REQUIRES: the trace was recorded (Trace::set_recording(true) before the run).
#pragma once

#include <ostream>

#include "sim/trace.h"

namespace mdsim::run {

// `trace_hash` is the run's hash (Result::trace_hash), written in the headers:
// a run with a power loss is two simulations whose hashes are combined, so it
// differs from the merged trace object's own hash.
void write_trace_jsonl(const sim::Trace& trace, std::ostream& out, uint64_t trace_hash);
void write_timeline(const sim::Trace& trace, std::ostream& out, uint64_t trace_hash);

}  // namespace mdsim::run
