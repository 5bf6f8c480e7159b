// PostgREST's error shape, for the /rest/v1 routes (reads and RPCs):
//   {"code":"PGRST100","details":null,"hint":null,"message":"..."}
// Scripts written against PostgREST/Supabase read `code` and `message`; an
// empty `details` or `hint` is JSON null, as PostgREST sends it. Only the
// /rest/v1 surface answers in this shape; /api/v1 keeps Opzenix's own
// {"error":{...}} (http/error_body.h). Pure functions; thread-safe.
#pragma once

#include <string>

#include "http/message.h"

namespace opz::api {

struct PostgrestError {
  int status = 400;
  std::string code;     // "PGRST100", "42703", "PGRST205", ...
  std::string message;
  std::string details;  // empty -> null
  std::string hint;     // empty -> null
};

// The body alone.
std::string postgrest_error_json(const PostgrestError& error);

// A JSON response (Content-Type: application/json; charset=utf-8).
http::Response postgrest_error(const PostgrestError& error);
http::Response postgrest_error(int status, std::string code, std::string message,
                               std::string details = {}, std::string hint = {});

}  // namespace opz::api
