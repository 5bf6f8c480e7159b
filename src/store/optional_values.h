#pragma once
// Optional columns: records keep "" (text) or nullopt (integers) for "none"; the store binds and
// reads NULL.

#include <cstdint>
#include <optional>
#include <string>

#include "store/sql.h"

namespace opz::store {

// The parameter of an optional text column: "" binds as NULL.
inline SqlValue text_or_null(const std::string& text) {
  return text.empty() ? SqlValue() : SqlValue(text);
}

// An optional integer column's value.
inline std::optional<int64_t> optional_int(const SqlValue& v) {
  if (v.is_null()) return std::nullopt;
  return v.as_int();
}

}  // namespace opz::store
