// Typed, pointer-aware access to a JSON document being validated.
//
// A Node is a JSON value plus its JSON pointer and the file name, so every
// accessor can refuse a bad value with a ScenarioError that says exactly where
// and what was expected. Used by the scenario and sweep loaders only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario/error.h"

namespace mdsim::scenario {

using json = nlohmann::json;

// A short description of a value for "got ..." in messages.
std::string describe_value(const json& v);
// JSON pointer escaping of one reference token (RFC 6901: ~ -> ~0, / -> ~1).
std::string escape_pointer_token(const std::string& key);

class Node {
 public:
  Node(const json& value, std::string pointer, const std::string& file)
      : v_(value), ptr_(std::move(pointer)), file_(file) {}

  const json& value() const { return v_; }
  const std::string& pointer() const { return ptr_; }
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(const std::string& expected, bool show_got = true,
                         const std::string& suggestion = {}) const;

  // Object with only `keys` (refuses unknown keys, suggesting the closest).
  void require_object(const std::vector<std::string>& keys) const;
  void require_array() const;
  bool has(const std::string& key) const { return v_.is_object() && v_.contains(key); }
  Node at(const std::string& key) const;  // REQUIRES: has(key)
  Node at(size_t index) const;            // REQUIRES: array, index < size
  size_t size() const { return v_.size(); }
  // Refuses when absent, naming the key.
  Node required(const std::string& key, const std::string& expected) const;

  bool boolean() const;
  std::string string() const;
  std::string one_of(const std::vector<std::string>& allowed) const;
  uint64_t u64(uint64_t min, uint64_t max) const;
  int64_t i64(int64_t min, int64_t max) const;
  uint64_t size_bytes(uint64_t min, uint64_t max) const;  // integer or IEC string

  // Optional members with defaults.
  bool boolean_or(const std::string& key, bool dflt) const;
  std::string one_of_or(const std::string& key, const std::vector<std::string>& allowed,
                        const std::string& dflt) const;
  uint64_t u64_or(const std::string& key, uint64_t dflt, uint64_t min, uint64_t max) const;
  int64_t i64_or(const std::string& key, int64_t dflt, int64_t min, int64_t max) const;
  uint64_t size_or(const std::string& key, uint64_t dflt, uint64_t min, uint64_t max) const;

 private:
  const json& v_;
  std::string ptr_;
  const std::string& file_;
};

}  // namespace mdsim::scenario
