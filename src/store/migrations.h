// Versioned schema migrations, embedded into the binary at build time from
// src/store/migrations/<dialect>/NNN_name.sql (cmake/embed_migrations.cmake).
// Applied in name order, each in its own transaction, recorded in
// schema_migrations(version, applied_at), never re-applied.
#pragma once

#include <string>
#include <vector>

namespace opz::store {

struct Migration {
  std::string name;  // "001_initial"
  std::string sql;
};

const std::vector<Migration>& embedded_migrations();

}  // namespace opz::store
