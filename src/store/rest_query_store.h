// Runs a parsed PostgREST read (rest::Query) against one catalog relation
// (store/rest_catalog.h) for one caller's row scope.
//
// The SQL is built only from catalog names (every column the query names is
// looked up first; an unknown one is an error, never spliced in), and every
// value is a bound $n parameter, typed by its column: integer, real and
// boolean columns take numbers/booleans (text that is not one is an error,
// like PostgreSQL's 22P02), others text. The SQL runs on both dialects
// (SqlSession::dialect()); the one switch is like/ilike: PostgreSQL's LIKE
// (case-sensitive) and ILIKE; on SQLite, GLOB ('*' and '%' the wildcards,
// '_' one character; case-sensitive) and LIKE (ASCII case-insensitive). Nulls
// sort last ascending and first descending unless the order says otherwise
// (PostgreSQL's default, written out for SQLite). No read answers more than
// `max_rows` rows (PostgREST's db-max-rows): a larger or absent limit is cut
// to it, so every statement has a LIMIT. The rows and the optional exact
// count (of every row the filters select, not cut) are read in one snapshot.
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

// Row objects keep their keys in the select's order (the relation's column
// order for `*`), as PostgREST answers them; nested JSON documents keep theirs.
using OrderedJson = nlohmann::ordered_json;

struct RestReadResult {
  OrderedJson rows = OrderedJson::array();  // objects, values typed per catalog
  std::optional<int64_t> total;             // when the query asked for a count
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
  static constexpr int64_t kDefaultMaxRows = 1000;

  // `max_rows` >= 1.
  explicit RestQueryStore(Database& db, int64_t max_rows = kDefaultMaxRows)
      : db_(db), max_rows_(max_rows) {}

  Result<RestReadResult> read(const RestRelation& relation, const rest::Query& query,
                              const RowScope& scope);

 private:
  Database& db_;
  int64_t max_rows_;
};

}  // namespace opz::store
