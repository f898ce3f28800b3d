// The llbitmap state machine (md-llbitmap.c `state_machine`, 7.1+ with the
// raid456 proactive-parity states), as a constexpr table plus the overrides
// llbitmap_state_machine() applies on top of it.
//
// Table (rows: current state, columns: action; "-" = no change):
//
//              Startwrite Startsync        Endsync        Abortsync  Reload     Daemon Discard   Stale      ProactiveSync     ClearUnwritten
//  Unwritten   Dirty      -                -              -          -          -      -         -          NeedSyncUnwritten -
//  Clean       Dirty      -                -              -          -          -      Unwritten NeedSync   -                 -
//  Dirty       -          -                -              -          NeedSync   Clean  Unwritten NeedSync   -                 -
//  NeedSync    -          Syncing          -              -          -          -      Unwritten -          -                 -
//  Syncing     -          Syncing          Dirty          NeedSync   NeedSync   -      Unwritten NeedSync   -                 -
//  NeedSyncUnw NeedSync   SyncingUnwritten -              Unwritten  Unwritten  -      Unwritten Unwritten  -                 Unwritten
//  SyncingUnw  Syncing    SyncingUnwritten CleanUnwritten Unwritten  Unwritten  -      Unwritten Unwritten  -                 Unwritten
//  CleanUnw    Dirty      -                -              -          -          -      Unwritten Unwritten  -                 Unwritten
//
// NOTE: Clean + Startwrite = Dirty follows the kernel source (seed 003 patch
// 11/11 and seed 004); md-internals.md 3.4 prints "-" there, which would let a
// write to a Clean chunk go out with no intent on disk (see docs/intent-llbitmap.md).
//
// Overrides (apply_action):
//  - a byte that is not a valid state (read from disk) is treated as NeedSync;
//  - raid456: Unwritten + Startwrite -> NeedSync and a lazy recovery request;
//  - degraded: a Startwrite that would give Dirty gives NeedSync; Dirty +
//    Startsync gives Syncing; Daemon does nothing (the caller skips it);
//  - any result NeedSync/NeedSyncUnwritten on a non-degraded array, or a
//    NeedSync current state, requests a resync.
//
// Typical scenarios: (1) raid1 write: Unwritten -Startwrite-> Dirty -Daemon->
// Clean; (2) crash: Dirty -Reload-> NeedSync -Startsync-> Syncing -Endsync->
// Dirty -Daemon-> Clean; (3) degraded write: Clean -Startwrite-> NeedSync, kept
// until the re-add recovery syncs it.
#pragma once

#include <array>
#include <cstdint>

namespace mdsim::md::llb {

enum class State : uint8_t {
  Unwritten = 0,
  Clean = 1,
  Dirty = 2,
  NeedSync = 3,
  Syncing = 4,
  NeedSyncUnwritten = 5,
  SyncingUnwritten = 6,
  CleanUnwritten = 7,
};
inline constexpr int kStateCount = 8;
inline constexpr uint8_t kNone = 0xff;  // BitNone: no change

enum class Action : uint8_t {
  Startwrite = 0,
  Startsync,
  Endsync,
  Abortsync,
  Reload,
  Daemon,
  Discard,
  Stale,
  ProactiveSync,
  ClearUnwritten,
};
inline constexpr int kActionCount = 10;

const char* state_name(State s);
const char* action_name(Action a);

namespace detail {
constexpr uint8_t S(State s) { return static_cast<uint8_t>(s); }
}  // namespace detail

// kTransition[state][action] = new state byte, or kNone.
inline constexpr std::array<std::array<uint8_t, kActionCount>, kStateCount> kTransition = [] {
  using detail::S;
  using enum State;
  constexpr uint8_t N = kNone;
  std::array<std::array<uint8_t, kActionCount>, kStateCount> t{};
  //                 Startwrite  Startsync            Endsync             Abortsync     Reload        Daemon    Discard       Stale         Proactive               ClearUnwritten
  t[S(Unwritten)] = {S(Dirty),   N,                   N,                  N,            N,            N,        N,            N,            S(NeedSyncUnwritten),   N};
  t[S(Clean)] = {S(Dirty),       N,                   N,                  N,            N,            N,        S(Unwritten), S(NeedSync),  N,                      N};
  t[S(Dirty)] = {N,              N,                   N,                  N,            S(NeedSync),  S(Clean), S(Unwritten), S(NeedSync),  N,                      N};
  t[S(NeedSync)] = {N,           S(Syncing),          N,                  N,            N,            N,        S(Unwritten), N,            N,                      N};
  t[S(Syncing)] = {N,            S(Syncing),          S(Dirty),           S(NeedSync),  S(NeedSync),  N,        S(Unwritten), S(NeedSync),  N,                      N};
  t[S(NeedSyncUnwritten)] = {S(NeedSync), S(SyncingUnwritten), N,          S(Unwritten), S(Unwritten), N,        S(Unwritten), S(Unwritten), N,                      S(Unwritten)};
  t[S(SyncingUnwritten)] = {S(Syncing), S(SyncingUnwritten), S(CleanUnwritten), S(Unwritten), S(Unwritten), N, S(Unwritten), S(Unwritten), N,                      S(Unwritten)};
  t[S(CleanUnwritten)] = {S(Dirty), N,                  N,                  N,            N,            N,        S(Unwritten), S(Unwritten), N,                      S(Unwritten)};
  return t;
}();

struct Context {
  bool degraded = false;
  bool raid456 = false;
};

struct Outcome {
  uint8_t next = kNone;        // new state byte, kNone = unchanged
  bool need_resync = false;    // MD_RECOVERY_NEEDED | SYNC
  bool need_recovery = false;  // MD_RECOVERY_NEEDED | LAZY_RECOVER (raid456)
};

// One chunk: `current` is the stored byte (may be invalid garbage from disk).
Outcome apply_action(uint8_t current, Action action, const Context& ctx);

constexpr bool valid_state(uint8_t b) { return b < kStateCount; }

// States whose next Reload (crash) makes the chunk NeedSync: what the on-disk
// byte must say while a data write to the chunk may be in flight.
constexpr bool covers_inflight_write(uint8_t b) {
  return !valid_state(b) || b == detail::S(State::Dirty) || b == detail::S(State::NeedSync) ||
         b == detail::S(State::Syncing);
}

}  // namespace mdsim::md::llb
