// Factories of the intent backends implemented outside the engine: llbitmap,
// the seed's intent journal and our own design (epochmap). The registry in
// intent_registry.cc maps IntentType::{llbitmap, journal, ours} to these.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "model/md/intent_backend.h"

namespace mdsim::md {

std::unique_ptr<IntentBackend> make_llbitmap(IntentHost& host, const IntentOptions& opts);
std::unique_ptr<IntentBackend> make_journal(IntentHost& host, const IntentOptions& opts);
// "ours": the epoch-stamped region bitmap (docs/intent-ours.md).
std::unique_ptr<IntentBackend> make_ours(IntentHost& host, const IntentOptions& opts);

// Assembly: which of these backends wrote the record whose first sector is
// `first_sector` (512 bytes from the start of the intent area)? llbitmap is a
// bitmap_super_t with version 6; the journal and epochmap have their own
// magic. nullopt = none of ours (the classic bitmap or nothing).
std::optional<IntentType> detect_intent_type(const uint8_t* first_sector);

}  // namespace mdsim::md
