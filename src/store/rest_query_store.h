// Runs a parsed PostgREST read (rest::Query) against one catalog relation
// (store/rest_catalog.h) for one caller's row scope.
//
// The SQL is built only from catalog names (every column the query names is
// looked up first; an unknown one is an error, never spliced in), and every
// value is a bound $n parameter, typed by its column: integer, real and
// boolean columns take numbers/booleans (text that is not one is an error,
// like PostgreSQL's 22P02), others text. PostgreSQL semantics are kept where
// SQLite differs: `like` is case-sensitive (GLOB underneath, '*' and '%' the
// wildcards, '_' one character), `ilike` is case-insensitive (ASCII), nulls
// sort last ascending and first descending unless the order says otherwise.
// The rows and the optional exact count are read in one snapshot.
// Thread-safe (the Database is).
#pragma once

#include <cstdint>
#include <optional>

#include "core/json.h"
#include "core/result.h"
#include "rest/query.h"
#include "store/database.h"
#include "store/rest_catalog.h"

namespace opz::store {

struct RestReadResult {
  Json rows = Json::array();     // objects (keys sorted: core Json), values typed per catalog
  std::optional<int64_t> total;  // when the query asked for a count
};

// Errors:
//   kNotFound (field = the column): a column the relation does not have
//     ("column executions.nope does not exist");
//   kValidation (field = the column): a value its column's type cannot hold
//     (the message names the type);
//   kTooLarge: more than kMaxBoundValues values in one query.
//   Others: the database's.
class RestQueryStore {
 public:
  static constexpr size_t kMaxBoundValues = 5000;

  explicit RestQueryStore(Database& db) : db_(db) {}

  Result<RestReadResult> read(const RestRelation& relation, const rest::Query& query,
                              const RowScope& scope);

 private:
  Database& db_;
};

}  // namespace opz::store
