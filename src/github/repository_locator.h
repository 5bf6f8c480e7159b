// Repository locator: finds which repository a webhook delivery is about, so
// the receiving route can look up the integration (and its secret) BEFORE the
// signature can be verified. Only `repository.full_name` is read; nothing
// else in an unverified body is trusted or acted on.
//
// Also the one check of the "owner/name" shape used wherever a full name
// becomes part of a URL or a lookup key. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace opz::github {

// "owner/name": owner of [A-Za-z0-9_.-], 1-100 chars; name of [A-Za-z0-9_.-],
// 1-100 chars, neither "." nor "..". kValidation (field "repository.full_name")
// naming what is wrong.
Status check_full_name(std::string_view full_name);

// Parses `raw_body` (at most `max_bytes`, else kTooLarge) and answers
// repository.full_name. kMalformed (with byte offset) for invalid JSON;
// kValidation for a non-object body or a missing / ill-shaped full name.
Result<std::string> extract_repository_full_name(std::string_view raw_body, size_t max_bytes);

// The same check on an already parsed body.
Result<std::string> repository_full_name(const Json& body);

}  // namespace opz::github
