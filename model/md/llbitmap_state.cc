#include "model/md/llbitmap_state.h"

namespace mdsim::md::llb {

const char* state_name(State s) {
  switch (s) {
    case State::Unwritten: return "Unwritten";
    case State::Clean: return "Clean";
    case State::Dirty: return "Dirty";
    case State::NeedSync: return "NeedSync";
    case State::Syncing: return "Syncing";
    case State::NeedSyncUnwritten: return "NeedSyncUnwritten";
    case State::SyncingUnwritten: return "SyncingUnwritten";
    case State::CleanUnwritten: return "CleanUnwritten";
  }
  return "Invalid";
}

const char* action_name(Action a) {
  switch (a) {
    case Action::Startwrite: return "Startwrite";
    case Action::Startsync: return "Startsync";
    case Action::Endsync: return "Endsync";
    case Action::Abortsync: return "Abortsync";
    case Action::Reload: return "Reload";
    case Action::Daemon: return "Daemon";
    case Action::Discard: return "Discard";
    case Action::Stale: return "Stale";
    case Action::ProactiveSync: return "ProactiveSync";
    case Action::ClearUnwritten: return "ClearUnwritten";
  }
  return "?";
}

// Models llbitmap_state_machine() for one chunk (7.1+ source).
Outcome apply_action(uint8_t current, Action action, const Context& ctx) {
  using detail::S;
  Outcome out;
  uint8_t next;
  if (!valid_state(current)) {
    // Garbage on disk: force a resync of the chunk.
    next = S(State::NeedSync);
  } else {
    if (current == S(State::NeedSync) || current == S(State::NeedSyncUnwritten))
      out.need_resync = !ctx.degraded;
    next = kTransition[current][static_cast<int>(action)];
    // Degraded: a Dirty chunk must be synced to the member that comes back.
    if (ctx.degraded && current == S(State::Dirty) && action == Action::Startsync)
      next = S(State::Syncing);
    if (next == kNone) return out;
  }
  if (current == S(State::Unwritten) && next == S(State::Dirty) && action == Action::Startwrite &&
      ctx.raid456) {
    // Lazy initial parity build: delayed to the first write.
    next = S(State::NeedSync);
    out.need_recovery = true;
  }
  if (ctx.degraded && next == S(State::Dirty) && action == Action::Startwrite)
    next = S(State::NeedSync);  // remembered for the re-add
  if (next == S(State::NeedSync) || next == S(State::NeedSyncUnwritten))
    out.need_resync = !ctx.degraded;
  out.next = next;
  return out;
}

}  // namespace mdsim::md::llb
