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

// The columns a list is ordered by: its sort key, then the id.
struct PageColumns {
  std::string_view key = "created_at";
  std::string_view id = "id";
};

// The keyset clause of every list: for a cursor, appends
// " AND (key, id) < ($k, $k+1)", then " ORDER BY key DESC, id DESC LIMIT $n"
// asking one row more than the page (to know whether another page follows).
// `sql` must end inside a WHERE clause ("WHERE 1 = 1" when there is no
// filter). kValidation for a cursor that is not ours.
Status append_page_clause(const PageRequest& page, std::string& sql, Params& params,
                          PageColumns columns = {});

// The sort key of a record ordered by creation time.
struct CreatedAtKey {
  template <typename T>
  const std::string& operator()(const T& item) const {
    return item.created_at;
  }
};

// The page of at most `limit` items from rows fetched with
// append_page_clause; next_cursor (the last item's sort key and id) is set
// when the extra row came back.
template <typename T, typename FromRow, typename KeyOf = CreatedAtKey>
Page<T> page_from_rows(const Rows& rows, int limit, FromRow from_row, KeyOf key_of = {}) {
  Page<T> out;
  for (const Row& r : rows) {
    if (static_cast<int>(out.items.size()) == limit) {
      out.next_cursor = encode_cursor(key_of(out.items.back()), out.items.back().id);
      break;
    }
    out.items.push_back(from_row(r));
  }
  return out;
}

}  // namespace opz::store
