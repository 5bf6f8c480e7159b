#include "pipeline/yaml_tree_builder.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "pipeline/text_checks.h"

namespace opz::pipeline {
namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kMaxValues = 500'000;
constexpr int kIndexedDepth = 5;   // positions and scalar text kept down to this depth
constexpr int kKeyOrderDepth = 3;  // key order kept for maps down to this depth

std::string line_col(const YAML::Mark& mark) {
  return std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

bool is_int_text(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float_text(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exponent = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exponent;
    if (exponent == 0) return false;
  }
  return i == s.size();
}

// A plain scalar under the YAML 1.2 core schema (yaml-cpp already turned the
// null forms into OnNull); `*is_string` tells whether it stayed a string.
Json resolve_plain(const std::string& text, bool* is_string) {
  *is_string = false;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (is_int_text(text)) {
    int64_t value = 0;
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) return value;
  } else if (is_float_text(text)) {
    double value = std::strtod(text.c_str(), nullptr);
    if (std::isfinite(value)) return value;
  }
  *is_string = true;
  return text;
}

}  // namespace

void YamlTreeBuilder::count_values(size_t n) {
  values_ += n;
  if (values_ > kMaxValues) {
    throw YamlLoadAbort{Error::too_large("the document has more than " +
                                         std::to_string(kMaxValues) +
                                         " values (after expanding aliases)")};
  }
}

YamlTreeBuilder::Slot YamlTreeBuilder::next_slot() const {
  Slot slot;
  if (frames_.empty()) {
    slot.indexed = true;  // the root: path ""
    return slot;
  }
  const Frame& top = frames_.back();
  slot.depth = top.slot.depth + 1;
  slot.discard = top.slot.discard || top.is_key || (top.is_map && top.skip_value);
  slot.indexed = !slot.discard && top.slot.indexed && slot.depth <= kIndexedDepth;
  if (top.is_map) {
    slot.key_mark = top.key_mark;
    if (slot.indexed) slot.path = child_path(top.slot.path, top.key);
  } else if (slot.indexed) {
    slot.path = item_path(top.slot.path, top.next_index);
  }
  return slot;
}

void YamlTreeBuilder::record(const Slot& slot, const YAML::Mark& mark, bool is_null, bool quoted,
                             bool block) {
  if (!slot.indexed) return;
  YamlDocument::Position pos;
  if (slot.key_mark) {
    pos.key_line = slot.key_mark->line;
    pos.key_column = slot.key_mark->column;
  }
  if (is_null && slot.key_mark) {  // yaml-cpp marks an empty value at the next token
    pos.line = pos.key_line;
    pos.column = pos.key_column;
  } else {
    pos.line = mark.line;
    pos.column = mark.column;
  }
  if (quoted) pos.content_offset = 1;
  if (block) pos.content_offset = YamlDocument::kBlockScalar;
  doc_.positions_.emplace(slot.path, pos);
}

// "nodes.build: ", "document: " for the root map, nothing where no path is kept.
std::string YamlTreeBuilder::where(const Frame& map) {
  if (!map.slot.indexed) return {};
  return (map.slot.path.empty() ? std::string("document") : map.slot.path) + ": ";
}

void YamlTreeBuilder::take_key(const std::string& key, const YAML::Mark& mark) {
  Frame& top = frames_.back();
  top.has_key = true;
  top.skip_value = false;
  top.key = key;
  top.key_mark = mark;
  auto [first, inserted] = top.key_lines.emplace(key, mark.line);
  if (!inserted) {
    std::string what = top.slot.path == "nodes" ? "duplicate node id '" : "duplicate key '";
    doc_.problems_.push_back(Error::validation(where(top) + what + key +
                                                   "' (first defined at line " +
                                                   std::to_string(first->second + 1) + ")",
                                               line_col(mark)));
    top.skip_value = true;  // the first definition wins
    return;
  }
  if (top.slot.indexed && top.slot.depth <= kKeyOrderDepth)
    doc_.key_order_[top.slot.path].push_back(key);
}

void YamlTreeBuilder::refuse_key(const YAML::Mark& mark, const char* what) {
  Frame& top = frames_.back();
  doc_.problems_.push_back(
      Error::validation(where(top) + what + " is not allowed", line_col(mark)));
  top.has_key = true;
  top.skip_value = true;
  top.key_mark = mark;
}

void YamlTreeBuilder::place(Json value) {
  if (frames_.empty()) {
    root_ = std::move(value);
    return;
  }
  Frame& top = frames_.back();
  if (top.is_map) {
    if (!top.skip_value) top.value[top.key] = std::move(value);
    top.has_key = false;
    top.skip_value = false;
  } else {
    top.value.push_back(std::move(value));
    ++top.next_index;
  }
}

