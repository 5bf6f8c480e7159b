#include "rest/filter_parser.h"
#include "core/ascii.h"

#include <array>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace opz::rest {

namespace {

constexpr std::string_view kOperators = "eq, neq, gt, gte, lt, lte, like, ilike, in, is";

struct OpName {
  std::string_view name;
  Op op;
};
constexpr std::array<OpName, 10> kOps = {{{"eq", Op::kEq},
                                          {"neq", Op::kNeq},
                                          {"gt", Op::kGt},
                                          {"gte", Op::kGte},
                                          {"lt", Op::kLt},
                                          {"lte", Op::kLte},
                                          {"like", Op::kLike},
                                          {"ilike", Op::kIlike},
                                          {"in", Op::kIn},
                                          {"is", Op::kIs}}};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Splits "a,b,(c,d),"e,f"" at the commas outside parentheses and quotes.
Grammar<std::vector<std::string_view>> split_items(std::string_view what, std::string_view text) {
  std::vector<std::string_view> items;
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
      continue;
    }
    if (c == '"')
      quoted = true;
    else if (c == '(')
      ++depth;
    else if (c == ')') {
      if (--depth < 0) return QueryError::parse(what, std::string(text), "unbalanced ')'");
    } else if (c == ',' && depth == 0) {
      items.push_back(text.substr(start, i - start));
      start = i + 1;
      if (items.size() > kMaxItems)
        return QueryError::parse(what, std::string(text.substr(0, 64)),
                                 "more than " + std::to_string(kMaxItems) + " items");
    }
  }
  if (quoted) return QueryError::parse(what, std::string(text), "unterminated '\"'");
  if (depth != 0) return QueryError::parse(what, std::string(text), "unbalanced '('");
  items.push_back(text.substr(start));
  return items;
}

// "\"a\\\"b\"" -> a"b; anything not wholly quoted is returned as is.
Grammar<std::string> unquote(std::string_view what, std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') {
    if (!v.empty() && v.front() == '"')
      return QueryError::parse(what, std::string(v), "unterminated '\"'");
    return std::string(v);
  }
  std::string out;
  for (size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}

// "(a,b)" -> {a, b}; "()" -> {}.
Grammar<std::vector<std::string>> parse_list(std::string_view value) {
  if (value.size() < 2 || value.front() != '(' || value.back() != ')')
    return QueryError::parse("filter", "in." + std::string(value),
                             "an in list is written in.(value,value,...)");
  std::vector<std::string> out;
  const std::string_view inner = value.substr(1, value.size() - 2);
  if (inner.empty()) return out;
  auto items = split_items("filter", inner);
  if (!items) return items.error();
  for (std::string_view item : items.value()) {
    auto v = unquote("filter", item);
    if (!v) return v.error();
    out.push_back(std::move(v).value());
  }
  return out;
}

Grammar<IsValue> parse_is(std::string_view value) {
  const std::string v = ascii_lower(value);
  if (v == "null") return IsValue::kNull;
  if (v == "not_null") return IsValue::kNotNull;
  if (v == "true") return IsValue::kTrue;
  if (v == "false") return IsValue::kFalse;
  if (v == "unknown") return IsValue::kUnknown;
  return QueryError::parse("filter", "is." + std::string(value),
                           "is takes null, not_null, true, false or unknown");
}

