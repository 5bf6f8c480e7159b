// Media types (RFC 9110 §8.3.1): "type/subtype *(; name=value)", matched
// exactly — "application/jsonx" is not JSON, and neither is JSON in a charset
// other than UTF-8.
//
// parse_media_type() lower-cases the type, subtype and parameter names,
// unquotes quoted parameter values, and fails (nullopt) on anything that is
// not that grammar. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opz::http {

struct MediaType {
  std::string type;     // "application"
  std::string subtype;  // "json"
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower-case

  std::string essence() const { return type + "/" + subtype; }
  // The value of parameter `name` (lower-case), or nullopt.
  std::optional<std::string_view> parameter(std::string_view name) const;
};

std::optional<MediaType> parse_media_type(std::string_view header);

// `application/json` with no parameter but an optional charset=utf-8 (any
// case). The one JSON media type the API accepts.
bool is_json_media_type(std::string_view header);
// `application/x-www-form-urlencoded`, optionally charset=utf-8.
bool is_form_media_type(std::string_view header);

}  // namespace opz::http
