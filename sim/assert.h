// Always-on assertions for module boundaries and invariants.
//
// SIM_ASSERT never compiles out (unlike assert()). A failed assertion throws
// sim::AssertionFailure instead of aborting so that one simulation in a process
// (a property test, a Python call) can fail without taking the others down; the
// CLI maps it to exit code 3 (internal error).
#pragma once

#include <stdexcept>
#include <string>

namespace mdsim::sim {

class AssertionFailure : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line,
                                   const std::string& detail = {});

}  // namespace mdsim::sim

#define SIM_ASSERT(cond)                                                  \
  do {                                                                    \
    if (!(cond)) [[unlikely]]                                             \
      ::mdsim::sim::assertion_failed(#cond, __FILE__, __LINE__);          \
  } while (0)

#define SIM_ASSERT_MSG(cond, msg)                                         \
  do {                                                                    \
    if (!(cond)) [[unlikely]]                                             \
      ::mdsim::sim::assertion_failed(#cond, __FILE__, __LINE__, (msg));   \
  } while (0)
