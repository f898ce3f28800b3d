// make_intent_backend: the registry of intent backends (md's bitmap_type /
// md_submodule_head lookup). This issue provides `none` and `bitmap`; the
// orchestrator adds llbitmap, journal and ours when merging.
#include <memory>

#include "model/md/bitmap.h"
#include "model/md/intent_backend.h"
#include "model/md/intent_factories.h"
#include "model/md/intent_none.h"
#include "sim/assert.h"

namespace mdsim::md {

const char* intent_type_name(IntentType t) {
  switch (t) {
    case IntentType::none: return "none";
    case IntentType::bitmap: return "bitmap";
    case IntentType::llbitmap: return "llbitmap";
    case IntentType::journal: return "journal";
    case IntentType::ours: return "ours";
  }
  return "?";
}

std::unique_ptr<IntentBackend> make_intent_backend(IntentHost& host, const IntentOptions& opts) {
  switch (opts.type) {
    case IntentType::none: return std::make_unique<IntentNone>(host);
    case IntentType::bitmap: return std::make_unique<Bitmap>(host, opts);
    case IntentType::llbitmap: return make_llbitmap(host, opts);
    case IntentType::journal: return make_journal(host, opts);
    case IntentType::ours: return make_ours(host, opts);
  }
  SIM_ASSERT_MSG(false, std::string("intent backend not available: ") + intent_type_name(opts.type));
  return nullptr;
}

}  // namespace mdsim::md
