#pragma once
// The parameter of an optional text column: "" binds as NULL (records keep "" for "none").

#include <string>

#include "store/sql.h"

namespace opz::store {

inline SqlValue text_or_null(const std::string& text) {
  return text.empty() ? SqlValue() : SqlValue(text);
}

}  // namespace opz::store
