#include "rest/query_parser.h"

#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/form_encoding.h"
#include "rest/filter_parser.h"

namespace opz::rest {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::optional<int64_t> non_negative(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// "a=1&b=x%20y" -> decoded pairs, in order, repeats kept.
Grammar<std::vector<std::pair<std::string, std::string>>> decode_pairs(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view part : split(raw, '&')) {
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    auto key = percent_decode(part.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (!key || !value)
      return QueryError::parse("query string", std::string(part.substr(0, 64)),
                               "malformed percent-encoding (or an encoded NUL byte)");
    out.emplace_back(std::move(key).value(), std::move(value).value());
  }
  return out;
}

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Refuses the PostgREST features this server does not offer, naming them.
std::optional<QueryError> unsupported_column_syntax(std::string_view what, std::string_view col) {
  if (col.find('(') != std::string_view::npos)
    return QueryError::parse(what, std::string(col), "embedded resources are not supported",
                             "Read the related table with its own request");
  if (col.find("::") != std::string_view::npos)
    return QueryError::parse(what, std::string(col), "casts are not supported");
  if (col.find("->") != std::string_view::npos)
    return QueryError::parse(what, std::string(col), "JSON paths are not supported");
  return std::nullopt;
}

Grammar<CountPreference> parse_prefer(std::string_view prefer) {
  CountPreference count = CountPreference::kNone;
  for (std::string_view token : split(prefer, ',')) {
    token = trim(token);
    if (token == "count=exact") count = CountPreference::kExact;
    else if (token == "count=planned") count = CountPreference::kPlanned;
    else if (token == "count=estimated") count = CountPreference::kEstimated;
  }
  return count;
}

// True: a single object is wanted. 406 when no listed type is one we produce.
Grammar<bool> parse_accept(std::string_view accept) {
  if (trim(accept).empty()) return false;
  bool any = false;
  bool object = false;
  for (std::string_view item : split(accept, ',')) {
    std::string_view type = trim(item.substr(0, item.find(';')));
    if (type == "application/vnd.pgrst.object+json") object = any = true;
    else if (type == "application/json" || type == "*/*" || type == "application/*" ||
             type == "application/vnd.pgrst.array+json")
      any = true;
  }
  if (!any)
    return QueryError{406, "PGRST107",
                      "None of these media types are available: " + std::string(accept), "", ""};
  return object;
}

struct Window {
  int64_t lower = 0;
  std::optional<int64_t> upper;  // inclusive; unset: open
};

// The Range header as PostgREST reads it: "A-B" or "A-"; anything else: all rows.
Grammar<Window> parse_range(std::string_view range) {
  Window w;
  range = trim(range);
  const size_t dash = range.find('-');
  if (range.empty() || dash == std::string_view::npos) return w;
  auto lower = non_negative(range.substr(0, dash));
  const std::string_view upper_text = range.substr(dash + 1);
  auto upper = non_negative(upper_text);
  if (!lower || (!upper_text.empty() && !upper)) return w;
  if (upper && *upper < *lower)
    return QueryError{416, "PGRST103", "Requested range not satisfiable",
                      "The lower boundary must be lower than or equal to the upper boundary in "
                      "the Range header.",
                      ""};
  w.lower = *lower;
  w.upper = upper;
  return w;
}

}  // namespace

Grammar<Select> parse_select(std::string_view value) {
  Select s;
  s.star = false;
  for (std::string_view item : split(value, ',')) {
    item = trim(item);
    if (item == "*") {
      s.star = true;
      continue;
    }
    if (auto bad = unsupported_column_syntax("select", item)) return *bad;
    SelectItem out;
    const size_t colon = item.find(':');
    if (colon != std::string_view::npos) {
      out.alias = std::string(trim(item.substr(0, colon)));
      item = trim(item.substr(colon + 1));
      if (out.alias.empty())
        return QueryError::parse("select", std::string(value), "an alias is empty");
    }
    if (item.empty())
      return QueryError::parse("select", std::string(value), "a column name is empty",
                               "List columns separated by commas, e.g. select=id,status");
    out.column = std::string(item);
    s.items.push_back(std::move(out));
    if (s.items.size() > kMaxItems)
      return QueryError::parse("select", std::string(value.substr(0, 64)), "too many columns");
  }
  return s;
}

Grammar<std::vector<OrderTerm>> parse_order(std::string_view value) {
  std::vector<OrderTerm> terms;
  for (std::string_view item : split(value, ',')) {
    item = trim(item);
    if (auto bad = unsupported_column_syntax("order", item)) return *bad;
    std::vector<std::string_view> parts = split(item, '.');
    OrderTerm t;
    t.column = std::string(parts[0]);
    if (t.column.empty())
      return QueryError::parse("order", std::string(value), "a column name is empty");
    bool direction_seen = false;
    bool nulls_seen = false;
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::string_view p = parts[i];
      if ((p == "asc" || p == "desc") && !direction_seen && !nulls_seen) {
        t.descending = p == "desc";
        direction_seen = true;
      } else if ((p == "nullsfirst" || p == "nullslast") && !nulls_seen) {
        t.nulls_first = p == "nullsfirst";
        nulls_seen = true;
      } else {
        return QueryError::parse("order", std::string(item),
                                 "unexpected '" + std::string(p) + "'",
                                 "Write order=column.asc|desc[.nullsfirst|.nullslast]");
      }
    }
    terms.push_back(std::move(t));
    if (terms.size() > kMaxItems)
      return QueryError::parse("order", std::string(value.substr(0, 64)), "too many terms");
  }
  return terms;
}

