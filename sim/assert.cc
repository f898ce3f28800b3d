#include "sim/assert.h"

namespace mdsim::sim {

void assertion_failed(const char* expr, const char* file, int line, const std::string& detail) {
  std::string msg = std::string("assertion failed: ") + expr + " at " + file + ":" +
                    std::to_string(line);
  if (!detail.empty()) msg += ": " + detail;
  throw AssertionFailure(msg);
}

}  // namespace mdsim::sim
