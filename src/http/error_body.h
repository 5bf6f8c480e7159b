// The JSON error shape of every Opzenix HTTP error, and the ErrorCode -> status
// mapping. Used by the transport (404/405/413/500 it answers itself) and by the
// API layer, so that all errors look alike:
//   {"error":{"code":"validation_failed","message":"...","field":"retry"}}
// ("field" is omitted when empty). Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/error.h"
#include "http/message.h"

namespace opz::http {

// kMalformed 400, kUnauthenticated 401, kForbidden 403, kNotFound 404,
// kMethodNotAllowed 405, kConflict 409, kTooLarge 413, kUnsupportedMedia 415,
// kValidation 422, kUnavailable 503, kInternal 500.
int status_for(ErrorCode code);

// The body alone (never throws; invalid UTF-8 in the message becomes U+FFFD).
std::string error_json(const Error& error);

// A JSON response with the status mapped from the code.
Response error_response(const Error& error);
// A JSON response with an explicit status (for the rare status the code does not say).
Response error_response(int status, const Error& error);

}  // namespace opz::http
