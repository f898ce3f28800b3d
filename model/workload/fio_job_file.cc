#include "model/workload/fio_job_file.h"

#include <fstream>
#include <sstream>

namespace mdsim::workload {
namespace {

struct ParseState {
  std::string source;
  JobSpec global;
  std::vector<JobSpec> jobs;
  bool in_global = false;
  bool in_job = false;
  std::vector<std::string> errors;

  void error(size_t line, const std::string& what) {
    errors.push_back(source + ":" + std::to_string(line) + ": " + what);
  }
  JobSpec& current() { return in_global ? global : jobs.back(); }
};

void parse_section(ParseState& st, size_t line_no, std::string_view line) {
  if (line.back() != ']') {
    st.error(line_no, "malformed section header '" + std::string(line) + "'");
    return;
  }
  const std::string name(trim(line.substr(1, line.size() - 2)));
  if (name.empty()) {
    st.error(line_no, "empty section name");
    return;
  }
  st.in_global = (name == "global");
  st.in_job = !st.in_global;
  if (st.in_job) {
    st.jobs.push_back(st.global);  // a job starts from the globals seen so far
    st.jobs.back().name = name;
  }
}

void parse_key_line(ParseState& st, size_t line_no, std::string_view line) {
  if (!st.in_global && !st.in_job) {
    st.error(line_no, "key outside of any [section]");
    return;
  }
  const size_t eq = line.find('=');
  const std::string_view key = trim(line.substr(0, eq));
  const std::string_view value = eq == std::string_view::npos ? "" : trim(line.substr(eq + 1));
  if (key.empty()) {
    st.error(line_no, "missing key before '='");
    return;
  }
  if (value.find('$') != std::string_view::npos) {
    st.error(line_no, "environment expansion in '" + std::string(key) + "' is not supported");
    return;
  }
  if (key == "name" && st.in_job) {
    st.current().name = std::string(value);  // fio lets name= override the section name
    return;
  }
  const KeyResult r = apply_job_key(st.current(), key, value, SizeUnits::fio);
  if (r.status == KeyStatus::unsupported || r.status == KeyStatus::bad_value)
    st.error(line_no, std::string(key) + ": " + r.message);
}

}  // namespace

std::vector<JobSpec> parse_fio_job_text(std::string_view text, std::string_view source_name) {
  ParseState st;
  st.source = std::string(source_name);
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == ';' || line.front() == '#') continue;
    if (line.front() == '[') {
      parse_section(st, line_no, line);
    } else if (line.front() == '$' || line.rfind("include", 0) == 0) {
      st.error(line_no, "directives ('" + std::string(line) + "') are not supported");
    } else {
      parse_key_line(st, line_no, line);
    }
  }
  if (st.errors.empty() && st.jobs.empty()) st.error(line_no, "no job section in the file");
  for (const JobSpec& job : st.jobs) {
    try {
      validate_job(job);
    } catch (const WorkloadError& e) {
      st.errors.push_back(st.source + ": " + e.what());
    }
  }
  if (!st.errors.empty()) {
    std::string msg;
    for (const auto& e : st.errors) msg += (msg.empty() ? "" : "\n") + e;
    throw WorkloadError(msg);
  }
  return st.jobs;
}

std::vector<JobSpec> read_fio_job_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw WorkloadError(path + ": cannot open fio job file");
  std::stringstream buf;
  buf << in.rdbuf();
  return parse_fio_job_text(buf.str(), path);
}

}  // namespace mdsim::workload
