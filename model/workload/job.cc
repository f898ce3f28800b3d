#include "model/workload/job.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <nlohmann/json.hpp>

#include "sim/assert.h"

namespace mdsim::workload {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

KeyResult bad(std::string msg) { return {KeyStatus::bad_value, std::move(msg)}; }
KeyResult ok() { return {KeyStatus::applied, {}}; }

// "1.25" => 1'250'000. At most 6 fractional digits, no sign, no exponent.
Parsed<uint64_t> parse_decimal_micro(std::string_view text) {
  text = trim(text);
  const size_t dot = text.find('.');
  const auto whole = parse_uint(text.substr(0, dot));
  if (!whole.ok() || *whole.value > UINT64_MAX / kMicroUnit)
    return {std::nullopt, "expected a decimal number, got '" + std::string(text) + "'"};
  uint64_t frac = 0, scale = kMicroUnit;
  if (dot != std::string_view::npos) {
    const std::string_view digits = text.substr(dot + 1);
    if (digits.empty() || digits.size() > 6)
      return {std::nullopt, "expected at most 6 decimals, got '" + std::string(text) + "'"};
    for (char c : digits) {
      if (c < '0' || c > '9') return {std::nullopt, "bad decimal '" + std::string(text) + "'"};
      scale /= 10;
      frac += static_cast<uint64_t>(c - '0') * scale;
    }
  }
  return {*whole.value * kMicroUnit + frac, {}};
}

KeyResult set_u32(uint32_t& field, std::string_view v) {
  const auto p = parse_uint(v);
  if (!p.ok()) return bad(p.error);
  if (*p.value > UINT32_MAX) return bad("value too large");
  field = static_cast<uint32_t>(*p.value);
  return ok();
}

KeyResult set_size(uint64_t& field, std::string_view v, SizeUnits u) {
  const auto p = parse_size_bytes(v, u);
  if (!p.ok()) return bad(p.error);
  field = *p.value;
  return ok();
}

KeyResult set_size_spec(SizeSpec& field, std::string_view v, SizeUnits u) {
  v = trim(v);
  if (!v.empty() && v.back() == '%') {
    const auto p = parse_uint(v.substr(0, v.size() - 1));
    if (!p.ok() || *p.value > 100) return bad("expected a percentage 0-100%, got '" +
                                              std::string(v) + "'");
    field = SizeSpec{.bytes = 0, .percent = static_cast<uint32_t>(*p.value)};
    return ok();
  }
  field = SizeSpec{};
  return set_size(field.bytes, v, u);
}

KeyResult set_time(sim::Duration& field, std::string_view v, sim::Duration unit) {
  const auto p = parse_duration(v, unit);
  if (!p.ok()) return bad(p.error);
  field = *p.value;
  return ok();
}

KeyResult set_bool(bool& field, std::string_view v) {
  const auto p = parse_bool(v);
  if (!p.ok()) return bad(p.error);
  field = *p.value;
  return ok();
}

KeyResult set_rw(JobSpec& job, std::string_view v) {
  static constexpr RwMode kAll[] = {RwMode::read,      RwMode::write,     RwMode::trim,
                                    RwMode::randread,  RwMode::randwrite, RwMode::randtrim,
                                    RwMode::readwrite, RwMode::randrw,    RwMode::trimwrite,
                                    RwMode::randtrimwrite};
  const std::string s = lower(trim(v));
  if (s.find(':') != std::string::npos)
    return {KeyStatus::unsupported, "rw modifiers ('" + s + "') are not supported"};
  if (s == "rw") {
    job.rw = RwMode::readwrite;
    return ok();
  }
  for (RwMode m : kAll) {
    if (s == rw_mode_name(m)) {
      job.rw = m;
      return ok();
    }
  }
  return bad("unknown rw '" + s + "' (read, write, trim, randread, randwrite, randtrim, rw, "
             "readwrite, randrw, trimwrite, randtrimwrite)");
}

KeyResult set_bs(JobSpec& job, std::string_view v, SizeUnits u) {
  if (v.find(',') != std::string_view::npos)
    return {KeyStatus::unsupported, "per-direction block sizes (bs=r,w) are not supported"};
  uint64_t bytes = 0;
  if (auto r = set_size(bytes, v, u); r.status != KeyStatus::applied) return r;
  job.bs_min_bytes = job.bs_max_bytes = bytes;
  return ok();
}

KeyResult set_bsrange(JobSpec& job, std::string_view v, SizeUnits u) {
  if (v.find(',') != std::string_view::npos)
    return {KeyStatus::unsupported, "per-direction block size ranges are not supported"};
  const size_t dash = v.find('-');
  if (dash == std::string_view::npos) return bad("expected lo-hi, e.g. 4k-64k");
  uint64_t lo = 0, hi = 0;
  if (auto r = set_size(lo, v.substr(0, dash), u); r.status != KeyStatus::applied) return r;
  if (auto r = set_size(hi, v.substr(dash + 1), u); r.status != KeyStatus::applied) return r;
  job.bs_min_bytes = lo;
  job.bs_max_bytes = hi;
  return ok();
}

KeyResult set_distribution(JobSpec& job, std::string_view v) {
  const std::string s = lower(trim(v));
  const size_t colon = s.find(':');
  const std::string kind = s.substr(0, colon);
  RandomDistribution d;
  if (kind == "random") {
    if (colon != std::string::npos) return bad("random takes no parameter");
    job.random_distribution = d;
    return ok();
  }
  if (kind == "zipf") d.kind = DistributionKind::zipf;
  else if (kind == "pareto") d.kind = DistributionKind::pareto;
  else if (kind == "normal") d.kind = DistributionKind::normal;
  else if (kind == "zoned" || kind == "zoned_abs")
    return {KeyStatus::unsupported, "random_distribution=" + kind + " is not supported"};
  else return bad("unknown random_distribution '" + kind + "' (random, zipf, pareto, normal)");
  if (colon == std::string::npos) return bad(kind + " needs a parameter, e.g. " + kind + ":1.2");
  const std::string param = s.substr(colon + 1);
  if (param.find(':') != std::string::npos)
    return {KeyStatus::unsupported, "a distribution center (third value) is not supported"};
  const auto p = parse_decimal_micro(param);
  if (!p.ok()) return bad(p.error);
  d.param_micro = *p.value;
  job.random_distribution = d;
  return ok();
}

KeyResult set_engine(JobSpec& job, std::string_view v) {
  const std::string s = lower(trim(v));
  if (s == "libaio" || s == "io_uring" || s == "posixaio") {
    job.sync_engine = false;
  } else if (s == "sync" || s == "psync" || s == "vsync" || s == "pvsync" || s == "pvsync2") {
    job.sync_engine = true;
  } else {
    return {KeyStatus::unsupported, "ioengine=" + s + " is not modelled"};
  }
  job.ioengine = s;
  return ok();
}

KeyResult set_sync(JobSpec& job, std::string_view v) {
  const std::string s = lower(trim(v));
  if (s == "dsync" || s == "sync") {
    job.sync_writes = true;
    return ok();
  }
  if (s == "none") {
    job.sync_writes = false;
    return ok();
  }
  return set_bool(job.sync_writes, s);
}

KeyResult set_direct(std::string_view v) {
  bool direct = true;
  if (auto r = set_bool(direct, v); r.status != KeyStatus::applied) return r;
  if (!direct)
    return {KeyStatus::unsupported, "direct=0 (buffered IO through the page cache) is not "
                                    "modelled; IO is always O_DIRECT"};
  return ok();
}

using Handler = std::function<KeyResult(JobSpec&, std::string_view, SizeUnits)>;
struct KeyHandler {
  const char* name;
  Handler apply;
};

// Keys accepted with no effect on the simulation (documented in docs/workload.md).
constexpr const char* kNoEffectKeys[] = {
    "filename", "description", "group_reporting", "thread", "randrepeat", "allrandrepeat",
    "norandommap", "random_generator", "gtod_reduce", "disable_lat", "disable_clat",
    "disable_slat", "lat_percentiles", "clat_percentiles", "percentile_list", "invalidate",
    "overwrite", "refill_buffers", "buffer_compress_percentage", "clocksource", "exitall",
    "kb_base_is_1024", "unit_base", "log_avg_msec"};

using V = std::string_view;
using SU = SizeUnits;
using D = sim::Duration;

KeyResult set_u64(uint64_t& field, V v) {
  const auto p = parse_uint(v);
  if (!p.ok()) return bad(p.error);
  field = *p.value;
  return ok();
}

// What each IO looks like: direction, size, place.
std::vector<KeyHandler> shape_keys() {
  return {
      {"name", [](JobSpec& j, V v, SU) { j.name = std::string(trim(v)); return ok(); }},
      {"rw", [](JobSpec& j, V v, SU) { return set_rw(j, v); }},
      {"readwrite", [](JobSpec& j, V v, SU) { return set_rw(j, v); }},
      {"rwmixread", [](JobSpec& j, V v, SU) { return set_u32(j.rwmixread, v); }},
      {"rwmixwrite", [](JobSpec& j, V v, SU) {
         uint32_t w = 0;
         if (auto r = set_u32(w, v); r.status != KeyStatus::applied) return r;
         if (w > 100) return bad("rwmixwrite must be 0-100");
         j.rwmixread = 100 - w;
         return ok();
       }},
      {"bs", [](JobSpec& j, V v, SU u) { return set_bs(j, v, u); }},
      {"blocksize", [](JobSpec& j, V v, SU u) { return set_bs(j, v, u); }},
      {"bsrange", [](JobSpec& j, V v, SU u) { return set_bsrange(j, v, u); }},
      {"blocksize_range", [](JobSpec& j, V v, SU u) { return set_bsrange(j, v, u); }},
      {"offset", [](JobSpec& j, V v, SU u) { return set_size_spec(j.offset, v, u); }},
      {"offset_increment", [](JobSpec& j, V v, SU u) {
         return set_size(j.offset_increment_bytes, v, u);
       }},
      {"size", [](JobSpec& j, V v, SU u) {
         SizeSpec s;
         auto r = set_size_spec(s, v, u);
         if (r.status == KeyStatus::applied) j.size = s;
         return r;
       }},
      {"random_distribution", [](JobSpec& j, V v, SU) { return set_distribution(j, v); }},
      {"sync", [](JobSpec& j, V v, SU) { return set_sync(j, v); }},
      {"direct", [](JobSpec&, V v, SU) { return set_direct(v); }},
      {"buffered", [](JobSpec&, V v, SU) {
         bool b = false;
         if (auto r = set_bool(b, v); r.status != KeyStatus::applied) return r;
         return b ? KeyResult{KeyStatus::unsupported, "buffered=1 is not modelled"} : ok();
       }},
  };
}

// How IOs are queued and submitted.
std::vector<KeyHandler> queue_keys() {
  return {
      {"iodepth", [](JobSpec& j, V v, SU) { return set_u32(j.iodepth, v); }},
      {"iodepth_batch_submit",
       [](JobSpec& j, V v, SU) { return set_u32(j.iodepth_batch_submit, v); }},
      {"iodepth_batch", [](JobSpec& j, V v, SU) { return set_u32(j.iodepth_batch_submit, v); }},
      {"iodepth_batch_complete_min",
       [](JobSpec& j, V v, SU) { return set_u32(j.iodepth_batch_complete_min, v); }},
      {"iodepth_batch_complete",
       [](JobSpec& j, V v, SU) { return set_u32(j.iodepth_batch_complete_min, v); }},
      {"numjobs", [](JobSpec& j, V v, SU) { return set_u32(j.numjobs, v); }},
      {"ioengine", [](JobSpec& j, V v, SU) { return set_engine(j, v); }},
  };
}

// When IOs happen and when the job ends.
std::vector<KeyHandler> timing_keys() {
  return {
      {"startdelay", [](JobSpec& j, V v, SU) { return set_time(j.startdelay, v, D::s(1)); }},
      {"io_size", [](JobSpec& j, V v, SU u) {
         uint64_t b = 0;
         auto r = set_size(b, v, u);
         if (r.status == KeyStatus::applied) j.io_size_bytes = b;
         return r;
       }},
      {"number_ios", [](JobSpec& j, V v, SU) { return set_u64(j.number_ios, v); }},
      {"runtime", [](JobSpec& j, V v, SU) { return set_time(j.runtime, v, D::s(1)); }},
      {"time_based", [](JobSpec& j, V v, SU) { return set_bool(j.time_based, v); }},
      {"thinktime", [](JobSpec& j, V v, SU) { return set_time(j.thinktime, v, D::us(1)); }},
      {"thinktime_blocks", [](JobSpec& j, V v, SU) { return set_u32(j.thinktime_blocks, v); }},
      {"thinktime_spin",
       [](JobSpec& j, V v, SU) { return set_time(j.thinktime_spin, v, D::us(1)); }},
      {"fsync", [](JobSpec& j, V v, SU) { return set_u64(j.fsync_blocks, v); }},
      {"fdatasync", [](JobSpec& j, V v, SU) { return set_u64(j.fdatasync_blocks, v); }},
      {"end_fsync", [](JobSpec& j, V v, SU) { return set_bool(j.end_fsync, v); }},
      {"read_iolog", [](JobSpec& j, V v, SU) {
         try {
           j.read_iolog = read_fio_iolog(std::string(trim(v)));
         } catch (const WorkloadError& e) {
           return bad(e.what());
         }
         return ok();
       }},
  };
}

// The table is immutable after its first use (no mutable static state).
const std::vector<KeyHandler>& handlers() {
  static const std::vector<KeyHandler> kHandlers = [] {
    std::vector<KeyHandler> all = shape_keys();
    for (auto&& part : {queue_keys(), timing_keys()})
      all.insert(all.end(), part.begin(), part.end());
    return all;
  }();
  return kHandlers;
}

}  // namespace

