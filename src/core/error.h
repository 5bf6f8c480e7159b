// Error: the one failure value used across Opzenix's core.
//
// An Error carries a machine-readable code, a human message that says what is
// wrong and where, and optionally the offending field (a JSON path, a YAML
// "line:col", a flag name). The HTTP layer maps codes to statuses
// (http/error_body.h); nothing below api/ knows about HTTP.
#pragma once

#include <string>
#include <string_view>

namespace opz {

enum class ErrorCode {
  kMalformed,         // input could not be parsed at all (bad JSON/YAML)      -> 400
  kUnauthenticated,   // no or bad credentials / signature                     -> 401
  kForbidden,         // authenticated but not allowed                         -> 403
  kNotFound,          // the named thing does not exist                        -> 404
  kMethodNotAllowed,  // route exists, method does not                         -> 405
  kConflict,          // state does not allow it (duplicate, already done)     -> 409
  kTooLarge,          // body or value over a limit                            -> 413
  kUnsupportedMedia,  // wrong content type / encoding                         -> 415
  kValidation,        // well-formed but semantically invalid                  -> 422
  kUnavailable,       // dependency down, shutting down                        -> 503
  kInternal,          // a bug or an I/O failure we did not expect             -> 500
};

// The stable snake_case name used in API error bodies ("validation_failed", ...).
std::string_view error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // empty when the error is not about one field

  static Error malformed(std::string msg, std::string field = {}) {
    return {ErrorCode::kMalformed, std::move(msg), std::move(field)};
  }
  static Error unauthenticated(std::string msg) {
    return {ErrorCode::kUnauthenticated, std::move(msg), {}};
  }
  static Error forbidden(std::string msg) { return {ErrorCode::kForbidden, std::move(msg), {}}; }
  static Error not_found(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), {}}; }
  static Error conflict(std::string msg, std::string field = {}) {
    return {ErrorCode::kConflict, std::move(msg), std::move(field)};
  }
  static Error too_large(std::string msg) { return {ErrorCode::kTooLarge, std::move(msg), {}}; }
  static Error unsupported_media(std::string msg) {
    return {ErrorCode::kUnsupportedMedia, std::move(msg), {}};
  }
  static Error validation(std::string msg, std::string field = {}) {
    return {ErrorCode::kValidation, std::move(msg), std::move(field)};
  }
  static Error unavailable(std::string msg) {
    return {ErrorCode::kUnavailable, std::move(msg), {}};
  }
  static Error internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg), {}}; }

  bool is_not_found() const { return code == ErrorCode::kNotFound; }
  bool is_conflict() const { return code == ErrorCode::kConflict; }

  // "validation_failed: retry.max_attempts must be >= 1 (at nodes.build.retry)"
  std::string to_string() const;
};

}  // namespace opz
