// Hunts false alarms: runs generated ops lists against the UNMODIFIED engine
// (no mutant) for one backend, and on the first failure shrinks the list and
// prints it as an ops scenario. A failure here is a harness false alarm or an
// engine bug; either must be fixed before a mutant kill on that backend means
// anything. Usage: mdsim_clean_hunt BACKEND [cases] [seed] [media_errors 0/1, default 1]
// [user FUA/PREFLUSH writes 0/1, default 0] [first case to run, default 0: the
// earlier cases are generated (same lists) but not run, to replay one case]
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "faults/mutant_campaign.h"
#include "faults/ops_gen.h"
#include "faults/ops_runner.h"

namespace {

mdsim::md::Mutant representative(const std::string& backend) {
  using mdsim::md::Mutant;
  if (backend == "none") return Mutant::clean_sb_with_writes;
  if (backend == "llbitmap") return Mutant::llbitmap_reload_keeps_dirty;
  if (backend == "journal") return Mutant::journal_no_fua;
  if (backend == "ours") return Mutant::ours_marks_first_chunk_only;
  return Mutant::data_before_unplug;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mdsim::faults;
  if (argc < 2) {
    std::cerr << "usage: mdsim_clean_hunt BACKEND [cases] [seed] [media_errors]\n";
    return 2;
  }
  const std::string backend = argv[1];
  const uint64_t cases = argc > 2 ? std::stoull(argv[2]) : 1000;
  const uint64_t seed = argc > 3 ? std::stoull(argv[3]) : 1;
  OpsSetup s = campaign_setup(representative(backend), seed);
  s.mutants = mdsim::md::MutantSet();  // the clean engine
  s.name = "clean-" + backend;
  GenConfig gen;
  gen.array_sectors = s.size_bytes / 512;
  gen.media_errors = argc <= 4 || std::string(argv[4]) == "1";  // on unless "0"
  gen.user_flags = argc > 5 && std::string(argv[5]) == "1";
  const uint64_t first = argc > 6 ? std::stoull(argv[6]) : 0;
  mdsim::sim::Prng rng(mdsim::sim::mix64(seed * 7919 + 13));
  uint64_t fails = 0;
  for (uint64_t c = 0; c < cases; ++c) {
    const auto ops = generate_ops(rng, gen);
    if (c < first) continue;
    OpsRunner r(s);
    const RunOutcome out = r.run(ops);
    if (!out.failed) continue;
    ++fails;
    const std::string prop = out.failure->property;
    const auto small = shrink_ops(ops, [&](const std::vector<Op>& cand) {
      OpsRunner r2(s);
      const RunOutcome o = r2.run(cand);
      return o.failed && o.failure->property == prop;
    });
    OpsRunner r3(s);
    const RunOutcome o3 = r3.run(small);
    std::cout << "case " << c << " property " << prop << " (" << ops.size() << " -> " << small.size()
              << " ops)\n"
              << scenario_to_json(OpsScenario{s, small}).dump(1) << "\n"
              << (o3.failure ? o3.failure->text() : std::string("(no longer fails)")) << "\n";
    return 1;
  }
  std::cout << "no failure in " << cases << " cases\n";
  return fails ? 1 : 0;
}
