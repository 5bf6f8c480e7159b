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

}  // namespace opz::store
