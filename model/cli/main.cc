// mdsim command line entry point; everything else is in model/cli/ (cli.h).
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "model/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return mdsim::cli::run_cli(args, std::cout, std::cerr, ::isatty(STDERR_FILENO) == 1);
}
