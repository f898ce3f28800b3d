// Scenario loader: the fault plan and the explicit op list.
#include "model/scenario/loader.h"
#include "model/scenario/loader_internal.h"

namespace mdsim::scenario::detail {

static const std::vector<std::string> kFaultTypes = {"power_loss", "bad_block", "write_error", "fail_disk",
                                                     "remove_disk", "readd_disk", "latency_spike", "slow_disk"};
static const std::vector<std::string> kOpTypes = {"write", "read", "flush", "discard", "advance", "wait",
                                                  "power_loss", "fail_disk", "remove_disk", "readd_disk",
                                                  "bad_block", "write_error", "start_resync", "daemon_tick",
                                                  "slow_disk"};
static constexpr int64_t kTimeMax = INT64_MAX / 2;

static int parse_disk_index(const Node& n, const ArrayConfig& array) {
  const Node d = n.required("disk", "a member index (0-based)");
  const uint64_t k = d.u64(0, UINT64_MAX);
  if (k >= array.disks)
    d.fail("expected a member index < array.disks (" + std::to_string(array.disks) + "): no such disk");
  return static_cast<int>(k);
}

// A range of `sectors` starting at `sector`, within `limit_sectors`, aligned to `align`.
static void parse_range(const Node& n, uint64_t limit_sectors, uint64_t align, uint64_t& sector, uint64_t& sectors,
                        const char* space) {
  const Node s = n.required("sector", "a start sector");
  sector = s.u64(0, UINT64_MAX);
  const Node c = n.required("sectors", "a sector count >= 1");
  sectors = c.u64(1, UINT64_MAX);
  if (sector % align != 0) s.fail("expected a multiple of " + std::to_string(align) + " (logical block)");
  if (sectors % align != 0) c.fail("expected a multiple of " + std::to_string(align) + " (logical block)");
  if (sector >= limit_sectors || sectors > limit_sectors - sector)
    c.fail(std::string("expected sector + sectors <= ") + std::to_string(limit_sectors) + " (" + space + " size)");
}

PersistChoice parse_persist(const Node& n, const ArrayConfig& array) {
  PersistChoice p;
  p.mode = n.one_of_or("persist", {"random", "none", "all", "prefix", "explicit"}, defaults::kPersist);
  p.torn = n.boolean_or("torn", defaults::kTorn);
  if (n.has("keep") != (p.mode == "explicit"))
    (n.has("keep") ? n.at("keep") : n).fail("expected \"keep\" exactly when persist is \"explicit\"", false);
  if (!n.has("keep")) return p;
  const Node keep = n.at("keep");
  keep.require_array();
  if (keep.size() != array.disks) keep.fail("expected one list per member (" + std::to_string(array.disks) + ")");
  for (size_t d = 0; d < keep.size(); ++d) {
    const Node list = keep.at(d);
    list.require_array();
    std::vector<uint64_t> ids;
    for (size_t i = 0; i < list.size(); ++i) {
      ids.push_back(list.at(i).u64(0, UINT64_MAX));
      if (i > 0 && ids[i] <= ids[i - 1]) list.at(i).fail("expected strictly increasing indices");
    }
    p.keep.push_back(std::move(ids));
  }
  return p;
}

static Fault parse_fault(const Node& n, const ArrayConfig& array) {
  if (!n.value().is_object()) n.fail("expected an object with a \"type\"");
  const std::string type = n.required("type", "a fault type").one_of(kFaultTypes);
  n.require_object(keys_of("fault_" + type));
  Fault f;
  for (size_t i = 0; i < kFaultTypes.size(); ++i)
    if (kFaultTypes[i] == type) f.type = static_cast<FaultType>(i);
  if (n.has("at_ns")) f.at_ns = n.at("at_ns").i64(0, kTimeMax);
  const uint64_t member_sectors = array.size_bytes / 512;
  switch (f.type) {
    case FaultType::power_loss:
      if (n.has("at_event")) f.at_event = n.at("at_event").u64(1, UINT64_MAX);
      if (f.at_ns.has_value() == f.at_event.has_value())
        n.fail("expected exactly one of \"at_ns\" (time) and \"at_event\" (event count)", false);
      f.persist = parse_persist(n, array);
      return f;
    case FaultType::bad_block:
    case FaultType::write_error:
      f.disk = parse_disk_index(n, array);
      parse_range(n, member_sectors, 1, f.sector, f.sectors, "member");
      f.sticky = n.boolean_or("sticky", defaults::kBadBlockSticky);
      return f;
    case FaultType::latency_spike:
      f.disk = parse_disk_index(n, array);
      if (!f.at_ns) n.required("at_ns", "the spike's start time");
      f.duration_ns = n.required("duration_ns", "the spike's length (ns)").i64(1, kTimeMax);
      f.extra_ns = n.required("extra_ns", "the added latency per IO (ns)").i64(1, kTimeMax);
      return f;
    case FaultType::slow_disk:
      f.disk = parse_disk_index(n, array);
      f.factor = static_cast<uint32_t>(
          n.required("factor", "a latency multiplier").u64(defaults::kSlowFactorMin, defaults::kSlowFactorMax));
      return f;
    default:  // fail_disk, remove_disk, readd_disk
      f.disk = parse_disk_index(n, array);
      if (!f.at_ns) n.required("at_ns", "when it happens (ns)");
      return f;
  }
}

// readd_disk needs the same disk to be out (failed or removed) before it.
static void check_readds(const Node& list, const std::vector<Fault>& faults) {
  for (size_t i = 0; i < faults.size(); ++i) {
    if (faults[i].type != FaultType::readd_disk) continue;
    bool out = false;
    for (size_t j = 0; j < faults.size(); ++j) {
      const bool removes = faults[j].type == FaultType::fail_disk || faults[j].type == FaultType::remove_disk;
      out = out || (removes && faults[j].disk == faults[i].disk && *faults[j].at_ns <= *faults[i].at_ns && j != i);
    }
    if (!out)
      list.at(i).fail("expected a fail_disk or remove_disk of disk " + std::to_string(faults[i].disk) +
                          " at or before this readd_disk",
                      false);
  }
}

std::vector<Fault> parse_faults(const Node& n, const ArrayConfig& array) {
  n.require_array();
  std::vector<Fault> out;
  for (size_t i = 0; i < n.size(); ++i) out.push_back(parse_fault(n.at(i), array));
  check_readds(n, out);
  return out;
}

static Op parse_op(const Node& n, const ArrayConfig& array, const DiskConfig& disk, std::vector<bool>& out_disks) {
  if (!n.value().is_object()) n.fail("expected an object with an \"op\"");
  const std::string type = n.required("op", "an op name").one_of(kOpTypes);
  n.require_object(keys_of("op_" + type));
  Op o;
  for (size_t i = 0; i < kOpTypes.size(); ++i)
    if (kOpTypes[i] == type) o.type = static_cast<OpType>(i);
  const uint64_t align = disk.base.logical_block_bytes / 512;
  switch (o.type) {
    case OpType::write:
    case OpType::read:
    case OpType::discard:
      parse_range(n, array.capacity_bytes() / 512, align, o.sector, o.sectors, "array");
      o.fua = n.boolean_or("fua", false);
      o.preflush = n.boolean_or("preflush", false);
      o.batch = n.boolean_or("batch", false);
      return o;
    case OpType::advance: o.ns = n.required("ns", "a time step (ns)").i64(0, kTimeMax); return o;
    case OpType::power_loss:
      o.persist = parse_persist(n, array);
      if (n.has("choice")) o.persist.choice = n.at("choice").u64(0, UINT64_MAX);
      return o;
    case OpType::wait: o.ns = n.i64_or("ns", 0, 0, kTimeMax); return o;
    case OpType::slow_disk:
      o.disk = parse_disk_index(n, array);
      o.factor = static_cast<uint32_t>(n.required("factor", "a latency multiplier").u64(1, defaults::kSlowFactorMax));
      return o;
    case OpType::bad_block:
    case OpType::write_error:
      o.disk = parse_disk_index(n, array);
      parse_range(n, array.size_bytes / 512, 1, o.sector, o.sectors, "member");
      o.sticky = n.boolean_or("sticky", false);
      return o;
    case OpType::fail_disk:
    case OpType::remove_disk:
      o.disk = parse_disk_index(n, array);
      out_disks[static_cast<size_t>(o.disk)] = true;
      return o;
    case OpType::readd_disk:
      o.disk = parse_disk_index(n, array);
      if (!out_disks[static_cast<size_t>(o.disk)])
        n.at("disk").fail("expected an earlier fail_disk or remove_disk of this disk");
      out_disks[static_cast<size_t>(o.disk)] = false;
      return o;
    default: return o;  // flush, wait, start_resync, daemon_tick: no arguments
  }
}

std::vector<Op> parse_ops(const Node& n, const ArrayConfig& array, const DiskConfig& disk) {
  n.require_array();
  std::vector<Op> out;
  std::vector<bool> out_disks(array.disks, false);
  for (size_t i = 0; i < n.size(); ++i) out.push_back(parse_op(n.at(i), array, disk, out_disks));
  return out;
}

}  // namespace mdsim::scenario::detail
