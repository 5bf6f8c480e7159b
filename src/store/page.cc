#include "store/page.h"

#include <charconv>

namespace opz::store {

namespace {
constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

std::string encode_cursor(std::string_view key, std::string_view id) {
  std::string raw = std::string(key) + "|" + std::string(id);
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

Result<CursorPosition> decode_cursor(std::string_view cursor) {
  auto bad = [] { return Error::validation("invalid cursor: pass next_cursor unchanged", "cursor"); };
  if (cursor.size() % 2 != 0 || cursor.size() > 1024) return bad();
  std::string raw;
  for (size_t i = 0; i < cursor.size(); i += 2) {
    int hi = hex_value(cursor[i]), lo = hex_value(cursor[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    raw.push_back(static_cast<char>(hi * 16 + lo));
  }
  auto bar = raw.rfind('|');
  if (bar == std::string::npos) return bad();
  return CursorPosition{raw.substr(0, bar), raw.substr(bar + 1)};
}

Result<PageRequest> parse_page_request(std::string_view cursor, std::string_view limit) {
  PageRequest req;
  if (!cursor.empty()) {
    OPZ_TRY_STATUS(decode_cursor(cursor));
    req.cursor = std::string(cursor);
  }
  if (!limit.empty()) {
    int n = 0;
    auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || p != limit.data() + limit.size() || n < 1 || n > 500)
      return Error::validation("limit must be an integer from 1 to 500", "limit");
    req.limit = n;
  }
  return req;
}

Status append_page_clause(const PageRequest& page, std::string& sql, Params& params,
                          PageColumns columns) {
  const std::string key(columns.key);
  const std::string id(columns.id);
  if (!page.cursor.empty()) {
    OPZ_TRY(CursorPosition pos, decode_cursor(page.cursor));
    params.push_back(pos.key);
    params.push_back(pos.id);
    sql += " AND (" + key + ", " + id + ") < ($" + std::to_string(params.size() - 1) + ", $" +
           std::to_string(params.size()) + ")";
  }
  params.push_back(page.limit + 1);
  sql += " ORDER BY " + key + " DESC, " + id + " DESC LIMIT $" + std::to_string(params.size());
  return {};
}

}  // namespace opz::store
