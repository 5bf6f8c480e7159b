// JSON helpers shared by every layer: parse with a precise error (byte offset),
// and dump that never throws on invalid UTF-8 (replaced with U+FFFD).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace opz {

using Json = nlohmann::json;

// Parses a JSON document. On failure: ErrorCode::kMalformed with a message
// like "malformed JSON at byte 17: unexpected '}'" and field "body".
Result<Json> parse_json(std::string_view text);

// Serializes without throwing; invalid UTF-8 in strings becomes U+FFFD.
std::string dump_json(const Json& j, int indent = -1);

}  // namespace opz
