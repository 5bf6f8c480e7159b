// Helpers for the governance enums' string names: one table per enum,
// {value, "name"}, read both ways. Used by the to_string / parse_* functions
// of this module so each enum's spelling lives in exactly one table.
// Header-only, stateless, thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace opz::governance::detail {

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
std::string_view name_of(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "unknown";
}

// The value named `text`, or kValidation naming `field` and the known names.
template <typename E, size_t N>
Result<E> parse_named(const NameTable<E, N>& table, std::string_view text, std::string_view field) {
  std::string known;
  for (const auto& [v, name] : table) {
    if (name == text) return v;
    known += known.empty() ? "" : ", ";
    known += name;
  }
  return Error::validation(
      std::string(field) + " must be one of " + known + ", got '" + std::string(text) + "'",
      std::string(field));
}

}  // namespace opz::governance::detail