const char* rw_mode_name(RwMode m) {
  switch (m) {
    case RwMode::read: return "read";
    case RwMode::write: return "write";
    case RwMode::trim: return "trim";
    case RwMode::randread: return "randread";
    case RwMode::randwrite: return "randwrite";
    case RwMode::randtrim: return "randtrim";
    case RwMode::readwrite: return "readwrite";
    case RwMode::randrw: return "randrw";
    case RwMode::trimwrite: return "trimwrite";
    case RwMode::randtrimwrite: return "randtrimwrite";
  }
  return "?";
}

bool rw_is_random(RwMode m) {
  return m == RwMode::randread || m == RwMode::randwrite || m == RwMode::randtrim ||
         m == RwMode::randrw || m == RwMode::randtrimwrite;
}

const char* distribution_name(DistributionKind k) {
  switch (k) {
    case DistributionKind::uniform: return "random";
    case DistributionKind::zipf: return "zipf";
    case DistributionKind::pareto: return "pareto";
    case DistributionKind::normal: return "normal";
  }
  return "?";
}

uint64_t SizeSpec::resolve_bytes(uint64_t target_bytes) const {
  uint64_t b = bytes;
  if (percent) b = static_cast<uint64_t>(static_cast<unsigned __int128>(target_bytes) *
                                         *percent / 100);
  return b / 512 * 512;
}

