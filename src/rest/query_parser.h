// Parses a PostgREST read request into a rest::Query (query.h):
//   select=*|col,alias:col     order=col[.asc|.desc][.nullsfirst|.nullslast],...
//   limit=N  offset=N          (non-negative integers)
//   col=op.value, or=(...), and=(...), not.or=(...), not.and=(...)  (filter_parser.h)
//   Range: A-B | A-           (PostgREST's item range; other forms are ignored,
//                              as PostgREST does; B < A is 416 PGRST103)
//   Prefer: count=exact|planned|estimated   (other preferences are ignored)
//   Accept: application/json, */*, application/vnd.pgrst.object+json (one row
//           as an object), application/vnd.pgrst.array+json; anything else
//           only is 406 PGRST107
// Range and limit/offset combine as PostgREST combines them: the rows wanted
// are the intersection of [offset, offset+limit) and the header's [A, B].
// Every parameter is a filter unless its name is reserved (select, order,
// limit, offset, or, and, not.or, not.and); repeated filters on one column
// all apply (`id=gt.1&id=lt.9`), so the raw query string is taken, not a
// map. Not supported (refused with PGRST100 and a hint, never ignored):
// embedded resources `rel(...)`, casts `col::type`, JSON paths `col->k`.
// Pure; thread-safe.
#pragma once

#include <string_view>

#include "rest/query.h"
#include "rest/query_error.h"

namespace opz::rest {

struct ReadRequest {
  std::string_view raw_query;  // the target's query, still percent-encoded, without '?'
  std::string_view range;      // the Range header ("" when absent)
  std::string_view prefer;     // the Prefer header
  std::string_view accept;     // the Accept header
};

Grammar<Query> parse_query(const ReadRequest& request);

// The pieces, for callers and tests that have them separately.
Grammar<Select> parse_select(std::string_view value);
Grammar<std::vector<OrderTerm>> parse_order(std::string_view value);

}  // namespace opz::rest
