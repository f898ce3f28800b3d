// Scenario loader: disk, workload, after_crash, checks, limits, expect.
#include <set>

#include "model/scenario/loader.h"
#include "model/scenario/loader_internal.h"
#include "model/scenario/size.h"

namespace mdsim::scenario::detail {

static const std::vector<std::string> kProfiles = {"ramdisk", "nvme", "sata_ssd", "hdd"};
static const std::vector<std::string> kCacheModes = {"volatile", "write_through"};

static void parse_disk_common(const Node& n, DiskSettings& d) {
  d.profile = n.one_of_or("profile", kProfiles, d.profile);
  d.write_cache = n.one_of_or("write_cache", kCacheModes, d.write_cache);
  d.fua = n.boolean_or("fua", d.fua);
  d.queue_depth = static_cast<uint32_t>(n.u64_or("queue_depth", d.queue_depth, 1, 4096));
  d.destage_delay_ns = n.i64_or("destage_delay_ns", d.destage_delay_ns, 0, 3'600'000'000'000);
}

DiskConfig parse_disk(const Node* n, const ArrayConfig& array) {
  DiskConfig c;
  if (n) {
    n->require_object(keys_of("disk"));
    parse_disk_common(*n, c.base);
    c.base.logical_block_bytes = static_cast<uint32_t>(n->u64_or("logical_block", defaults::kLogicalBlockBytes, 0, 65536));
    if (c.base.logical_block_bytes != 512 && c.base.logical_block_bytes != 4096)
      n->at("logical_block").fail("expected 512 or 4096");
    if (array.size_bytes % c.base.logical_block_bytes != 0)
      n->at("logical_block").fail("expected a logical block that divides array.size", false);
  }
  c.members.assign(array.disks, c.base);
  if (!n || !n->has("members")) return c;
  const Node members = n->at("members");
  members.require_array();
  std::set<uint64_t> seen;
  for (size_t i = 0; i < members.size(); ++i) {
    const Node m = members.at(i);
    m.require_object(keys_of("member"));
    const Node idx = m.required("index", "the member's index (0-based)");
    const uint64_t k = idx.u64(0, UINT64_MAX);
    if (k >= array.disks) idx.fail("expected a member index < array.disks (" + std::to_string(array.disks) + ")");
    if (!seen.insert(k).second) idx.fail("expected each member index at most once");
    parse_disk_common(m, c.members[k]);
    c.members[k].slow_factor =
        static_cast<uint32_t>(m.u64_or("slow_factor", 1, 1, defaults::kSlowFactorMax));
  }
  return c;
}

static const std::vector<std::string> kRw = {"write", "randwrite", "read", "randread", "rw", "randrw", "trim",
                                             "randtrim"};

WorkloadConfig parse_workload(const Node& n, const ArrayConfig& array, const DiskConfig& disk) {
  n.require_object(keys_of("workload"));
  WorkloadConfig w;
  const uint64_t lb = disk.base.logical_block_bytes;
  const uint64_t capacity = array.capacity_bytes();
  w.rw = n.one_of_or("rw", kRw, defaults::kRw);
  w.bs_bytes = n.size_or("bs", defaults::kBsBytes, 512, 16 * defaults::kMiB);
  if (w.bs_bytes % lb != 0) n.at("bs").fail("expected a multiple of the logical block (" + std::to_string(lb) + ")");
  w.iodepth = static_cast<uint32_t>(n.u64_or("iodepth", defaults::kIodepth, 1, defaults::kIodepthMax));
  w.iodepth_batch_submit =
      static_cast<uint32_t>(n.u64_or("iodepth_batch_submit", defaults::kIodepthBatchSubmit, 1, defaults::kIodepthMax));
  if (w.iodepth_batch_submit > w.iodepth)
    n.at("iodepth_batch_submit").fail("expected iodepth_batch_submit <= iodepth (" + std::to_string(w.iodepth) + ")");
  w.numjobs = static_cast<uint32_t>(n.u64_or("numjobs", defaults::kNumjobs, 1, defaults::kNumjobsMax));
  w.ios = n.u64_or("ios", defaults::kIos, 1, 1'000'000'000);
  if (n.has("rwmixwrite") && w.rw != "rw" && w.rw != "randrw")
    n.at("rwmixwrite").fail("expected rwmixwrite only with rw \"rw\" or \"randrw\"", false);
  w.rwmixwrite = static_cast<uint32_t>(n.u64_or("rwmixwrite", defaults::kRwmixwrite, 0, 100));
  w.fsync = static_cast<uint32_t>(n.u64_or("fsync", defaults::kFsync, 0, 1'000'000));
  w.sync = n.boolean_or("sync", false);
  w.offset_bytes = n.size_or("offset", defaults::kOffsetBytes, 0, UINT64_MAX);
  if (w.offset_bytes % lb != 0) n.at("offset").fail("expected a multiple of the logical block (" + std::to_string(lb) + ")");
  if (w.offset_bytes >= capacity)
    n.at("offset").fail("expected an offset below the array capacity (" + format_iec(capacity) + ")");
  w.size_bytes = n.size_or("size", defaults::kSizeBytesWholeArray, 0, UINT64_MAX);
  if (w.size_bytes == 0) w.size_bytes = capacity - w.offset_bytes;
  if (w.offset_bytes + w.size_bytes > capacity)
    n.at("size").fail("expected offset + size <= array capacity (" + format_iec(capacity) + ")");
  if (w.size_bytes < w.bs_bytes) n.at("size").fail("expected a region at least one block (bs) long");
  w.runtime_ns = n.i64_or("runtime_ns", defaults::kRuntimeNsUnlimited, 0, INT64_MAX);
  return w;
}

AfterCrash parse_after_crash(const Node& n) {
  n.require_object(keys_of("after_crash"));
  AfterCrash a;
  a.assemble = n.boolean_or("assemble", defaults::kAssemble);
  a.resync = n.boolean_or("resync", defaults::kResync);
  if (a.resync && !a.assemble && n.has("resync"))
    n.at("resync").fail("expected resync false when assemble is false (nothing to resync)", false);
  if (!a.assemble) a.resync = false;
  a.timeout_ns = n.i64_or("timeout_ns", defaults::kConvergenceTimeoutNs, 1, INT64_MAX);
  return a;
}

std::vector<std::string> parse_checks(const Node& n) {
  n.require_array();
  std::vector<std::string> out;
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string c = n.at(i).one_of(known_checks());
    for (const auto& prev : out)
      if (prev == c) n.at(i).fail("expected each check at most once");
    out.push_back(c);
  }
  return out;
}

Limits parse_limits(const Node& n) {
  n.require_object(keys_of("limits"));
  Limits l;
  l.events_max = n.u64_or("events_max", defaults::kEventsMax, 1, UINT64_MAX);
  l.time_ns_max = n.i64_or("time_ns_max", defaults::kTimeNsMax, 1, INT64_MAX);
  return l;
}

Expect parse_expect(const Node& n) {
  n.require_object(keys_of("expect"));
  Expect e;
  e.verdict = n.one_of_or("verdict", {"pass", "fail"}, "");
  if (n.has("failed_checks")) {
    if (e.verdict != "fail") n.at("failed_checks").fail("expected failed_checks only with verdict \"fail\"", false);
    e.failed_checks = parse_checks(n.at("failed_checks"));
  }
  if (n.has("trace_hash")) {
    e.trace_hash = n.at("trace_hash").string();
    bool hex = e.trace_hash.size() == 16;
    for (char c : e.trace_hash) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!hex) n.at("trace_hash").fail("expected 16 lower-case hex digits");
  }
  if (n.has("pending")) {
    e.pending = n.at("pending").string();
    if (e.pending.empty()) n.at("pending").fail("expected a non-empty reason");
  }
  return e;
}

}  // namespace mdsim::scenario::detail
