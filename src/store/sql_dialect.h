// SQL fragments that differ between SQLite and PostgreSQL (docs/postgres.md),
// for the statements that cannot be written portably. Each function answers
// the fragment of the session's dialect; arguments are SQL text written by
// the store (column names, fixed keys), never caller input.
#pragma once

#include <string>
#include <string_view>

#include "store/sql.h"

namespace opz::store {

inline bool is_postgres(const SqlSession& s) { return s.dialect() == "postgres"; }

// The text value of a top-level scalar key of a JSON document column (NULL
// when the key is missing): json_extract(col, '$.key') / col ->> 'key'.
inline std::string json_text(const SqlSession& s, std::string_view column, std::string_view key) {
  if (is_postgres(s)) return std::string(column) + " ->> '" + std::string(key) + "'";
  return "json_extract(" + std::string(column) + ", '$." + std::string(key) + "')";
}

}  // namespace opz::store
