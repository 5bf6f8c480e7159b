// Cursor pagination shared by every list in the API: items are ordered by a
// sort key (usually created_at) then id, both descending; the cursor is the
// opaque encoding of the last item's (key, id). Lists answer
// {"items": [...], "next_cursor": "..." | null}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sql.h"

namespace opz::store {

struct PageRequest {
  std::string cursor;  // empty: first page
  int limit = 50;      // clamped to [1, 500] by parse_page_request
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

struct CursorPosition {
  std::string key;
  std::string id;
};

std::string encode_cursor(std::string_view key, std::string_view id);
Result<CursorPosition> decode_cursor(std::string_view cursor);

// Builds a PageRequest from query values ("limit" text may be empty).
Result<PageRequest> parse_page_request(std::string_view cursor, std::string_view limit);

// The keyset clause shared by every list: for a cursor, appends
// " AND (created_at, id) < ($k, $k+1)", then " ORDER BY created_at DESC, id
// DESC LIMIT $n" asking one row more than the page (to know whether another
// page follows). `sql` must already end in a WHERE clause.
Status append_page_clause(const PageRequest& page, std::string& sql, Params& params);

// The page of at most page.limit items from rows fetched with
// append_page_clause; next_cursor is set when an extra row came back.
// T needs `created_at` and `id`.
template <typename T, typename FromRow>
Page<T> page_from_rows(const Rows& rows, int limit, FromRow from_row) {
  Page<T> out;
  for (const Row& r : rows) {
    if (static_cast<int>(out.items.size()) == limit) {
      out.next_cursor = encode_cursor(out.items.back().created_at, out.items.back().id);
      break;
    }
    out.items.push_back(from_row(r));
  }
  return out;
}

}  // namespace opz::store
