// YamlDocument: one opzenix.yml loaded into a Json tree plus the source
// positions of its values, so validation can say "line 12, column 14".
//
// Loading (yaml-cpp 0.7's event parser, whose exceptions never escape):
// - input over kMaxDocumentBytes or more than 500,000 values after expanding
//   aliases (each anchored value also counts once more): kTooLarge;
// - invalid UTF-8, YAML syntax errors, more than one document, nesting deeper
//   than 64 levels, recursive aliases: kMalformed with the field "line:col"
//   (1-based) when the position is known;
// - duplicate keys in a map (yaml-cpp accepts them silently) and non-string
//   keys are problems(): kValidation, the first definition wins.
// Plain scalars resolve as in the YAML 1.2 core schema (null, true/false,
// integers, floats, else strings); quoted or block scalars and !!str are
// always strings. Positions, original scalar text and key order are kept for
// the paths validation reports on (up to 5 levels deep).
// Immutable after load; const access is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "pipeline/source_map.h"

namespace opz::pipeline {

class YamlDocument final : public SourceMap {
 public:
  static Result<YamlDocument> load(std::string_view text);

  const Json& root() const { return root_; }
  const std::vector<Error>& problems() const { return problems_; }

  std::string field_for(const std::string& path, bool at_key) const override;
  std::string field_in_string(const std::string& path, size_t offset) const override;
  std::optional<std::string> scalar_text(const std::string& path) const override;
  int line_of(const std::string& path) const override;
  std::vector<std::string> keys_in_order(const std::string& path,
                                         const Json& object) const override;

 private:
  friend class YamlTreeBuilder;
  struct Position {
    int key_line = -1;  // 0-based, -1 when the value has no key (sequence item, root)
    int key_column = -1;
    int line = 0;  // of the value
    int column = 0;
    int content_offset = 0;  // 1 for quoted scalars: where the string's text begins
  };
  static constexpr int kBlockScalar = -1;  // content_offset of | and > scalars (next line)
  const Position* find(const std::string& path) const;  // nearest known ancestor

  Json root_;
  std::vector<Error> problems_;
  std::unordered_map<std::string, Position> positions_;
  std::unordered_map<std::string, std::string> scalar_text_;
  std::unordered_map<std::string, std::vector<std::string>> key_order_;
};

}  // namespace opz::pipeline