uint32_t JobSpec::effective_iodepth() const { return sync_engine ? 1 : iodepth; }

uint32_t JobSpec::effective_batch() const {
  const uint32_t depth = effective_iodepth();
  const uint32_t b = iodepth_batch_submit == 0 ? depth : iodepth_batch_submit;
  return std::min(b, depth);
}

KeyResult apply_job_key(JobSpec& job, std::string_view key, std::string_view value,
                        SizeUnits units) {
  const std::string k = lower(trim(key));
  for (const auto& h : handlers()) {
    if (k == h.name) return h.apply(job, value, units);
  }
  for (const char* name : kNoEffectKeys) {
    if (k == name) return {KeyStatus::ignored, {}};
  }
  return {KeyStatus::unsupported, "unsupported key '" + k + "'"};
}

const std::vector<std::string>& supported_job_keys() {
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys;
    for (const auto& h : handlers()) keys.emplace_back(h.name);
    for (const char* name : kNoEffectKeys) keys.emplace_back(name);
    return keys;
  }();
  return kKeys;
}

namespace {

void require(bool cond, const JobSpec& job, const std::string& what) {
  if (!cond) throw WorkloadError("job '" + job.name + "': " + what);
}

void validate_distribution(const JobSpec& job) {
  const auto& d = job.random_distribution;
  switch (d.kind) {
    case DistributionKind::uniform:
      break;
    case DistributionKind::zipf:
      require(d.param_micro > 0 && d.param_micro <= 100 * kMicroUnit, job,
              "zipf theta must be in (0, 100]");
      break;
    case DistributionKind::pareto:
      require(d.param_micro > 0 && d.param_micro < kMicroUnit, job,
              "pareto h must be in (0, 1)");
      break;
    case DistributionKind::normal:
      require(d.param_micro > 0 && d.param_micro <= 100 * kMicroUnit, job,
              "normal deviation must be a percentage in (0, 100]");
      break;
  }
}

}  // namespace

