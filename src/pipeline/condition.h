// Condition: when a node runs. A small boolean tree over three facts of a run
// (its branch, tag and target environment), written either as a map
//   if: {branch: [main, "release/*"], tag: ["v*"], environment: [Production]}
// (every listed key must match one of its patterns) or as an expression
//   if: branch == 'main' || (branch =~ 'release/*' && environment != 'Production')
// (grammar in condition_parser.h and docs/pipeline-format.md).
//
// Contract: a Condition is built only through clause()/all()/any(), which keep
// the tree canonical (no single-child groups, no group directly inside a group
// of the same kind), so `parse_condition(c.to_string()) == c` for every
// Condition. Patterns of =~ and !~ are globs (core/glob.h: '*' stays inside
// one '/' segment, '**' crosses segments, '?' one character). Comparisons are
// case-sensitive; an empty fact ("no tag") equals only ''. Immutable values;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opz::pipeline {

// The facts of one execution a condition can test.
struct RunContext {
  std::string branch{};       // "main"; empty for a tag push
  std::string tag{};          // "v1.2.0"; empty for a branch push
  std::string environment{};  // the execution's target environment, e.g. "Production"
};

enum class ConditionSubject { kBranch, kTag, kEnvironment };
enum class ConditionOp { kEquals, kNotEquals, kMatches, kNotMatches };  // == != =~ !~

std::string_view to_string(ConditionSubject subject);  // "branch", "tag", "environment"
std::string_view to_string(ConditionOp op);            // "==", "!=", "=~", "!~"

class Condition {
 public:
  enum class Kind { kClause, kAll, kAny };

  static Condition clause(ConditionSubject subject, ConditionOp op, std::string pattern);
  // `parts` must not be empty. Nested groups of the same kind are flattened and
  // a single part is returned as is.
  static Condition all(std::vector<Condition> parts);
  static Condition any(std::vector<Condition> parts);

  bool evaluate(const RunContext& context) const;

  // The canonical expression text, e.g. "branch == 'main' || tag =~ 'v*'".
  std::string to_string() const;

  Kind kind() const { return kind_; }
  // Clause accessors (meaningful when kind() == kClause).
  ConditionSubject subject() const { return subject_; }
  ConditionOp op() const { return op_; }
  const std::string& pattern() const { return pattern_; }
  // Group accessor (kAll / kAny).
  const std::vector<Condition>& parts() const { return parts_; }

  bool operator==(const Condition& other) const = default;

 private:
  Condition() = default;
  static Condition group(Kind kind, std::vector<Condition> parts);
  void append_text(std::string& out, bool in_all) const;

  Kind kind_ = Kind::kClause;
  ConditionSubject subject_ = ConditionSubject::kBranch;
  ConditionOp op_ = ConditionOp::kEquals;
  std::string pattern_;
  std::vector<Condition> parts_;
};

}  // namespace opz::pipeline
