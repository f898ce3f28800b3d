// The mutant campaign as a program (ctest label `mutants`), until the CLI
// dispatcher wires `mdsim mutants` to the same function.
#include <iostream>
#include <string>
#include <vector>

namespace mdsim::cli {
int cmd_mutants(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return mdsim::cli::cmd_mutants(args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "mdsim mutants: " << e.what() << "\n";
    return 3;
  }
}
