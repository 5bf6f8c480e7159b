// PostgREST's filter grammar, one parameter at a time:
//   column=[not.]op.value      op: eq neq gt gte lt lte like ilike in is
//   in.(a,b,"c,d")             a list; double quotes keep ',', '(' and ')' in a
//                              value, backslash escapes '"' and '\' inside them
//   is.null|not_null|true|false|unknown   (any case)
//   or=(a.eq.1,b.gt.2,and(c.lt.3,not.d.is.null))   and=(...), not.or=(...),
//                              not.and=(...): trees of conditions; inside a
//                              tree a value may be double-quoted the same way
// Column names are taken as written: the store accepts only catalog columns.
// Limits: trees nest at most kMaxDepth levels, and one parameter holds at most
// kMaxItems conditions/list values (a larger request is refused, not
// truncated). Pure; thread-safe.
#pragma once

#include <string_view>

#include "rest/query.h"
#include "rest/query_error.h"

namespace opz::rest {

inline constexpr int kMaxDepth = 16;
inline constexpr size_t kMaxItems = 1000;

// `column=value` -> a condition node ("eq.5", "not.in.(1,2)").
Grammar<Filter> parse_column_filter(std::string_view column, std::string_view value);

// `or=(...)` (`op` is "or", "and", "not.or" or "not.and") -> a tree node.
Grammar<Filter> parse_logic_filter(std::string_view op, std::string_view value);

// True for the parameter names parse_logic_filter takes.
bool is_logic_key(std::string_view key);

}  // namespace opz::rest
