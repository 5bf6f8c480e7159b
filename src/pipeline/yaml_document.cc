#include "pipeline/yaml_document.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <sstream>
#include <utility>

#include "pipeline/limits.h"
#include "pipeline/text_checks.h"
#include "pipeline/yaml_tree_builder.h"

namespace opz::pipeline {
namespace {

std::string line_col(int line, int column) {
  return std::to_string(line + 1) + ":" + std::to_string(column + 1);
}

std::string parent_of(const std::string& path) {
  if (!path.empty() && path.back() == ']') {
    size_t open = path.rfind('[');
    return open == std::string::npos ? std::string() : path.substr(0, open);
  }
  size_t dot = path.rfind('.');
  return dot == std::string::npos ? std::string() : path.substr(0, dot);
}

// yaml-cpp 0.7 can report endless empty documents for some malformed inputs
// (YAML::LoadAll then never returns; fixed upstream in yaml-cpp PR #1319), so
// the first document is parsed with our own handler and a second one is only
// probed: its first event stops the parse.
class SecondDocumentProbe final : public YAML::EventHandler {
 public:
  struct Found {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& mark) override { throw Found{mark}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

Result<YamlDocument> YamlDocument::load(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) {
    return Error::too_large("the pipeline definition is larger than " +
                            std::to_string(kMaxDocumentBytes / 1024) + " KiB");
  }
  if (size_t bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    return Error::malformed("the pipeline definition is not valid UTF-8 (at byte " +
                            std::to_string(bad) + ")");
  }
  if (size_t bad = control_character_at(text); bad != std::string_view::npos) {
    size_t line_start = text.rfind('\n', bad);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    auto line = static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    auto column = static_cast<int>(bad - line_start);
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned char>(text[bad]));
    return Error::malformed("YAML syntax error at line " + std::to_string(line + 1) + ", column " +
                                std::to_string(column + 1) + ": control character " + code +
                                " is not allowed",
                            line_col(line, column));
  }
  try {
    YamlDocument doc;
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    YamlTreeBuilder builder(text, doc);
    if (!parser.HandleNextDocument(builder)) return doc;  // no document at all
    doc.root_ = builder.take_root();
    SecondDocumentProbe probe;
    try {
      parser.HandleNextDocument(probe);
    } catch (const SecondDocumentProbe::Found& second) {
      return Error::malformed("unexpected content after the first YAML document at line " +
                                  std::to_string(second.mark.line + 1) + ", column " +
                                  std::to_string(second.mark.column + 1) +
                                  " (a pipeline is a single document)",
                              line_col(second.mark.line, second.mark.column));
    }
    return doc;
  } catch (const YamlLoadAbort& abort) {
    return abort.error;
  } catch (const YAML::DeepRecursion& e) {
    return Error::malformed("YAML nested too deeply", line_col(e.mark.line, e.mark.column));
  } catch (const YAML::Exception& e) {
    std::string where = e.mark.is_null() ? std::string() : line_col(e.mark.line, e.mark.column);
    std::string at = e.mark.is_null() ? std::string()
                                      : " at line " + std::to_string(e.mark.line + 1) +
                                            ", column " + std::to_string(e.mark.column + 1);
    return Error::malformed("YAML syntax error" + at + ": " + e.msg, where);
  } catch (const std::exception& e) {
    return Error::malformed(std::string("cannot read the YAML document: ") + e.what());
  }
}

const YamlDocument::Position* YamlDocument::find(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (auto it = positions_.find(p); it != positions_.end()) return &it->second;
    if (p.empty()) return nullptr;
    p = parent_of(p);
  }
}

std::string YamlDocument::field_for(const std::string& path, bool at_key) const {
  auto exact = positions_.find(path);
  const Position* pos = exact != positions_.end() ? &exact->second : find(path);
  if (!pos) return "1:1";
  bool use_key = (at_key || exact == positions_.end()) && pos->key_line >= 0;
  return use_key ? line_col(pos->key_line, pos->key_column) : line_col(pos->line, pos->column);
}

std::string YamlDocument::field_in_string(const std::string& path, size_t offset) const {
  auto exact = positions_.find(path);
  if (exact == positions_.end()) return field_for(path, false);
  const Position& pos = exact->second;
  if (pos.content_offset == kBlockScalar) return line_col(pos.line, pos.column);
  return line_col(pos.line, pos.column + pos.content_offset + static_cast<int>(offset));
}

std::optional<std::string> YamlDocument::scalar_text(const std::string& path) const {
  auto it = scalar_text_.find(path);
  if (it == scalar_text_.end()) return std::nullopt;
  return it->second;
}

int YamlDocument::line_of(const std::string& path) const {
  auto it = positions_.find(path);
  if (it == positions_.end()) return 0;
  return (it->second.key_line >= 0 ? it->second.key_line : it->second.line) + 1;
}

std::vector<std::string> YamlDocument::keys_in_order(const std::string& path,
                                                     const Json& object) const {
  if (auto it = key_order_.find(path); it != key_order_.end()) return it->second;
  return JsonSourceMap().keys_in_order(path, object);
}

}  // namespace opz::pipeline