Grammar<Query> parse_query(const ReadRequest& request) {
  Query q;
  auto pairs = decode_pairs(request.raw_query);
  if (!pairs) return pairs.error();
  std::optional<int64_t> limit;
  int64_t offset = 0;
  for (auto& [key, value] : pairs.value()) {
    if (key == "select") {
      auto s = parse_select(value);
      if (!s) return s.error();
      q.select = std::move(s).value();
    } else if (key == "order") {
      auto o = parse_order(value);
      if (!o) return o.error();
      q.order = std::move(o).value();
    } else if (key == "limit" || key == "offset") {
      auto n = non_negative(value);
      if (!n)
        return QueryError::parse(key, value, "expected a non-negative integer",
                                 "e.g. " + key + "=10");
      if (key == "limit") limit = *n;
      else offset = *n;
    } else if (is_logic_key(key)) {
      auto f = parse_logic_filter(key, value);
      if (!f) return f.error();
      q.where.children.push_back(std::move(f).value());
    } else {
      if (auto bad = unsupported_column_syntax("filter", key)) return *bad;
      bool plain = !key.empty();
      for (char c : key) plain = plain && is_identifier_char(c);
      if (!plain && key.find('.') != std::string::npos)
        return QueryError::parse("filter", key, "filters on embedded resources are not supported");
      auto f = parse_column_filter(key, value);
      if (!f) return f.error();
      q.where.children.push_back(std::move(f).value());
    }
    if (q.where.children.size() > kMaxItems)
      return QueryError::parse("query string", "", "too many filters");
  }

  auto window = parse_range(request.range);
  if (!window) return window.error();
  // [offset, offset+limit-1] intersected with the header's [lower, upper].
  q.offset = std::max(offset, window.value().lower);
  std::optional<int64_t> upper = window.value().upper;
  if (limit) {
    const int64_t by_limit = *limit == 0 ? offset - 1 : offset + (*limit - 1);
    upper = upper ? std::min(*upper, by_limit) : by_limit;
  }
  if (upper) q.limit = std::max<int64_t>(0, *upper - q.offset + 1);

  auto count = parse_prefer(request.prefer);
  if (!count) return count.error();
  q.count = count.value();
  auto object = parse_accept(request.accept);
  if (!object) return object.error();
  q.single_object = object.value();
  return q;
}

}  // namespace opz::rest
