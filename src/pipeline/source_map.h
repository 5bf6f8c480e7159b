// SourceMap: where a value of a decoded pipeline definition came from, so the
// shared readers (field_reader.h, node_reader.h) can place each problem
// precisely whatever the front-end. Values are addressed by a path in the
// form the user reads: "nodes.build.retry.max_attempts" for opzenix.yml,
// "nodes[3].data.retry" for flow templates (see child_path/item_path).
//
// Two implementations: YamlDocument ("line:col" fields, source key order,
// original scalar text) and JsonSourceMap (the path is the field). Both are
// immutable after construction; const access is thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace opz::pipeline {

inline std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

inline std::string item_path(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

class SourceMap {
 public:
  virtual ~SourceMap() = default;

  // The Error::field for a problem with the value at `path` (with the key
  // that names it when `at_key`). Unknown paths fall back to the nearest
  // known ancestor.
  virtual std::string field_for(const std::string& path, bool at_key) const = 0;
  // The Error::field for a problem `offset` bytes into the string at `path`.
  virtual std::string field_in_string(const std::string& path, size_t offset) const = 0;
  // The text a non-string scalar was written as ("0755", "1.10", "true"), when
  // the source keeps it; env values use it so `PORT: 0080` stays "0080".
  virtual std::optional<std::string> scalar_text(const std::string& path) const = 0;
  // 1-based line of the key at `path`, or 0 when unknown.
  virtual int line_of(const std::string& path) const = 0;
  // The keys of `object` (the object at `path`) in declaration order.
  virtual std::vector<std::string> keys_in_order(const std::string& path,
                                                 const Json& object) const = 0;

 protected:
  SourceMap() = default;
  SourceMap(const SourceMap&) = default;
  SourceMap(SourceMap&&) = default;
  SourceMap& operator=(const SourceMap&) = default;
  SourceMap& operator=(SourceMap&&) = default;
};

// For JSON inputs (flow templates, the canonical form): the field is the path.
class JsonSourceMap final : public SourceMap {
 public:
  std::string field_for(const std::string& path, bool /*at_key*/) const override { return path; }
  std::string field_in_string(const std::string& path, size_t /*offset*/) const override {
    return path;
  }
  std::optional<std::string> scalar_text(const std::string& /*path*/) const override {
    return std::nullopt;
  }
  int line_of(const std::string& /*path*/) const override { return 0; }
  std::vector<std::string> keys_in_order(const std::string& /*path*/,
                                         const Json& object) const override {
    std::vector<std::string> keys;
    if (object.is_object())
      for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
    return keys;
  }
};

}  // namespace opz::pipeline
