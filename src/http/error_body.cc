#include "http/error_body.h"

#include "core/json.h"

namespace opz::http {

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMedia:
      return 415;
    case ErrorCode::kValidation:
      return 422;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string error_json(const Error& error) {
  Json inner = Json::object();
  inner["code"] = std::string(error_code_name(error.code));
  inner["message"] = error.message;
  if (!error.field.empty()) inner["field"] = error.field;
  Json body = Json::object();
  body["error"] = std::move(inner);
  return dump_json(body);
}

Response error_response(const Error& error) {
  return error_response(status_for(error.code), error);
}

Response error_response(int status, const Error& error) {
  return Response::json(status, error_json(error));
}

}  // namespace opz::http