void YamlTreeBuilder::remember(YAML::anchor_t anchor, const Json& value, size_t values,
                               std::optional<std::string> scalar_text, bool is_string) {
  count_values(values);  // the kept copy costs as much as the value itself
  anchors_[anchor] = Anchored{value, values, std::move(scalar_text), is_string};
}

void YamlTreeBuilder::OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) {
  if (expecting_key()) return refuse_key(mark, "an empty key");
  Slot slot = next_slot();
  count_values(1);
  record(slot, mark, true, false, false);
  if (anchor) remember(anchor, nullptr, 1, std::nullopt, false);
  place(nullptr);
}

void YamlTreeBuilder::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  auto it = anchors_.find(anchor);
  if (it == anchors_.end()) {
    throw YamlLoadAbort{Error::malformed(
        "an alias refers to the collection that contains it (recursive YAML is not allowed)",
        line_col(mark))};
  }
  const Anchored& anchored = it->second;
  if (expecting_key()) {
    if (anchored.is_string) return take_key(anchored.value.get<std::string>(), mark);
    return refuse_key(mark, "a key that is not a string");
  }
  Slot slot = next_slot();
  count_values(anchored.values);
  record(slot, mark, anchored.value.is_null(), false, false);
  if (anchored.scalar_text && slot.indexed)
    doc_.scalar_text_.emplace(slot.path, *anchored.scalar_text);
  place(anchored.value);
}

void YamlTreeBuilder::OnScalar(const YAML::Mark& mark, const std::string& tag,
                               YAML::anchor_t anchor, const std::string& value) {
  // Escapes such as "\udc00" decode to text that is not UTF-8.
  if (invalid_utf8_at(value) != std::string_view::npos) {
    throw YamlLoadAbort{Error::malformed(
        "YAML syntax error at line " + std::to_string(mark.line + 1) + ", column " +
            std::to_string(mark.column + 1) + ": the string is not valid UTF-8",
        line_col(mark))};
  }
  if (expecting_key()) {
    take_key(value, mark);
    if (anchor) remember(anchor, value, 1, std::nullopt, true);
    return;
  }
  Slot slot = next_slot();
  count_values(1);
  bool resolve = tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
                 tag == "tag:yaml.org,2002:bool";
  bool is_string = true;
  Json json = resolve ? resolve_plain(value, &is_string) : Json(value);
  size_t at = static_cast<size_t>(mark.pos);
  char first = at < text_.size() ? text_[at] : '\0';
  record(slot, mark, false, first == '\'' || first == '"', first == '|' || first == '>');
  std::optional<std::string> written;
  if (!is_string) written = value;
  if (written && slot.indexed) doc_.scalar_text_.emplace(slot.path, *written);
  if (anchor) remember(anchor, json, 1, written, is_string);
  place(std::move(json));
}

void YamlTreeBuilder::OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/,
                                      YAML::anchor_t anchor, YAML::EmitterStyle::value /*style*/) {
  start_collection(false, mark, anchor);
}

void YamlTreeBuilder::OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/,
                                 YAML::anchor_t anchor, YAML::EmitterStyle::value /*style*/) {
  start_collection(true, mark, anchor);
}

void YamlTreeBuilder::start_collection(bool is_map, const YAML::Mark& mark, YAML::anchor_t anchor) {
  bool is_key = expecting_key();
  if (is_key) refuse_key(mark, "a key that is not a string");
  Slot slot = next_slot();
  if (is_key) {
    slot.depth = frames_.back().slot.depth + 1;
    slot.discard = true;
    slot.indexed = false;
    slot.path.clear();
  }
  if (slot.depth > kMaxDepth) {
    throw YamlLoadAbort{Error::malformed(
        "YAML nested deeper than " + std::to_string(kMaxDepth) + " levels", line_col(mark))};
  }
  size_t before = values_;
  count_values(1);
  record(slot, mark, false, false, false);
  Frame frame;
  frame.is_map = is_map;
  frame.value = is_map ? Json::object() : Json::array();
  frame.slot = std::move(slot);
  frame.anchor = anchor;
  frame.values_before = before;
  frame.is_key = is_key;
  if (is_map && frame.slot.indexed && frame.slot.depth <= kKeyOrderDepth)
    doc_.key_order_.try_emplace(frame.slot.path);
  frames_.push_back(std::move(frame));
}

void YamlTreeBuilder::end_collection() {
  Frame frame = std::move(frames_.back());
  frames_.pop_back();
  if (frame.anchor)
    remember(frame.anchor, frame.value, values_ - frame.values_before, std::nullopt, false);
  if (frame.is_key) return;  // refused key: the parent already skips its value
  place(std::move(frame.value));
}

}  // namespace opz::pipeline
