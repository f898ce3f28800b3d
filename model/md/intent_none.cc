#include "model/md/intent_none.h"

// IntentNone is header-only; this file keeps the one-file-per-concept layout.
