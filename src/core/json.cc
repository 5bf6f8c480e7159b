#include "core/json.h"

namespace opz {

Result<Json> parse_json(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    auto pos = what.find("parse error");
    std::string detail = pos == std::string::npos ? what : what.substr(pos);
    return Error::malformed("malformed JSON at byte " + std::to_string(e.byte) + ": " + detail,
                            "body");
  } catch (const Json::exception& e) {
    // e.g. out_of_range for a number like 1e999: hostile input, never a crash.
    return Error::malformed(std::string("malformed JSON: ") + e.what(), "body");
  }
}

std::string dump_json(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace opz
