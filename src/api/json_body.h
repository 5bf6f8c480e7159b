// Reading JSON request bodies with precise errors.
//
// parse_json_body() enforces the content type (415 unless JSON; the seeds'
// /functions/v1 aliases also accept curl's default form content type, because
// the seeds' curl examples send JSON without a Content-Type) and reports
// malformed JSON with its byte offset (400). FieldReader then reads typed
// fields, naming the field in every error (422), and rejects unknown fields so
// a typo never passes silently.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "http/message.h"

namespace opz::api {

enum class BodyPolicy { kStrictJson, kLenientSeedAlias };

// An empty body parses as {} when `allow_empty`.
Result<Json> parse_json_body(const http::Request& req, BodyPolicy policy = BodyPolicy::kStrictJson,
                             bool allow_empty = false);

class FieldReader {
 public:
  explicit FieldReader(const Json& object, std::string path_prefix = {});

  // kValidation when the body is not an object.
  Status expect_object() const;
  // kValidation naming the first field not in `allowed`.
  Status reject_unknown(std::initializer_list<std::string_view> allowed) const;

  Result<std::string> required_string(std::string_view key, size_t max_len = 1024) const;
  Result<std::optional<std::string>> optional_string(std::string_view key,
                                                     size_t max_len = 1024) const;
  Result<std::optional<int64_t>> optional_int(std::string_view key, int64_t min,
                                              int64_t max) const;
  Result<std::optional<bool>> optional_bool(std::string_view key) const;
  // Present and any JSON type (object/array checks are the caller's).
  const Json* get(std::string_view key) const;
  std::string path(std::string_view key) const;

 private:
  const Json& obj_;
  std::string prefix_;
};

// Checks a value is one of `allowed`; the error lists them.
Status check_one_of(std::string_view field, std::string_view value,
                    std::initializer_list<std::string_view> allowed);
// A name shown to people and handed to steps (environment, execution name):
// 422 naming `field` when it holds a control character (C0 or DEL), which
// would break a step's environment or a log line.
Status check_printable(std::string_view value, std::string_view field);
// A UUID path/query parameter: 404 "no <what> with id ..." when not a UUID
// (a malformed id can never exist, and the answer must not differ).
Status check_id(std::string_view id, std::string_view what);

}  // namespace opz::api
