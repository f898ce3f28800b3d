// Section parsers shared by the loader's translation units (not a public API).
#pragma once

#include "model/scenario/node.h"
#include "model/scenario/scenario.h"

namespace mdsim::scenario::detail {

ArrayConfig parse_array(const Node& n);
DiskConfig parse_disk(const Node* n, const ArrayConfig& array);
WorkloadConfig parse_workload(const Node& n, const ArrayConfig& array, const DiskConfig& disk);
std::vector<Fault> parse_faults(const Node& n, const ArrayConfig& array);
std::vector<Op> parse_ops(const Node& n, const ArrayConfig& array, const DiskConfig& disk);
PersistChoice parse_persist(const Node& n, const ArrayConfig& array);
AfterCrash parse_after_crash(const Node& n);
std::vector<std::string> parse_checks(const Node& n);
Limits parse_limits(const Node& n);
Expect parse_expect(const Node& n);

inline bool is_pow2(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

}  // namespace mdsim::scenario::detail
