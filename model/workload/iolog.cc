#include "model/workload/iolog.h"

#include <fstream>
#include <sstream>

#include "model/workload/units.h"

namespace mdsim::workload {
namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  for (line = trim(line); !line.empty(); line = trim(line)) {
    size_t end = 0;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    out.push_back(line.substr(0, end));
    line.remove_prefix(end);
  }
  return out;
}

class IologParser {
 public:
  explicit IologParser(std::string_view source) : log_(std::make_shared<Iolog>()) {
    log_->source = std::string(source);
  }

  void line(size_t no, std::string_view text);
  std::shared_ptr<const Iolog> finish();

 private:
  void error(size_t no, const std::string& what) {
    errors_.push_back(log_->source + ":" + std::to_string(no) + ": " + what);
  }
  void io_line(size_t no, UserIo::Op op, const std::vector<std::string_view>& f);

  std::shared_ptr<Iolog> log_;
  std::string file_;
  std::vector<std::string> errors_;
};

void IologParser::io_line(size_t no, UserIo::Op op, const std::vector<std::string_view>& f) {
  if (f.size() != 4) return error(no, "expected '<file> <action> <offset> <length>'");
  const auto offset = parse_uint(f[2]);
  const auto length = parse_uint(f[3]);
  if (!offset.ok() || !length.ok()) return error(no, "offset and length must be integers");
  if (*offset.value % disk::kSectorBytes != 0 || *length.value % disk::kSectorBytes != 0 ||
      *length.value == 0)
    return error(no, "offset and length must be multiples of 512 bytes, length non-zero");
  IologEntry e;
  e.io.op = op;
  e.io.sector = disk::Sector(*offset.value / disk::kSectorBytes);
  e.io.count = disk::SectorCount(*length.value / disk::kSectorBytes);
  if (e.io.sector + e.io.count > log_->end_sector) log_->end_sector = e.io.sector + e.io.count;
  log_->entries.push_back(e);
}

void IologParser::line(size_t no, std::string_view text) {
  const auto f = fields_of(text);
  if (f.empty()) return;
  if (f.size() < 2) return error(no, "expected '<file> <action> ...'");
  if (file_.empty()) file_ = std::string(f[0]);
  if (f[0] != file_) return error(no, "replay of several files is not supported ('" +
                                          std::string(f[0]) + "' after '" + file_ + "')");
  const std::string_view act = f[1];
  if (act == "add" || act == "open" || act == "close") return;
  if (act == "read") return io_line(no, UserIo::Op::read, f);
  if (act == "write") return io_line(no, UserIo::Op::write, f);
  if (act == "trim") return io_line(no, UserIo::Op::discard, f);
  IologEntry e;
  if (act == "sync" || act == "datasync") {
    e.io.op = UserIo::Op::flush;
  } else if (act == "wait") {
    const auto usec = f.size() >= 3 ? parse_uint(f[2]) : Parsed<uint64_t>{};
    if (!usec.ok()) return error(no, "wait needs a delay in microseconds");
    e.kind = IologEntry::Kind::wait;
    e.wait = sim::Duration::us(static_cast<int64_t>(*usec.value));
  } else {
    return error(no, "action '" + std::string(act) + "' is not supported");
  }
  log_->entries.push_back(e);
}

std::shared_ptr<const Iolog> IologParser::finish() {
  if (errors_.empty() && log_->entries.empty()) errors_.push_back(log_->source + ": no IO");
  if (!errors_.empty()) {
    std::string msg;
    for (const auto& e : errors_) msg += (msg.empty() ? "" : "\n") + e;
    throw WorkloadError(msg);
  }
  return log_;
}

}  // namespace

std::shared_ptr<const Iolog> parse_fio_iolog(std::string_view text, std::string_view source) {
  IologParser parser(source);
  size_t no = 0;
  bool header_seen = false;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++no;
    if (!header_seen) {
      if (line != "fio version 2 iolog")
        throw WorkloadError(std::string(source) + ":" + std::to_string(no) +
                            ": expected 'fio version 2 iolog' (only version 2 is supported)");
      header_seen = true;
      continue;
    }
    parser.line(no, line);
  }
  if (!header_seen) throw WorkloadError(std::string(source) + ": empty iolog");
  return parser.finish();
}

std::shared_ptr<const Iolog> read_fio_iolog(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw WorkloadError(path + ": cannot open iolog");
  std::stringstream buf;
  buf << in.rdbuf();
  return parse_fio_iolog(buf.str(), path);
}

}  // namespace mdsim::workload
