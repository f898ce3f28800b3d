#include "model/md/intent_factories.h"

#include "model/md/epochmap.h"
#include "model/md/journal.h"
#include "model/md/llbitmap.h"

namespace mdsim::md {

std::unique_ptr<IntentBackend> make_llbitmap(IntentHost& host, const IntentOptions& opts) {
  return std::make_unique<Llbitmap>(host, opts);
}

std::unique_ptr<IntentBackend> make_journal(IntentHost& host, const IntentOptions& opts) {
  return std::make_unique<Journal>(host, opts);
}

std::unique_ptr<IntentBackend> make_ours(IntentHost& host, const IntentOptions& opts) {
  return std::make_unique<Epochmap>(host, opts);
}

}  // namespace mdsim::md
