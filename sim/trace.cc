#include "sim/trace.h"

#include <cstdio>

namespace mdsim::sim {

Trace::Trace() : hash_(0x6d6473696d747263ull) {}

uint32_t Trace::add_actor(std::string name) {
  actors_.push_back(std::move(name));
  return static_cast<uint32_t>(actors_.size() - 1);
}

void Trace::keep(const TraceEvent& e) {
  if (recording_) events_.push_back(e);
  if (observer_) observer_(e);
}

std::string Trace::describe(const TraceEvent& e) const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "t=%lldns %.*s actor=%s args=[%llu,%llu,%llu,%llu]",
                static_cast<long long>(e.time_ns), static_cast<int>(e.kind->name.size()),
                e.kind->name.data(), actors_.at(e.actor).c_str(),
                static_cast<unsigned long long>(e.args[0]),
                static_cast<unsigned long long>(e.args[1]),
                static_cast<unsigned long long>(e.args[2]),
                static_cast<unsigned long long>(e.args[3]));
  return buf;
}

static bool same_event(const Trace& a, const TraceEvent& x, const Trace& b, const TraceEvent& y) {
  if (x.time_ns != y.time_ns || x.kind->name != y.kind->name) return false;
  if (a.actor_name(x.actor) != b.actor_name(y.actor)) return false;
  for (int i = 0; i < 4; ++i)
    if (x.args[i] != y.args[i]) return false;
  return true;
}

std::optional<Divergence> first_divergence(const Trace& a, const Trace& b) {
  const auto& ea = a.events();
  const auto& eb = b.events();
  const size_t n = ea.size() < eb.size() ? ea.size() : eb.size();
  for (size_t i = 0; i < n; ++i) {
    if (!same_event(a, ea[i], b, eb[i])) return Divergence{i, a.describe(ea[i]), b.describe(eb[i])};
  }
  if (ea.size() == eb.size()) return std::nullopt;
  const std::string end = "<end of trace>";
  if (ea.size() > n) return Divergence{n, a.describe(ea[n]), end};
  return Divergence{n, end, b.describe(eb[n])};
}

std::string hash_hex(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace mdsim::sim
