#include "pipeline/condition_parser.h"

#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/glob.h"
#include "pipeline/limits.h"

namespace opz::pipeline {
namespace {

// Recursive descent over the grammar in the header. Every failure records the
// first problem and its offset; the callers unwind with std::nullopt.
class ConditionParser {
 public:
  explicit ConditionParser(std::string_view text) : text_(text) {}

  std::optional<Condition> parse() {
    std::optional<Condition> result = parse_any(0);
    if (!result) return std::nullopt;
    skip_space();
    if (pos_ < text_.size()) {
      if (text_[pos_] == ')') return fail(pos_, "unexpected ')'");
      return fail(pos_, "expected && or || between comparisons");
    }
    return result;
  }

  size_t error_offset() const { return error_offset_; }
  const std::string& error() const { return error_; }

 private:
  std::optional<Condition> fail(size_t at, std::string problem) {
    if (error_.empty()) {
      error_offset_ = at;
      error_ = std::move(problem);
    }
    return std::nullopt;
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool take(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  std::optional<Condition> parse_any(int depth) {
    std::vector<Condition> parts;
    do {
      std::optional<Condition> part = parse_all(depth);
      if (!part) return std::nullopt;
      parts.push_back(std::move(*part));
    } while (take("||"));
    return Condition::any(std::move(parts));
  }

  std::optional<Condition> parse_all(int depth) {
    std::vector<Condition> parts;
    do {
      std::optional<Condition> part = parse_primary(depth);
      if (!part) return std::nullopt;
      parts.push_back(std::move(*part));
    } while (take("&&"));
    return Condition::all(std::move(parts));
  }

  std::optional<Condition> parse_primary(int depth) {
    skip_space();
    if (pos_ >= text_.size()) return fail(pos_, "expected a comparison such as branch == 'main'");
    if (text_[pos_] == '(') {
      size_t open = pos_;
      if (depth >= kMaxConditionNesting)
        return fail(open, "parentheses nested deeper than " + std::to_string(kMaxConditionNesting) +
                              " levels");
      ++pos_;
      std::optional<Condition> inner = parse_any(depth + 1);
      if (!inner) return std::nullopt;
      if (!take(")")) {
        return fail(pos_, "expected ')' to close the '(' at column " + std::to_string(open + 1));
      }
      return inner;
    }
    return parse_comparison();
  }

  std::optional<Condition> parse_comparison() {
    size_t start = pos_;
    while (pos_ < text_.size() &&
           ((text_[pos_] >= 'a' && text_[pos_] <= 'z') ||
            (text_[pos_] >= 'A' && text_[pos_] <= 'Z') || text_[pos_] == '_'))
      ++pos_;
    std::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) return fail(start, "expected branch, tag or environment");
    std::optional<ConditionSubject> subject = condition_subject_from_string(name);
    if (!subject) {
      return fail(start, "unknown subject '" + std::string(name) +
                             "'; expected branch, tag or environment");
    }
    skip_space();
    size_t op_at = pos_;
    std::string_view op_text = text_.substr(pos_, 2);
    ConditionOp op;
    if (op_text == "==")
      op = ConditionOp::kEquals;
    else if (op_text == "!=")
      op = ConditionOp::kNotEquals;
    else if (op_text == "=~")
      op = ConditionOp::kMatches;
    else if (op_text == "!~")
      op = ConditionOp::kNotMatches;
    else
      return fail(op_at, "expected ==, !=, =~ or !~ after " + std::string(name));
    pos_ += 2;
    skip_space();
    size_t literal_at = pos_;
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      return fail(literal_at, "expected a quoted pattern such as 'main'");
    char quote = text_[pos_];
    size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) return fail(literal_at, "unterminated pattern");
    std::string pattern(text_.substr(pos_ + 1, close - pos_ - 1));
    std::string problem = pattern_problem(op, pattern);
    if (!problem.empty()) return fail(literal_at, std::move(problem));
    pos_ = close + 1;
    return Condition::clause(*subject, op, std::move(pattern));
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t error_offset_ = 0;
  std::string error_;
};

}  // namespace

std::optional<ConditionSubject> condition_subject_from_string(std::string_view name) {
  if (name == "branch") return ConditionSubject::kBranch;
  if (name == "tag") return ConditionSubject::kTag;
  if (name == "environment") return ConditionSubject::kEnvironment;
  return std::nullopt;
}

std::string pattern_problem(ConditionOp op, std::string_view pattern) {
  if (pattern.size() > kMaxPatternLength)
    return "pattern longer than " + std::to_string(kMaxPatternLength) + " characters";
  if (find_ascii_control(pattern) != std::string_view::npos)
    return "a pattern cannot contain control characters";
  if (pattern.find('\'') != std::string_view::npos && pattern.find('"') != std::string_view::npos)
    return "a pattern cannot contain both ' and \"";
  if (op == ConditionOp::kMatches || op == ConditionOp::kNotMatches) {
    Result<Glob> glob = Glob::compile(pattern);
    if (!glob) return "bad glob '" + std::string(pattern) + "': " + glob.error().message;
  }
  return {};
}

Result<Condition> parse_condition(std::string_view text, size_t* error_offset) {
  auto failure = [&](size_t offset, const std::string& problem) -> Error {
    if (error_offset) *error_offset = offset;
    return Error::validation("invalid condition at column " + std::to_string(offset + 1) + ": " +
                             problem);
  };
  if (text.size() > kMaxConditionLength) {
    return failure(0, "longer than " + std::to_string(kMaxConditionLength) + " characters");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return failure(0, "the condition is empty");
  ConditionParser parser(text);
  std::optional<Condition> condition = parser.parse();
  if (!condition) return failure(parser.error_offset(), parser.error());
  return std::move(*condition);
}

}  // namespace opz::pipeline
