// Event trace and trace hash.
//
// Every component reports what it does as TraceEvents (kind, time, actor, up to
// four integer arguments). Each event is folded into a 64-bit hash, always, so
// two runs can be compared cheaply: same seed and scenario => same trace hash.
// Keeping the events themselves is optional (set_recording), for the JSON-lines
// trace, the browser timeline and the determinism self-check, which reports the
// first event where two runs diverge.
//
// Kinds are compile-time constants (name + precomputed name hash) so recording an
// event costs a few multiplications, not a string hash.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/assert.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace mdsim::sim {

struct TraceKind {
  std::string_view name;
  uint64_t name_hash;
  constexpr explicit TraceKind(std::string_view n) : name(n), name_hash(fnv1a(n)) {}
};

struct TraceEvent {
  int64_t time_ns = 0;
  const TraceKind* kind = nullptr;
  uint32_t actor = 0;
  uint64_t args[4] = {0, 0, 0, 0};
};

class Trace {
 public:
  Trace();

  // Actors are named once (e.g. "disk0", "raid1d"); ids are dense from 0.
  uint32_t add_actor(std::string name);
  const std::string& actor_name(uint32_t id) const { return actors_.at(id); }
  size_t actor_count() const { return actors_.size(); }

  // REQUIRES: kind has static storage duration (events keep the pointer).
  // Inline: several records per simulated IO; only keeping events is out of line.
  void record(Instant at, const TraceKind& kind, uint32_t actor, uint64_t a0 = 0,
              uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    SIM_ASSERT(actor < actors_.size());
    // Fold order is fixed: time, kind, actor, args. Each step is a full-avalanche
    // mix so that swapping two events changes the hash.
    uint64_t h = hash_;
    h = mix64(h ^ static_cast<uint64_t>(at.ns()));
    h = mix64(h ^ kind.name_hash);
    h = mix64(h ^ actor);
    h = mix64(h ^ a0);
    h = mix64(h ^ a1);
    h = mix64(h ^ a2);
    h = mix64(h ^ a3);
    hash_ = h;
    ++count_;
    if (recording_ || observer_) keep(TraceEvent{at.ns(), &kind, actor, {a0, a1, a2, a3}});
  }

  uint64_t hash() const { return hash_; }
  uint64_t count() const { return count_; }

  void set_recording(bool on) { recording_ = on; }
  bool recording() const { return recording_; }
  const std::vector<TraceEvent>& events() const { return events_; }

  // Optional live observer (e.g. the verification harness watching for a
  // crash point). Called after the event is folded into the hash.
  void set_observer(std::function<void(const TraceEvent&)> fn) { observer_ = std::move(fn); }

  // One line of text for an event, used in reports and divergence messages.
  std::string describe(const TraceEvent& e) const;

 private:
  void keep(const TraceEvent& e);  // recording and the observer

  std::vector<std::string> actors_;
  std::vector<TraceEvent> events_;
  std::function<void(const TraceEvent&)> observer_;
  uint64_t hash_;
  uint64_t count_ = 0;
  bool recording_ = false;
};

// Determinism self-check: the index of the first event where two recorded traces
// differ (kind, time, actor name or arguments), or nullopt if identical.
struct Divergence {
  uint64_t index;
  std::string left;   // description in trace a, or "<end of trace>"
  std::string right;  // description in trace b, or "<end of trace>"
};
std::optional<Divergence> first_divergence(const Trace& a, const Trace& b);

std::string hash_hex(uint64_t h);

}  // namespace mdsim::sim
