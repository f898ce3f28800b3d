#include "model/md/intent_factories.h"

#include "model/md/epochmap.h"
#include "model/md/journal.h"
#include "model/md/intent_io.h"
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

std::optional<IntentType> detect_intent_type(const uint8_t* first_sector) {
  const std::vector<uint8_t> b(first_sector, first_sector + disk::kSectorBytes);
  const uint32_t magic = get_le32(b, 0), version = get_le32(b, 4);
  if (magic == llb::kBitmapMagic && version == llb::kVersionLockless) return IntentType::llbitmap;
  if (magic == jrnl::kMagic) return IntentType::journal;
  if (magic == epm::kMagic) return IntentType::ours;
  return std::nullopt;
}

}  // namespace mdsim::md
