// The allow-list of relations GET /rest/v1/<table> may read, and who may read
// which rows of them (the seeds' row-level security, 000 §7.3, as data).
//
// Each entry names a PostgREST schema ("public", "ops", "registry"; chosen by
// the Accept-Profile header) and table, the SQLite relation behind it (SQLite
// has no schemas: ops.projects is the view ops_projects), its readable columns
// with their JSON types, and its row policy. A column or table that is not
// here does not exist for /rest/v1: tokens, sessions, password hashes,
// secrets and sealed columns are never listed. SQL built for /rest/v1 uses
// only names from this catalog; tests/store/rest_catalog_test.cc checks every
// listed column against the migrated schema of both dialects (SQLite's and
// PostgreSQL's, where the relation is a table or view of schema public), so a
// migration that renames a column fails the suite instead of the request.
// Immutable; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opz::store {

// How a stored value becomes JSON: text and timestamps (ISO-8601 text) as
// strings, integers and reals as numbers, booleans stored 0/1 as true/false,
// JSON documents stored as text as nested JSON.
enum class RestType { kText, kInteger, kReal, kBoolean, kJson, kTimestamp };

struct RestColumn {
  std::string name;
  RestType type = RestType::kText;
};

enum class RowPolicy {
  kSignedIn,      // every signed-in user reads every row
  kAdminOrOwner,  // admins read every row; others the rows whose owner column is their id
  kAdminOnly,     // admins read every row; others none (an empty answer, as RLS gives)
};

struct RestRelation {
  std::string schema;    // "public", "ops", "registry"
  std::string name;      // the table's name in URLs
  std::string relation;  // the SQLite table or view
  std::vector<RestColumn> columns;
  RowPolicy policy = RowPolicy::kSignedIn;
  std::string owner_column;  // kAdminOrOwner: the column holding the owner's user id

  const RestColumn* find_column(std::string_view column) const;
};

// Which rows of a relation one caller may read.
struct RowScope {
  enum class Kind { kAll, kOwned, kNone };
  Kind kind = Kind::kNone;
  std::string owner_column;  // kOwned
  std::string user_id;       // kOwned

  static RowScope for_caller(const RestRelation& relation, std::string_view user_id,
                             bool is_admin);
};

class RestCatalog {
 public:
  // The catalog Opzenix serves.
  static const RestCatalog& standard();

  explicit RestCatalog(std::vector<RestRelation> relations);

  // nullptr when the schema has no such table.
  const RestRelation* find(std::string_view schema, std::string_view name) const;
  bool has_schema(std::string_view schema) const;
  const std::vector<RestRelation>& relations() const { return relations_; }

 private:
  std::vector<RestRelation> relations_;
};

}  // namespace opz::store
