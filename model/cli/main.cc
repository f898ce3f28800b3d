// mdsim command line (placeholder until the scenario runner lands).
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("mdsim %s\n", MDSIM_VERSION);
    return 0;
  }
  std::fprintf(stderr, "usage: mdsim run|explore|replay|sweep ...\n");
  return 2;
}
