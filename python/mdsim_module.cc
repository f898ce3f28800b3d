// The `mdsim` Python module (pybind11). Scaffolding: version() and a preview
// of what a workload job submits; run/sweep/explore bindings come with the
// runner (model/run/).
//
// Bad input raises ValueError with the same message the CLI prints (exit 2).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/workload/fio_job_file.h"
#include "model/workload/fixed_latency_target.h"
#include "model/workload/generator.h"
#include "model/workload/job.h"

namespace py = pybind11;
using namespace mdsim;

namespace {

nlohmann::json to_json_value(const py::handle& v, const std::string& key) {
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>();
  if (py::isinstance<py::int_>(v)) return v.cast<int64_t>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  throw workload::WorkloadError("/workload/" + key + ": expected a str, int or bool");
}

workload::JobSpec job_from_dict(const py::dict& job) {
  nlohmann::json obj = nlohmann::json::object();
  for (const auto& [k, v] : job) {
    const std::string key = py::str(k);
    obj[key] = to_json_value(v, key);
  }
  return workload::job_from_json(obj, "/workload");
}

py::list preview(std::vector<workload::JobSpec> jobs, uint64_t capacity_bytes, uint64_t seed,
                 uint64_t ios_max) {
  for (auto& j : jobs) {
    if (j.number_ios == 0 || j.number_ios > ios_max) j.number_ios = ios_max;
  }
  sim::Simulator sim(seed);
  workload::FixedLatencyTarget target(
      sim, {.capacity = disk::SectorCount::from_bytes(capacity_bytes)});
  workload::WorkloadGenerator gen(sim, target, std::move(jobs),
                                  {.record_ios = true, .record_ios_max = ios_max});
  gen.start();
  sim.run();
  py::list rows;
  for (const workload::IssuedIo& io : gen.issued()) {
    py::dict row;
    row["clone"] = io.clone;
    row["call"] = io.call;
    row["submit_ns"] = io.submit_ns;
    row["op"] = workload::user_io_op_name(io.io.op);
    row["sector"] = io.io.sector.value();
    row["sectors"] = io.io.count.value();
    row["fua"] = io.io.fua;
    rows.append(row);
  }
  return rows;
}

}  // namespace

PYBIND11_MODULE(mdsim, m) {
  m.doc() = "mdsim: deterministic simulator and verification harness for Linux md RAID";
  py::register_exception<workload::WorkloadError>(m, "WorkloadError", PyExc_ValueError);

  m.def("version", [] { return std::string(MDSIM_VERSION); }, "mdsim version string");

  m.def(
      "workload_preview",
      [](const py::dict& job, uint64_t capacity_bytes, uint64_t seed, uint64_t ios_max) {
        return preview({job_from_dict(job)}, capacity_bytes, seed, ios_max);
      },
      py::arg("job"), py::arg("capacity_bytes") = uint64_t{1} << 30, py::arg("seed") = 1,
      py::arg("ios_max") = 1000,
      "The IOs a fio-like job (dict of fio keys) submits, against a 100 us fixed-latency "
      "target of capacity_bytes: a list of dicts (clone, call, submit_ns, op, sector, "
      "sectors, fua). At most ios_max IOs per clone are generated.");

  m.def(
      "fio_job_preview",
      [](const std::string& text, uint64_t capacity_bytes, uint64_t seed, uint64_t ios_max) {
        return preview(workload::parse_fio_job_text(text, "<fio job text>"), capacity_bytes,
                       seed, ios_max);
      },
      py::arg("text"), py::arg("capacity_bytes") = uint64_t{1} << 30, py::arg("seed") = 1,
      py::arg("ios_max") = 1000, "workload_preview for the jobs of a fio job file's text.");

  m.def("supported_job_keys", [] { return workload::supported_job_keys(); },
        "The fio keys mdsim understands.");
}
