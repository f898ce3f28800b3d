// Factories of the intent backends implemented outside the engine: llbitmap,
// the seed's intent journal and our own design (epochmap). The registry in
// intent_registry.cc maps IntentType::{llbitmap, journal, ours} to these.
#pragma once

#include <memory>

#include "model/md/intent_backend.h"

namespace mdsim::md {

std::unique_ptr<IntentBackend> make_llbitmap(IntentHost& host, const IntentOptions& opts);
std::unique_ptr<IntentBackend> make_journal(IntentHost& host, const IntentOptions& opts);
// "ours": the epoch-stamped region bitmap (docs/intent-ours.md).
std::unique_ptr<IntentBackend> make_ours(IntentHost& host, const IntentOptions& opts);

}  // namespace mdsim::md
