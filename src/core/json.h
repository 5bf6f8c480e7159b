// JSON helpers shared by every layer: parse with a precise error (byte offset),
// and dump that never throws on invalid UTF-8 (replaced with U+FFFD).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace opz {

using Json = nlohmann::json;

// Parses a JSON document. On failure: ErrorCode::kMalformed with a message
// like "malformed JSON at byte 17: unexpected '}'" and field "body".
Result<Json> parse_json(std::string_view text);

// A member's place in a document: the object keys from the root, with "[]"
// for an array's elements ({"a": [{"b": 1}]}: b is at {"a", "[]", "b"}).
using JsonPath = std::vector<std::string_view>;
// Parses `text` keeping only the members `keep` answers true for (it is asked
// for every member, parents first: a dropped member's subtree is never built).
// Array elements are always kept, so arrays keep their length. For reading a
// few fields of large documents (webhook payloads) without building the rest;
// core/json_skim.h does it in one pass that copies nothing it drops.
// Errors as parse_json.
Result<Json> parse_json_keeping(std::string_view text,
                                const std::function<bool(const JsonPath& path)>& keep);

// Serializes without throwing; invalid UTF-8 in strings becomes U+FFFD.
std::string dump_json(const Json& j, int indent = -1);

}  // namespace opz
