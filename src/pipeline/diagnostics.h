// Diagnostics: collects the problems found while validating one pipeline
// definition, each as an opz::Error (kValidation) whose message starts with
// the path of the offending value ("nodes.build.timeout: invalid duration
// 'banana' ...") and whose field is placed by the SourceMap ("12:14" for
// opzenix.yml, the path itself for JSON). At most kMaxErrors problems are
// kept, then one "too many problems" error closes the list.
// Not thread-safe; one per validation.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "pipeline/source_map.h"

namespace opz::pipeline {

class Diagnostics {
 public:
  explicit Diagnostics(const SourceMap& source) : source_(&source) {}

  // "<path>: <problem>", placed at the value (or its key when `at_key`).
  void report(const std::string& path, const std::string& problem, bool at_key = false);
  // Placed at the value of `place_path`, with a message written by the caller.
  void report_message(const std::string& place_path, bool at_key, std::string message);
  // "<path>: <problem>", placed `offset` bytes into the string at `path`.
  void report_in_string(const std::string& path, size_t offset, const std::string& problem);
  // An already placed error (e.g. from loading the document).
  void add(Error error);

  bool ok() const { return errors_.empty(); }
  const std::vector<Error>& errors() const { return errors_; }
  std::vector<Error> take_errors() { return std::move(errors_); }
  const SourceMap& source() const { return *source_; }

 private:
  const SourceMap* source_;
  std::vector<Error> errors_;
  bool truncated_ = false;
};

}  // namespace opz::pipeline
