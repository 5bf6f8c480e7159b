// ResponseCache: serialized answers of GET routes whose body depends only on
// the request target and the database (a project list, not "who am I").
//
// Keyed by the request target (query string included); the generation is
// Database::committed_writes(), read BEFORE the query, so every write of this
// process invalidates everything at once. Writes by another process (an
// admin's `opzenix user create` against the same file) are not counted: for
// those an entry also expires after max_age, the same bound as the token
// cache. Freshness rules and bounds: core/generation_cache.h.
//
// Authentication and the policy check still run on every request; the cache
// only replaces the query and the JSON rendering.
#pragma once

#include <string>

#include "core/generation_cache.h"

namespace opz::api {

using ResponseCache = GenerationCache<std::string>;

}  // namespace opz::api
