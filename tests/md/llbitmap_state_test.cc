// Walks every (state, action) pair of the llbitmap state machine against the
// table documented in the kernel source (seed 003 patch 11/11, seed 004), and
// checks the overrides (degraded, raid456, invalid bytes, resync requests).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "model/md/llbitmap_state.h"

namespace mdsim::md::llb {
namespace {

// The documented table, spelled as names so it is independent of the enum
// order used by the implementation. "" = no change.
const std::map<std::string, std::map<std::string, std::string>>& documented() {
  static const std::map<std::string, std::map<std::string, std::string>> t = {
      {"Unwritten", {{"Startwrite", "Dirty"}, {"ProactiveSync", "NeedSyncUnwritten"}}},
      {"Clean", {{"Startwrite", "Dirty"}, {"Discard", "Unwritten"}, {"Stale", "NeedSync"}}},
      {"Dirty",
       {{"Reload", "NeedSync"}, {"Daemon", "Clean"}, {"Discard", "Unwritten"}, {"Stale", "NeedSync"}}},
      {"NeedSync", {{"Startsync", "Syncing"}, {"Discard", "Unwritten"}}},
      {"Syncing",
       {{"Startsync", "Syncing"},
        {"Endsync", "Dirty"},
        {"Abortsync", "NeedSync"},
        {"Reload", "NeedSync"},
        {"Discard", "Unwritten"},
        {"Stale", "NeedSync"}}},
      {"NeedSyncUnwritten",
       {{"Startwrite", "NeedSync"},
        {"Startsync", "SyncingUnwritten"},
        {"Abortsync", "Unwritten"},
        {"Reload", "Unwritten"},
        {"Discard", "Unwritten"},
        {"Stale", "Unwritten"},
        {"ClearUnwritten", "Unwritten"}}},
      {"SyncingUnwritten",
       {{"Startwrite", "Syncing"},
        {"Startsync", "SyncingUnwritten"},
        {"Endsync", "CleanUnwritten"},
        {"Abortsync", "Unwritten"},
        {"Reload", "Unwritten"},
        {"Discard", "Unwritten"},
        {"Stale", "Unwritten"},
        {"ClearUnwritten", "Unwritten"}}},
      {"CleanUnwritten",
       {{"Startwrite", "Dirty"},
        {"Discard", "Unwritten"},
        {"Stale", "Unwritten"},
        {"ClearUnwritten", "Unwritten"}}},
  };
  return t;
}

std::string name_of(uint8_t b) {
  return b == kNone ? "" : state_name(static_cast<State>(b));
}

TEST(LlbitmapState, EveryPairMatchesTheDocumentedTable) {
  int pairs = 0;
  for (int s = 0; s < kStateCount; ++s) {
    for (int a = 0; a < kActionCount; ++a) {
      const std::string sname = state_name(static_cast<State>(s));
      const std::string aname = action_name(static_cast<Action>(a));
      const auto& row = documented().at(sname);
      auto it = row.find(aname);
      const std::string want = it == row.end() ? "" : it->second;
      EXPECT_EQ(name_of(kTransition[s][a]), want) << sname << " x " << aname;
      Outcome o = apply_action(static_cast<uint8_t>(s), static_cast<Action>(a), Context{});
      EXPECT_EQ(name_of(o.next), want) << "apply " << sname << " x " << aname;
      const bool to_needsync = want == "NeedSync" || want == "NeedSyncUnwritten";
      const bool from_needsync = sname == "NeedSync" || sname == "NeedSyncUnwritten";
      EXPECT_EQ(o.need_resync, to_needsync || from_needsync) << sname << " x " << aname;
      EXPECT_FALSE(o.need_recovery);
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 80);
}

TEST(LlbitmapState, DegradedWritesBecomeNeedSyncWithoutResync) {
  Context deg{.degraded = true, .raid456 = false};
  for (State s : {State::Unwritten, State::Clean, State::CleanUnwritten}) {
    Outcome o = apply_action(static_cast<uint8_t>(s), Action::Startwrite, deg);
    EXPECT_EQ(o.next, static_cast<uint8_t>(State::NeedSync)) << state_name(s);
    EXPECT_FALSE(o.need_resync);  // waits for the re-add recovery
  }
  Outcome o = apply_action(static_cast<uint8_t>(State::Dirty), Action::Startsync, deg);
  EXPECT_EQ(o.next, static_cast<uint8_t>(State::Syncing));
  // Not degraded: Dirty + Startsync is no change.
  o = apply_action(static_cast<uint8_t>(State::Dirty), Action::Startsync, Context{});
  EXPECT_EQ(o.next, kNone);
}

TEST(LlbitmapState, Raid456FirstWriteIsLazyRecovery) {
  Context r5{.degraded = false, .raid456 = true};
  Outcome o = apply_action(static_cast<uint8_t>(State::Unwritten), Action::Startwrite, r5);
  EXPECT_EQ(o.next, static_cast<uint8_t>(State::NeedSync));
  EXPECT_TRUE(o.need_recovery);
  // A Clean chunk already has parity: plain Dirty.
  o = apply_action(static_cast<uint8_t>(State::Clean), Action::Startwrite, r5);
  EXPECT_EQ(o.next, static_cast<uint8_t>(State::Dirty));
  EXPECT_FALSE(o.need_recovery);
}

TEST(LlbitmapState, InvalidStoredBytesForceNeedSync) {
  for (int b : {8, 9, 0x7f, 0xfe, 0xff}) {
    for (int a = 0; a < kActionCount; ++a) {
      Outcome o = apply_action(static_cast<uint8_t>(b), static_cast<Action>(a), Context{});
      EXPECT_EQ(o.next, static_cast<uint8_t>(State::NeedSync)) << b;
      EXPECT_TRUE(o.need_resync);
    }
  }
  EXPECT_TRUE(covers_inflight_write(0x42));
  EXPECT_TRUE(covers_inflight_write(static_cast<uint8_t>(State::Dirty)));
  EXPECT_FALSE(covers_inflight_write(static_cast<uint8_t>(State::Clean)));
}

}  // namespace
}  // namespace mdsim::md::llb
