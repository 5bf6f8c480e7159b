#include "api/postgrest_error.h"

#include "core/json.h"
#include "core/json_optional.h"

namespace opz::api {

namespace {}  // namespace

std::string postgrest_error_json(const PostgrestError& error) {
  Json body = Json::object();
  body["code"] = error.code;
  body["details"] = string_or_null(error.details);
  body["hint"] = string_or_null(error.hint);
  body["message"] = error.message;
  return dump_json(body);
}

http::Response postgrest_error(const PostgrestError& error) {
  http::Response r;
  r.status = error.status;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.body = postgrest_error_json(error);
  return r;
}

http::Response postgrest_error(int status, std::string code, std::string message,
                               std::string details, std::string hint) {
  return postgrest_error(PostgrestError{status, std::move(code), std::move(message),
                                        std::move(details), std::move(hint)});
}

}  // namespace opz::api
