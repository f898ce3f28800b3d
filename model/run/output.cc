#include "model/run/output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "model/run/trace_writer.h"

namespace mdsim::run {

void write_file_atomic(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw std::runtime_error("cannot write " + tmp.string());
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  }
}

void write_run_outputs(const std::filesystem::path& dir, const Result& result, const sim::Trace& trace) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory " + dir.string() + ": " + ec.message());
  write_file_atomic(dir / "result.json", to_json(result).dump(2) + "\n");
  if (!trace.recording()) return;
  std::ostringstream jsonl;
  write_trace_jsonl(trace, jsonl, result.trace_hash);
  write_file_atomic(dir / "trace.jsonl", jsonl.str());
  std::ostringstream timeline;
  write_timeline(trace, timeline, result.trace_hash);
  write_file_atomic(dir / "timeline.json", timeline.str());
}

}  // namespace mdsim::run
