#pragma once
// Optional values in JSON documents and columns: "" shown as null, stored JSON read with a
// fallback.

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace opz {

// An optional text as the API shows it: "" is null.
inline Json string_or_null(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}

// An optional value (a number, a text, ...) as the API shows it: nullopt is null.
template <typename T>
Json value_or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// `text` parsed, or `fallback` when it is not JSON (a column an older build left empty).
inline Json parse_json_or(std::string_view text, Json fallback) {
  auto parsed = parse_json(text);
  return parsed ? std::move(parsed).value() : std::move(fallback);
}

}  // namespace opz
