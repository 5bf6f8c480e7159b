// YamlTreeBuilder: the yaml-cpp event handler behind YamlDocument::load. It
// builds the Json tree straight from parser events (no YAML::Node tree), and
// records positions, original scalar text, key order, duplicate and
// non-string keys into the YamlDocument. Aliases are copies of their
// anchor's finished value, counted against the value budget, so alias bombs
// stop early; nesting deeper than 64 levels stops the parse before yaml-cpp
// recurses further. Budget failures are thrown as YamlLoadAbort (caught by
// YamlDocument::load; they never leave it). Internal to yaml_document.cc.
// Not thread-safe; one per load.
#pragma once

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "pipeline/yaml_document.h"

namespace opz::pipeline {

// Thrown from event callbacks to stop parsing with an error.
struct YamlLoadAbort {
  Error error;
};

class YamlTreeBuilder final : public YAML::EventHandler {
 public:
  YamlTreeBuilder(std::string_view text, YamlDocument& doc) : text_(text), doc_(doc) {}

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override;
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override;
  void OnSequenceEnd() override { end_collection(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override;
  void OnMapEnd() override { end_collection(); }

  // The document's root value (null for an empty document).
  Json take_root() { return std::move(root_); }

 private:
  // Where the value that starts now goes.
  struct Slot {
    std::string path;  // empty when not indexed
    bool indexed = false;
    bool discard = false;  // part of a refused key or a duplicate key's value
    int depth = 0;
    std::optional<YAML::Mark> key_mark;
  };
  struct Frame {
    bool is_map = false;
    Json value;
    Slot slot;
    YAML::anchor_t anchor = 0;
    size_t values_before = 0;
    bool is_key = false;  // a collection used as a map key (refused)
    // Maps: the pending key.
    bool has_key = false;
    bool skip_value = false;
    std::string key;
    YAML::Mark key_mark;
    std::unordered_map<std::string, int> key_lines;  // key -> 0-based line, for duplicates
    size_t next_index = 0;                           // sequences
  };
  struct Anchored {
    Json value;
    size_t values = 1;
    std::optional<std::string> scalar_text;
    bool is_string = false;
  };

  bool expecting_key() const {
    return !frames_.empty() && frames_.back().is_map && !frames_.back().has_key;
  }
  static std::string where(const Frame& map);
  void take_key(const std::string& key, const YAML::Mark& mark);
  void refuse_key(const YAML::Mark& mark, const char* what);
  Slot next_slot() const;
  void count_values(size_t n);
  void record(const Slot& slot, const YAML::Mark& mark, bool is_null, bool quoted, bool block);
  void place(Json value);
  void start_collection(bool is_map, const YAML::Mark& mark, YAML::anchor_t anchor);
  void end_collection();
  void remember(YAML::anchor_t anchor, const Json& value, size_t values,
                std::optional<std::string> scalar_text, bool is_string);

  std::string_view text_;
  YamlDocument& doc_;
  std::vector<Frame> frames_;
  Json root_;
  size_t values_ = 0;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
};

}  // namespace opz::pipeline