// "[not.]op.value" for `column`; `in_tree`: the value may be double-quoted.
Grammar<Filter> parse_operation(std::string_view column, std::string_view text, bool in_tree) {
  Filter f;
  f.kind = Filter::Kind::kCondition;
  f.condition.column = std::string(column);
  if (column.empty())
    return QueryError::parse("filter", std::string(text), "the column name is empty");
  std::string_view rest = text;
  if (starts_with(rest, "not.")) {
    f.condition.negated = true;
    rest.remove_prefix(4);
  }
  const size_t dot = rest.find('.');
  const std::string_view op = rest.substr(0, dot);
  const OpName* found = nullptr;
  for (const OpName& o : kOps)
    if (o.name == op) found = &o;
  if (!found || dot == std::string_view::npos) {
    return QueryError::parse("filter", std::string(text),
                             found ? "expected a value after '" + std::string(op) + ".'"
                                   : "unknown operator '" + std::string(op) +
                                         "'; expected one of " + std::string(kOperators),
                             "Write the filter as column=operator.value, e.g. status=eq.running");
  }
  f.condition.op = found->op;
  const std::string_view value = rest.substr(dot + 1);
  switch (found->op) {
    case Op::kIn: {
      auto list = parse_list(value);
      if (!list) return list.error();
      f.condition.values = std::move(list).value();
      break;
    }
    case Op::kIs: {
      auto is = parse_is(value);
      if (!is) return is.error();
      f.condition.is_value = is.value();
      break;
    }
    default: {
      if (!in_tree) {
        f.condition.values.emplace_back(value);
        break;
      }
      auto v = unquote("logic tree", value);
      if (!v) return v.error();
      f.condition.values.push_back(std::move(v).value());
    }
  }
  return f;
}

Grammar<Filter> parse_tree(std::string_view op, std::string_view body, int depth);

// One item of a tree: a nested "[not.]and(...)"/"[not.]or(...)" or
// "column.[not.]op.value".
Grammar<Filter> parse_tree_item(std::string_view item, int depth) {
  std::string_view s = item;
  const bool negated = starts_with(s, "not.");
  if (negated) s.remove_prefix(4);
  for (std::string_view logic : {"and(", "or("}) {
    if (starts_with(s, logic) && !s.empty() && s.back() == ')') {
      const std::string_view op = logic.substr(0, logic.size() - 1);
      auto node = parse_tree(op, s.substr(op.size()), depth + 1);
      if (!node) return node.error();
      Filter f = std::move(node).value();
      f.negated = negated;
      return f;
    }
  }
  const size_t dot = item.find('.');
  if (dot == std::string_view::npos)
    return QueryError::parse("logic tree", std::string(item),
                             "expected column.operator.value or and(...)/or(...)");
  return parse_operation(item.substr(0, dot), item.substr(dot + 1), true);
}

// `op` "and"/"or", `body` "(item,item,...)".
Grammar<Filter> parse_tree(std::string_view op, std::string_view body, int depth) {
  if (depth > kMaxDepth)
    return QueryError::parse("logic tree", std::string(body.substr(0, 64)),
                             "nested deeper than " + std::to_string(kMaxDepth) + " levels");
  if (body.size() < 2 || body.front() != '(' || body.back() != ')')
    return QueryError::parse("logic tree", std::string(op) + "=" + std::string(body),
                             "a logic tree is written " + std::string(op) + "=(item,item,...)");
  Filter f;
  f.kind = op == "or" ? Filter::Kind::kOr : Filter::Kind::kAnd;
  auto items = split_items("logic tree", body.substr(1, body.size() - 2));
  if (!items) return items.error();
  for (std::string_view item : items.value()) {
    auto child = parse_tree_item(item, depth);
    if (!child) return child.error();
    f.children.push_back(std::move(child).value());
  }
  return f;
}

}  // namespace

bool is_logic_key(std::string_view key) {
  return key == "or" || key == "and" || key == "not.or" || key == "not.and";
}

Grammar<Filter> parse_column_filter(std::string_view column, std::string_view value) {
  return parse_operation(column, value, false);
}

Grammar<Filter> parse_logic_filter(std::string_view op, std::string_view value) {
  const bool negated = starts_with(op, "not.");
  if (negated) op.remove_prefix(4);
  auto tree = parse_tree(op, value, 1);
  if (!tree) return tree.error();
  Filter f = std::move(tree).value();
  f.negated = negated;
  return f;
}

}  // namespace opz::rest
