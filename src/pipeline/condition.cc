#include "pipeline/condition.h"

#include <cassert>
#include <utility>

#include "core/glob.h"

namespace opz::pipeline {

std::string_view to_string(ConditionSubject subject) {
  switch (subject) {
    case ConditionSubject::kBranch:
      return "branch";
    case ConditionSubject::kTag:
      return "tag";
    case ConditionSubject::kEnvironment:
      return "environment";
  }
  return "branch";
}

std::string_view to_string(ConditionOp op) {
  switch (op) {
    case ConditionOp::kEquals:
      return "==";
    case ConditionOp::kNotEquals:
      return "!=";
    case ConditionOp::kMatches:
      return "=~";
    case ConditionOp::kNotMatches:
      return "!~";
  }
  return "==";
}

Condition Condition::clause(ConditionSubject subject, ConditionOp op, std::string pattern) {
  Condition c;
  c.kind_ = Kind::kClause;
  c.subject_ = subject;
  c.op_ = op;
  c.pattern_ = std::move(pattern);
  return c;
}

Condition Condition::all(std::vector<Condition> parts) {
  return group(Kind::kAll, std::move(parts));
}

Condition Condition::any(std::vector<Condition> parts) {
  return group(Kind::kAny, std::move(parts));
}

Condition Condition::group(Kind kind, std::vector<Condition> parts) {
  assert(!parts.empty());
  if (parts.size() == 1) return std::move(parts.front());
  Condition c;
  c.kind_ = kind;
  for (Condition& part : parts) {
    if (part.kind_ == kind) {
      for (Condition& inner : part.parts_) c.parts_.push_back(std::move(inner));
    } else {
      c.parts_.push_back(std::move(part));
    }
  }
  return c;
}

bool Condition::evaluate(const RunContext& context) const {
  switch (kind_) {
    case Kind::kAll:
      for (const Condition& part : parts_)
        if (!part.evaluate(context)) return false;
      return true;
    case Kind::kAny:
      for (const Condition& part : parts_)
        if (part.evaluate(context)) return true;
      return false;
    case Kind::kClause:
      break;
  }
  const std::string& fact = subject_ == ConditionSubject::kBranch ? context.branch
                            : subject_ == ConditionSubject::kTag  ? context.tag
                                                                  : context.environment;
  switch (op_) {
    case ConditionOp::kEquals:
      return fact == pattern_;
    case ConditionOp::kNotEquals:
      return fact != pattern_;
    case ConditionOp::kMatches:
      return glob_match(pattern_, fact);
    case ConditionOp::kNotMatches:
      return !glob_match(pattern_, fact);
  }
  return false;
}

std::string Condition::to_string() const {
  std::string out;
  append_text(out, false);
  return out;
}

// && binds tighter than ||, so only an any-group inside an all-group needs
// parentheses; the tree is canonical, so no other nesting can occur.
void Condition::append_text(std::string& out, bool in_all) const {
  if (kind_ == Kind::kClause) {
    out += pipeline::to_string(subject_);
    out += ' ';
    out += pipeline::to_string(op_);
    // Patterns never hold both quote characters (the parsers reject that).
    char quote = pattern_.find('\'') == std::string::npos ? '\'' : '"';
    out += ' ';
    out += quote;
    out += pattern_;
    out += quote;
    return;
  }
  bool parens = in_all && kind_ == Kind::kAny;
  if (parens) out += '(';
  const char* joiner = kind_ == Kind::kAll ? " && " : " || ";
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (i > 0) out += joiner;
    parts_[i].append_text(out, kind_ == Kind::kAll);
  }
  if (parens) out += ')';
}

}  // namespace opz::pipeline
