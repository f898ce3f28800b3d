#include "model/run/trace_writer.h"

#include <map>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

namespace mdsim::run {

using nlohmann::json;

void write_trace_jsonl(const sim::Trace& trace, std::ostream& out, uint64_t trace_hash) {
  json actors = json::array();
  for (size_t i = 0; i < trace.actor_count(); ++i) actors.push_back(trace.actor_name(static_cast<uint32_t>(i)));
  json header = {{"format", "mdsim-trace"}, {"version", 1}, {"trace_hash", sim::hash_hex(trace_hash)},
                 {"events", trace.count()}, {"recorded", trace.events().size()}, {"actors", actors}};
  out << header.dump() << '\n';
  uint64_t i = 0;
  for (const sim::TraceEvent& e : trace.events()) {
    json line = {{"i", i++},
                 {"t_ns", e.time_ns},
                 {"kind", std::string(e.kind->name)},
                 {"actor", trace.actor_name(e.actor)},
                 {"args", {e.args[0], e.args[1], e.args[2], e.args[3]}}};
    out << line.dump() << '\n';
  }
}

namespace {

enum class Role { submit, complete, begin, end, instant };

struct Classified {
  Role role = Role::instant;
  std::string base;  // kind name without the role suffix
};

Classified classify(std::string_view name) {
  static constexpr std::pair<std::string_view, Role> kSuffixes[] = {
      {"submit", Role::submit}, {"complete", Role::complete}, {"begin", Role::begin}, {"end", Role::end}};
  for (const auto& [suffix, role] : kSuffixes) {
    if (name.size() <= suffix.size() + 1 || !name.ends_with(suffix)) continue;
    const char sep = name[name.size() - suffix.size() - 1];
    if (sep != '.' && sep != '_') continue;
    return {role, std::string(name.substr(0, name.size() - suffix.size() - 1))};
  }
  return {Role::instant, std::string(name)};
}

// Chrome traces use microseconds; keep ns precision with a fraction.
double us(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

json args_of(const sim::TraceEvent& e) {
  return {{"a0", e.args[0]}, {"a1", e.args[1]}, {"a2", e.args[2]}, {"a3", e.args[3]}};
}

}  // namespace

void write_timeline(const sim::Trace& trace, std::ostream& out, uint64_t trace_hash) {
  json events = json::array();
  events.push_back({{"ph", "M"}, {"pid", 1}, {"name", "process_name"}, {"args", {{"name", "mdsim"}}}});
  for (size_t i = 0; i < trace.actor_count(); ++i)
    events.push_back({{"ph", "M"}, {"pid", 1}, {"tid", i}, {"name", "thread_name"},
                      {"args", {{"name", trace.actor_name(static_cast<uint32_t>(i))}}}});
  // Open slices by (actor, base name, request id); std::map keeps output deterministic.
  std::map<std::tuple<uint32_t, std::string, uint64_t>, const sim::TraceEvent*> open;
  int64_t last_ns = 0;
  for (const sim::TraceEvent& e : trace.events()) {
    last_ns = e.time_ns;
    const Classified c = classify(e.kind->name);
    const json common = {{"pid", 1}, {"tid", e.actor}, {"ts", us(e.time_ns)}};
    if (c.role == Role::submit) {
      open[{e.actor, c.base, e.args[0]}] = &e;
      continue;
    }
    if (c.role == Role::complete) {
      auto it = open.find({e.actor, c.base, e.args[0]});
      if (it != open.end()) {
        const sim::TraceEvent& s = *it->second;
        json x = {{"ph", "X"}, {"pid", 1}, {"tid", e.actor}, {"name", c.base}, {"ts", us(s.time_ns)},
                  {"dur", us(e.time_ns - s.time_ns)}, {"args", {{"submit", args_of(s)}, {"complete", args_of(e)}}}};
        events.push_back(std::move(x));
        open.erase(it);
        continue;
      }
    }
    json ev = common;
    ev["name"] = c.role == Role::begin || c.role == Role::end ? c.base : std::string(e.kind->name);
    ev["ph"] = c.role == Role::begin ? "B" : c.role == Role::end ? "E" : "i";
    if (c.role != Role::begin && c.role != Role::end) ev["s"] = "t";
    ev["args"] = args_of(e);
    events.push_back(std::move(ev));
  }
  for (const auto& [key, s] : open)  // never completed (power loss): slice to the end
    events.push_back({{"ph", "X"}, {"pid", 1}, {"tid", s->actor}, {"name", std::get<1>(key)}, {"ts", us(s->time_ns)},
                      {"dur", us(last_ns - s->time_ns)}, {"args", {{"submit", args_of(*s)}, {"incomplete", true}}}});
  json doc = {{"traceEvents", events}, {"displayTimeUnit", "ns"},
              {"otherData", {{"trace_hash", sim::hash_hex(trace_hash)}, {"generator", "mdsim"}}}};
  out << doc.dump() << '\n';
}

}  // namespace mdsim::run
