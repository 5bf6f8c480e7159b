// The typed form of a PostgREST read request (GET /rest/v1/<table>?...):
// which columns, which rows (a filter tree), in what order, which slice, and
// whether to count. Produced by rest::parse_query (query_parser.h) from the
// query string and the Range/Prefer/Accept headers; consumed by
// store::RestQueryStore, which checks every column name against the catalog
// and binds every value as a parameter. Plain values; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opz::rest {

// One entry of `select=`: a column, optionally renamed ("alias:column").
struct SelectItem {
  std::string column;
  std::string alias;  // empty: the column's own name
  const std::string& output_name() const { return alias.empty() ? column : alias; }
};

// `select=` absent or `*` alone: every column (star == true, items empty).
// `*` may also be mixed with named columns ("*,x:id"): star plus the items.
struct Select {
  bool star = true;
  std::vector<SelectItem> items;
};

enum class Op { kEq, kNeq, kGt, kGte, kLt, kLte, kLike, kIlike, kIn, kIs };

// The operand of `is.`: PostgREST accepts null, not_null, true, false, unknown.
enum class IsValue { kNull, kNotNull, kTrue, kFalse, kUnknown };

// "column=[not.]op.value". For kIn, `values` holds the list (possibly empty);
// for kIs, `is_value`; otherwise `values` holds exactly one value. like/ilike
// values keep PostgREST's '*' wildcard as written (the store maps it to '%').
struct Condition {
  std::string column;
  Op op = Op::kEq;
  bool negated = false;
  std::vector<std::string> values;
  IsValue is_value = IsValue::kNull;
};

// A node of the filter tree: a condition, or and/or over children; any node
// may be negated ("not.and(...)", "not.or=(...)"). The query's root is an
// And over every top-level parameter (an And with no children: all rows).
struct Filter {
  enum class Kind { kCondition, kAnd, kOr };
  Kind kind = Kind::kAnd;
  bool negated = false;
  Condition condition;            // kCondition
  std::vector<Filter> children;   // kAnd, kOr
};

struct OrderTerm {
  std::string column;
  bool descending = false;
  // Unset: the database's default (PostgreSQL: NULLS LAST for asc, FIRST for
  // desc; the store reproduces that on SQLite).
  std::optional<bool> nulls_first;
};

enum class CountPreference { kNone, kExact, kPlanned, kEstimated };

struct Query {
  Select select;
  Filter where;  // Kind::kAnd at the root
  std::vector<OrderTerm> order;
  int64_t offset = 0;
  std::optional<int64_t> limit;  // unset: no limit
  CountPreference count = CountPreference::kNone;
  // Accept: application/vnd.pgrst.object+json: exactly one row, as an object.
  bool single_object = false;
};

}  // namespace opz::rest
