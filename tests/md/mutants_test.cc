#include "model/md/mutants.h"

#include <gtest/gtest.h>

#include <set>

namespace mdsim::md {
namespace {

TEST(Mutants, TableIsInEnumOrderAndNamesRoundTrip) {
  std::set<std::string_view> names;
  for (Mutant m : all_mutants()) {
    const auto name = mutant_name(m);
    EXPECT_TRUE(names.insert(name).second) << name;
    ASSERT_TRUE(mutant_from_name(name).has_value()) << name;
    EXPECT_EQ(*mutant_from_name(name), m) << name;
    EXPECT_FALSE(mutant_description(m).empty());
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kMutantCount));
  EXPECT_GE(kMutantCount, 20);
  EXPECT_FALSE(mutant_from_name("no_such_bug").has_value());
}

TEST(Mutants, SetSwitchesIndividually) {
  MutantSet s;
  EXPECT_TRUE(s.empty());
  s.set(Mutant::resync_skips_needed);
  s.set(Mutant::journal_no_fua);
  EXPECT_TRUE(s.on(Mutant::resync_skips_needed));
  EXPECT_FALSE(s.on(Mutant::data_before_unplug));
  EXPECT_EQ(s.to_string(), "resync_skips_needed,journal_no_fua");
  s.set(Mutant::resync_skips_needed, false);
  EXPECT_EQ(s.to_string(), "journal_no_fua");
  EXPECT_TRUE(MutantSet::of(Mutant::data_before_unplug).on(Mutant::data_before_unplug));
}

}  // namespace
}  // namespace mdsim::md
