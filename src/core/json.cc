#include "core/json.h"

#include <optional>

#include "core/json_skim.h"

namespace opz {

namespace {

Error json_error(const Json::parse_error& e) {
  std::string what = e.what();
  // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
  auto pos = what.find("parse error");
  std::string detail = pos == std::string::npos ? what : what.substr(pos);
  return Error::malformed("malformed JSON at byte " + std::to_string(e.byte) + ": " + detail,
                          "body");
}

}  // namespace

Result<Json> parse_json_keeping(std::string_view text,
                                const std::function<bool(const JsonPath& path)>& keep) {
  // The one-pass scanner takes what it can vouch for; everything else (all
  // malformed text among it) goes through nlohmann, for its exact result or
  // error message.
  if (std::optional<Json> skimmed = skim_json_keeping(text, keep)) return std::move(*skimmed);
  // nlohmann reports depth with each event; the path is rebuilt from it: a
  // key at depth d is path[d - 1], an array opened at depth d makes its
  // elements path[d] = "[]". Keys are copied into `names` (the parser's
  // strings do not outlive the callback).
  std::vector<std::string> names;
  JsonPath path;
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    switch (event) {
      case Json::parse_event_t::key: {
        const auto d = static_cast<size_t>(depth);
        names.resize(d);
        names[d - 1] = parsed.get<std::string>();
        path.assign(names.begin(), names.end());
        return keep(path);
      }
      case Json::parse_event_t::array_start: {
        const auto d = static_cast<size_t>(depth);
        names.resize(d + 1);
        names[d] = "[]";
        return true;
      }
      default:
        return true;
    }
  };
  try {
    return Json::parse(text.begin(), text.end(), callback);
  } catch (const Json::parse_error& e) {
    return json_error(e);
  } catch (const Json::exception& e) {
    return Error::malformed(std::string("malformed JSON: ") + e.what(), "body");
  }
}

Result<Json> parse_json(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return json_error(e);
  } catch (const Json::exception& e) {
    // e.g. out_of_range for a number like 1e999: hostile input, never a crash.
    return Error::malformed(std::string("malformed JSON: ") + e.what(), "body");
  }
}

std::string dump_json(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace opz
