#include "model/scenario/node.h"

#include "model/scenario/size.h"

namespace mdsim::scenario {

std::string describe_value(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return json(s).dump(-1, ' ', true, json::error_handler_t::replace);
    }
    default: return v.dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

std::string escape_pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

void Node::fail(const std::string& expected, bool show_got, const std::string& suggestion) const {
  throw ScenarioError(file_, ptr_, expected, show_got ? describe_value(v_) : std::string(), suggestion);
}

void Node::require_object(const std::vector<std::string>& keys) const {
  if (!v_.is_object()) fail("expected an object");
  for (const auto& [k, _] : v_.items()) {
    bool known = false;
    for (const auto& key : keys) known = known || key == k;
    if (known) continue;
    const std::string safe = json(k).dump(-1, ' ', true, json::error_handler_t::replace);
    throw ScenarioError(file_, ptr_ + "/" + escape_pointer_token(k),
                        "unknown key " + safe + " (known: " + [&] {
                          std::string l;
                          for (const auto& key : keys) l += (l.empty() ? "" : ", ") + key;
                          return l;
                        }() + ")",
                        {}, closest_spelling(k, keys));
  }
}

void Node::require_array() const {
  if (!v_.is_array()) fail("expected an array");
}

Node Node::at(const std::string& key) const {
  return Node(v_.at(key), ptr_ + "/" + escape_pointer_token(key), file_);
}

Node Node::at(size_t index) const { return Node(v_.at(index), ptr_ + "/" + std::to_string(index), file_); }

Node Node::required(const std::string& key, const std::string& expected) const {
  if (!has(key)) throw ScenarioError(file_, ptr_ + "/" + escape_pointer_token(key), "missing; expected " + expected);
  return at(key);
}

bool Node::boolean() const {
  if (!v_.is_boolean()) fail("expected true or false");
  return v_.get<bool>();
}

std::string Node::string() const {
  if (!v_.is_string()) fail("expected a string");
  return v_.get<std::string>();
}

std::string Node::one_of(const std::vector<std::string>& allowed) const {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
  if (!v_.is_string()) fail("expected one of " + list);
  const std::string s = v_.get<std::string>();
  for (const auto& a : allowed)
    if (a == s) return s;
  fail("expected one of " + list, true, closest_spelling(s, allowed));
}

static std::string range_text(uint64_t min, uint64_t max) {
  if (max == UINT64_MAX) return ">= " + std::to_string(min);
  return "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

uint64_t Node::u64(uint64_t min, uint64_t max) const {
  const std::string expected = "expected an integer " + range_text(min, max);
  if (v_.is_number_unsigned()) {
    const uint64_t x = v_.get<uint64_t>();
    if (x < min || x > max) fail(expected);
    return x;
  }
  if (v_.is_number_integer() && v_.get<int64_t>() >= 0) {
    const uint64_t x = static_cast<uint64_t>(v_.get<int64_t>());
    if (x < min || x > max) fail(expected);
    return x;
  }
  fail(expected);
}

int64_t Node::i64(int64_t min, int64_t max) const {
  const std::string expected = "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  int64_t x = 0;
  if (v_.is_number_unsigned()) {
    const uint64_t u = v_.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) fail(expected);
    x = static_cast<int64_t>(u);
  } else if (v_.is_number_integer()) {
    x = v_.get<int64_t>();
  } else {
    fail(expected);
  }
  if (x < min || x > max) fail(expected);
  return x;
}

uint64_t Node::size_bytes(uint64_t min, uint64_t max) const {
  const std::string range = "a size " + (max == UINT64_MAX ? ">= " + format_iec(min)
                                                             : "in [" + format_iec(min) + ", " + format_iec(max) + "]");
  uint64_t bytes = 0;
  if (v_.is_string()) {
    const SizeParse p = parse_iec_size(v_.get<std::string>());
    if (!p.ok) fail("expected " + p.error);
    bytes = p.bytes;
  } else if (v_.is_number_unsigned() || (v_.is_number_integer() && v_.get<int64_t>() >= 0)) {
    bytes = v_.get<uint64_t>();
  } else {
    fail("expected " + range + " (bytes, or a string such as \"64KiB\")");
  }
  if (bytes < min || bytes > max) fail("expected " + range);
  if (bytes % 512 != 0) fail("expected a multiple of 512 bytes");
  return bytes;
}

bool Node::boolean_or(const std::string& key, bool dflt) const { return has(key) ? at(key).boolean() : dflt; }

std::string Node::one_of_or(const std::string& key, const std::vector<std::string>& allowed,
                            const std::string& dflt) const {
  return has(key) ? at(key).one_of(allowed) : dflt;
}

uint64_t Node::u64_or(const std::string& key, uint64_t dflt, uint64_t min, uint64_t max) const {
  return has(key) ? at(key).u64(min, max) : dflt;
}

int64_t Node::i64_or(const std::string& key, int64_t dflt, int64_t min, int64_t max) const {
  return has(key) ? at(key).i64(min, max) : dflt;
}

uint64_t Node::size_or(const std::string& key, uint64_t dflt, uint64_t min, uint64_t max) const {
  return has(key) ? at(key).size_bytes(min, max) : dflt;
}

}  // namespace mdsim::scenario
