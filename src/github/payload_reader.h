// PayloadReader: typed, path-addressed reads from a parsed webhook payload,
// with errors that name the JSON path ("pull_request.head.sha").
//
// Required reads fail with kValidation when the field is missing, null or of
// the wrong type; optional reads answer a default for missing or null fields
// but still fail on a wrong type (a payload that says "number": "7" is broken,
// not absent). Paths are dot-separated object keys. Reads never throw.
// A reader borrows the Json it reads (which must outlive it); its const reads
// are safe from several threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/json.h"
#include "core/result.h"

namespace opz::github {

class PayloadReader {
 public:
  // `context` prefixes every error message, e.g. "push event".
  PayloadReader(const Json& root, std::string context)
      : root_(root), context_(std::move(context)) {}

  Result<std::string> required_string(std::string_view path) const;
  Result<int64_t> required_int(std::string_view path) const;
  Result<std::string> optional_string(std::string_view path) const;  // "" when absent
  Result<int64_t> optional_int(std::string_view path) const;         // 0 when absent
  Result<bool> optional_bool(std::string_view path) const;           // false when absent
  // A GitHub id: a non-negative integer up to 2^64 - 1, as decimal text ("" when
  // absent). Text, because ids above 2^63 fit no signed 64-bit column.
  Result<std::string> optional_id(std::string_view path) const;
  bool has_object(std::string_view path) const;
  // The whole payload, for readers of lists of objects (github/changed_paths.h).
  const Json& root() const { return root_; }
  // Size of the array at `path`; 0 when absent or null, kValidation when not an array.
  Result<size_t> array_size(std::string_view path) const;

 private:
  // The value at `path`, or nullptr when a step is missing or null.
  const Json* find(std::string_view path) const;
  Error missing(std::string_view path) const;
  Error wrong_type(std::string_view path, std::string_view expected, const Json& got) const;

  const Json& root_;
  std::string context_;
};

}  // namespace opz::github
