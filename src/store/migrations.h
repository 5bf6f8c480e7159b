// Versioned schema migrations, embedded into the binary at build time from
// src/store/migrations/<dialect>/NNN_name.sql (cmake/embed_migrations.cmake).
// Both dialects ("sqlite", "postgres") carry the same names in the same order,
// so applied_migrations() reads the same on either backend.
// Applied in name order, each in its own transaction, recorded in
// schema_migrations(version, applied_at), never re-applied.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opz::store {

struct Migration {
  std::string name;  // "001_initial"
  std::string sql;
};

// The dialect's migrations; empty for an unknown dialect.
const std::vector<Migration>& embedded_migrations(std::string_view dialect = "sqlite");

}  // namespace opz::store