void validate_job(const JobSpec& job) {
  require(!job.name.empty(), job, "name must not be empty");
  require(job.bs_min_bytes >= 512 && job.bs_min_bytes % 512 == 0, job,
          "bs must be a non-zero multiple of 512 bytes, got " + std::to_string(job.bs_min_bytes));
  require(job.bs_max_bytes >= job.bs_min_bytes && job.bs_max_bytes % 512 == 0, job,
          "bsrange must be lo-hi with lo <= hi, both multiples of 512 bytes");
  require(job.iodepth >= 1 && job.iodepth <= kIodepthMax, job,
          "iodepth must be in [1, " + std::to_string(kIodepthMax) + "]");
  require(job.iodepth_batch_submit <= kIodepthMax, job, "iodepth_batch_submit too large");
  require(job.iodepth_batch_complete_min <= job.iodepth, job,
          "iodepth_batch_complete_min must not exceed iodepth");
  require(job.numjobs >= 1 && job.numjobs <= kNumjobsMax, job,
          "numjobs must be in [1, " + std::to_string(kNumjobsMax) + "]");
  require(job.rwmixread <= 100, job, "rwmixread must be 0-100");
  require(!job.time_based || job.runtime > sim::Duration::zero(), job,
          "time_based needs runtime > 0");
  require(job.offset.percent || job.offset.bytes % 512 == 0, job,
          "offset must be a multiple of 512 bytes");
  require(job.offset_increment_bytes % 512 == 0, job,
          "offset_increment must be a multiple of 512 bytes");
  require(!job.size || job.size->percent || job.size->bytes % 512 == 0, job,
          "size must be a multiple of 512 bytes");
  require(!job.size || job.size->percent.value_or(1) > 0, job, "size must not be 0%");
  require(job.thinktime_blocks >= 1, job, "thinktime_blocks must be >= 1");
  require(job.thinktime_spin <= job.thinktime, job, "thinktime_spin must not exceed thinktime");
  require(job.fsync_blocks == 0 || job.fdatasync_blocks == 0, job,
          "set fsync or fdatasync, not both");
  validate_distribution(job);
}

JobSpec job_from_json(const nlohmann::json& obj, std::string_view where) {
  const std::string at(where);
  if (!obj.is_object()) throw WorkloadError(at + ": expected an object of fio keys");
  JobSpec job;
  for (const auto& [key, value] : obj.items()) {
    std::string text;
    if (value.is_string()) text = value.get<std::string>();
    else if (value.is_boolean()) text = value.get<bool>() ? "1" : "0";
    else if (value.is_number_unsigned() || value.is_number_integer()) text = value.dump();
    else throw WorkloadError(at + "/" + key + ": expected a string, integer or boolean");
    const std::string k = key == "ios" ? "number_ios" : key;
    const KeyResult r = apply_job_key(job, k, text, SizeUnits::iec);
    if (r.status == KeyStatus::unsupported || r.status == KeyStatus::bad_value)
      throw WorkloadError(at + "/" + key + ": " + r.message);
  }
  try {
    validate_job(job);
  } catch (const WorkloadError& e) {
    throw WorkloadError(at + ": " + e.what());
  }
  return job;
}

}  // namespace mdsim::workload
