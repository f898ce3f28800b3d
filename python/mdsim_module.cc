// The `mdsim` Python module (pybind11): version(), run(scenario),
// sweep(sweep) and explore(scenario, crash_points) over the runner
// (model/run/), and previews of what a workload job (fio keys) or a
// scenario's `workload` section (scenario keys, incl. `sync`) submits.
//
// Errors map like the CLI's exit codes: bad input (exit 2) raises ValueError
// with the same message; a part the build cannot simulate yet raises
// NotImplementedError; a broken invariant (exit 3) raises RuntimeError.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/run/build.h"
#include "model/run/runner.h"
#include "model/run/sweep.h"
#include "model/scenario/loader.h"
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

// A dict goes through Python's json module, so the loader sees exactly the
// document a file would hold (its messages then point into it).
std::string dumps(const py::handle& obj) {
  return py::module_::import("json").attr("dumps")(obj).cast<std::string>();
}
py::object loads(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

scenario::Scenario scenario_of(const py::object& s, std::optional<uint64_t> seed) {
  if (py::isinstance<py::str>(s)) return scenario::load_scenario(s.cast<std::string>(), seed);
  if (!py::isinstance<py::dict>(s)) throw py::type_error("scenario: expected a dict or a path");
  return scenario::parse_scenario_text(dumps(s), "<dict>", seed);
}

py::object run_binding(const py::object& s, std::optional<uint64_t> seed) {
  const scenario::Scenario sc = scenario_of(s, seed);
  const run::RunOutput out = run::run_scenario(sc, {});
  return loads(run::to_json(out.result).dump());
}

py::list sweep_binding(const py::object& s) {
  run::Sweep sweep;
  if (py::isinstance<py::str>(s)) {
    sweep = run::load_sweep(s.cast<std::string>());
  } else if (py::isinstance<py::dict>(s)) {
    const auto doc = nlohmann::ordered_json::parse(dumps(s));
    sweep = run::parse_sweep(doc, "<dict>", ".");
  } else {
    throw py::type_error("sweep: expected a dict or a path");
  }
  py::list rows;
  for (const run::SweepPoint& p : sweep.points) {
    const run::RunOutput out = run::run_scenario(p.scenario, {});
    rows.append(loads(run::sweep_row(p, out.result).dump()));
  }
  return rows;
}

// The IOs a scenario's `workload` section submits, built the way `mdsim run`
// builds it (run::job_spec): `sync` shows as fua on every write.
py::list scenario_workload_preview_binding(const py::object& s, uint64_t ios_max, std::optional<uint64_t> seed) {
  const scenario::Scenario sc = scenario_of(s, seed);
  if (!sc.workload) throw py::value_error("scenario_workload_preview: the scenario has no workload section");
  return preview({run::job_spec(*sc.workload)}, sc.array.capacity_bytes(), sc.seed, ios_max);
}

// crash_points: None or "all" (every boundary), or an int >= 1 (sampled);
// the CLI's --crash-points rule, with its message.
std::optional<uint64_t> crash_points_of(const py::object& cp) {
  if (cp.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(cp) && cp.cast<std::string>() == "all") return std::nullopt;
  if (py::isinstance<py::int_>(cp) && !py::isinstance<py::bool_>(cp) && cp.cast<py::int_>() >= py::int_(1))
    return cp.cast<uint64_t>();
  throw py::value_error("explore: crash_points expects \"all\" or an integer >= 1, got " +
                        py::repr(cp).cast<std::string>());
}

py::object explore_binding(const py::object& s, const py::object& crash_points, std::optional<uint64_t> seed) {
  run::ExploreOptions opt;
  opt.crash_points = crash_points_of(crash_points);
  const scenario::Scenario sc = scenario_of(s, seed);
  // Host time, for states per second only (never reaches the simulation).
  const auto t0 = std::chrono::steady_clock::now();
  const run::RunOutput out = run::explore_scenario(sc, opt);
  const double host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  py::object d = loads(run::to_json(out.result).dump());
  d["host_seconds"] = host_s;
  d["states_per_second"] = host_s > 0 ? static_cast<double>(out.result.crash_states_checked) / host_s : 0.0;
  d["first_failure"] = py::none();
  if (out.first_failure) {
    const run::ExploreFailure& f = *out.first_failure;
    const std::string path = py::isinstance<py::str>(s) ? s.cast<std::string>() : "SCENARIO.json";
    py::dict ff;
    ff["property"] = f.property;
    ff["detail"] = f.detail;
    ff["event"] = f.event;
    ff["after_op"] = f.after_op;
    ff["replay"] = run::explore_replay_command(path, out.result.seed, opt.crash_points);
    d["first_failure"] = ff;
  }
  return d;
}

}  // namespace

PYBIND11_MODULE(mdsim, m) {
  m.doc() = "mdsim: deterministic simulator and verification harness for Linux md RAID";
  py::register_exception<workload::WorkloadError>(m, "WorkloadError", PyExc_ValueError);
  py::register_exception<scenario::ScenarioError>(m, "ScenarioError", PyExc_ValueError);
  py::register_exception<run::NotImplemented>(m, "NotImplemented", PyExc_NotImplementedError);

  m.def("version", [] { return std::string(MDSIM_VERSION); }, "mdsim version string");

  m.def("run", &run_binding, py::arg("scenario"), py::arg("seed") = py::none(),
        "Runs one scenario (a dict or a JSON file path) and returns the result object "
        "(design.md section 5) as a dict.");
  m.def("sweep", &sweep_binding, py::arg("sweep"),
        "Runs every point of a sweep (a dict or a JSON file path; a dict's relative 'base' "
        "path is taken from the current directory) and returns one row dict per point.");

  m.def("explore", &explore_binding, py::arg("scenario"), py::arg("crash_points") = py::none(),
        py::arg("seed") = py::none(),
        "Explores an ops-form scenario (a dict or a JSON file path) like `mdsim explore`: power "
        "loss at every event boundary (crash_points None or 'all') or at N sampled ones, each "
        "persisted-subset choice checked. Returns the result object as a dict (crash_points_checked, "
        "events = event boundaries, crash_states_checked, crash_state_failures, checks, verdict) "
        "plus host_seconds, states_per_second and first_failure (None, or a dict with property, "
        "detail, event, after_op and replay: the CLI command that re-runs it; a dict scenario is "
        "named SCENARIO.json there).");

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

  m.def("scenario_workload_preview", &scenario_workload_preview_binding, py::arg("scenario"),
        py::arg("ios_max") = 1000, py::arg("seed") = py::none(),
        "workload_preview for a scenario's `workload` section (a dict or a JSON file path; "
        "scenario keys such as sync, fsync, ios), against its array's capacity and seed: the "
        "job `mdsim run` builds. workload.sync (fio sync=1) sets fua on every write.");

  m.def("supported_job_keys", [] { return workload::supported_job_keys(); },
        "The fio keys mdsim understands.");
}
