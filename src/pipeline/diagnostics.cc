#include "pipeline/diagnostics.h"

#include <utility>

#include "pipeline/limits.h"

namespace opz::pipeline {

void Diagnostics::report(const std::string& path, const std::string& problem, bool at_key) {
  report_message(path, at_key, path.empty() ? problem : path + ": " + problem);
}

void Diagnostics::report_message(const std::string& place_path, bool at_key, std::string message) {
  add(Error::validation(std::move(message), source_->field_for(place_path, at_key)));
}

void Diagnostics::report_in_string(const std::string& path, size_t offset,
                                   const std::string& problem) {
  add(Error::validation(path + ": " + problem, source_->field_in_string(path, offset)));
}

void Diagnostics::add(Error error) {
  if (truncated_) return;
  // Messages and fields quote user input; keep each error readable and small.
  constexpr size_t kMaxText = 1024;
  if (error.message.size() > kMaxText) error.message = error.message.substr(0, kMaxText) + "...";
  if (error.field.size() > kMaxText) error.field = error.field.substr(0, kMaxText) + "...";
  if (errors_.size() >= kMaxErrors) {
    truncated_ = true;
    errors_.push_back(Error::validation("too many problems; only the first " +
                                        std::to_string(kMaxErrors) + " are listed"));
    return;
  }
  errors_.push_back(std::move(error));
}

}  // namespace opz::pipeline
