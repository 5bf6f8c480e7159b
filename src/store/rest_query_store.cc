#include "store/rest_query_store.h"
#include "core/ascii.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opz::store {

namespace {

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// PostgREST's like pattern ('*' or '%' any run, '_' one character, '\' quotes
// the next) as a SQLite GLOB, which is case-sensitive like PostgreSQL's LIKE.
std::string like_to_glob(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char next = pattern[++i];
      if (next == '*' || next == '?' || next == '[')
        out += std::string("[") + next + "]";
      else
        out.push_back(next);
    } else if (c == '*' || c == '%') {
      out.push_back('*');
    } else if (c == '_') {
      out.push_back('?');
    } else if (c == '?' || c == '[') {
      out += std::string("[") + c + "]";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The pattern as a LIKE/ILIKE pattern with '\' as the escape: '*' is '%'.
std::string like_pattern(std::string_view pattern) {
  std::string out;
  for (char c : pattern) out.push_back(c == '*' ? '%' : c);
  return out;
}

// The whole of `text` as a T (from_chars: no locale, no leading space, no trailing junk).
template <typename T>
std::optional<T> parse_whole(std::string_view text) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// PostgreSQL's 22P02 message for a value its column's type cannot hold.
Error bad_value(const RestColumn& column, std::string_view type, const std::string& value) {
  return Error::validation(
      "invalid input syntax for type " + std::string(type) + ": \"" + value + "\"", column.name);
}

Error unknown_column(const RestRelation& relation, const std::string& name) {
  return Error{ErrorCode::kNotFound, "column " + relation.name + "." + name + " does not exist",
               name};
}

class SqlBuilder {
 public:
  SqlBuilder(const RestRelation& relation, std::string_view dialect)
      : relation_(relation), postgres_(dialect == "postgres") {}

  Result<const RestColumn*> column(const std::string& name) {
    const RestColumn* c = relation_.find_column(name);
    if (!c) return unknown_column(relation_, name);
    return c;
  }

  // A placeholder for `value`, typed for `col`.
  Result<std::string> bind(const RestColumn& col, const std::string& value) {
    if (params_.size() >= RestQueryStore::kMaxBoundValues)
      return Error::too_large("more than " + std::to_string(RestQueryStore::kMaxBoundValues) +
                              " values in one query");
    switch (col.type) {
      case RestType::kInteger: {
        auto v = parse_whole<int64_t>(value);
        if (!v) return bad_value(col, "integer", value);
        params_.emplace_back(*v);
        break;
      }
      case RestType::kReal: {
        auto v = parse_whole<double>(value);
        if (!v) return bad_value(col, "real", value);
        params_.emplace_back(*v);
        break;
      }
      case RestType::kBoolean: {
        const std::string v = ascii_lower(value);
        if (v == "true" || v == "t" || v == "1" || v == "yes" || v == "on")
          params_.emplace_back(1);
        else if (v == "false" || v == "f" || v == "0" || v == "no" || v == "off")
          params_.emplace_back(0);
        else
          return bad_value(col, "boolean", value);
        break;
      }
      default:
        params_.emplace_back(value);
    }
    return "$" + std::to_string(params_.size());
  }

  Result<std::string> bind_text(std::string value) {
    if (params_.size() >= RestQueryStore::kMaxBoundValues)
      return Error::too_large("too many values in one query");
    params_.emplace_back(std::move(value));
    return "$" + std::to_string(params_.size());
  }

  Result<std::string> condition(const rest::Condition& c) {
    OPZ_TRY(const RestColumn* col, column(c.column));
    // JSON documents compare as their text, as on SQLite (PostgreSQL's json
    // has no = and no LIKE).
    const std::string name = postgres_ && col->type == RestType::kJson
                                 ? "CAST(" + quoted(col->name) + " AS TEXT)"
                                 : quoted(col->name);
    // like/ilike match any column's text, as on SQLite (PostgreSQL has LIKE
    // for text only).
    const std::string text = postgres_ && col->type != RestType::kText
                                 ? "CAST(" + quoted(col->name) + " AS TEXT)"
                                 : quoted(col->name);
    std::string sql;
    switch (c.op) {
      case rest::Op::kEq:
      case rest::Op::kNeq:
      case rest::Op::kGt:
      case rest::Op::kGte:
      case rest::Op::kLt:
      case rest::Op::kLte: {
        static const char* kSql[] = {" = ", " <> ", " > ", " >= ", " < ", " <= "};
        OPZ_TRY(std::string p, bind(*col, c.values.at(0)));
        sql = name + kSql[static_cast<int>(c.op)] + p;
        break;
      }
      case rest::Op::kLike: {
        // The dialect switch: SQLite's LIKE ignores ASCII case, its GLOB does not.
        if (postgres_) {
          OPZ_TRY(std::string p, bind_text(like_pattern(c.values.at(0))));
          sql = text + " LIKE " + p + " ESCAPE '\\'";
        } else {
          OPZ_TRY(std::string p, bind_text(like_to_glob(c.values.at(0))));
          sql = name + " GLOB " + p;
        }
        break;
      }
      case rest::Op::kIlike: {
        OPZ_TRY(std::string p, bind_text(like_pattern(c.values.at(0))));
        sql = (postgres_ ? text + " ILIKE " : name + " LIKE ") + p + " ESCAPE '\\'";
        break;
      }
      case rest::Op::kIn: {
        if (c.values.empty()) {
          sql = "FALSE";
          break;
        }
        sql = name + " IN (";
        for (size_t i = 0; i < c.values.size(); ++i) {
          OPZ_TRY(std::string p, bind(*col, c.values[i]));
          sql += (i ? ", " : "") + p;
        }
        sql += ")";
        break;
      }
      case rest::Op::kIs:
        switch (c.is_value) {
          case rest::IsValue::kNull:
          case rest::IsValue::kUnknown:
            sql = name + " IS NULL";
            break;
          case rest::IsValue::kNotNull:
            sql = name + " IS NOT NULL";
            break;
          case rest::IsValue::kTrue:
            sql = name + " IS TRUE";
            break;
          case rest::IsValue::kFalse:
            sql = name + " IS FALSE";
            break;
        }
        break;
    }
    return c.negated ? "NOT (" + sql + ")" : sql;
  }

  Result<std::string> filter(const rest::Filter& f) {
    std::string sql;
    if (f.kind == rest::Filter::Kind::kCondition) {
      OPZ_TRY(sql, condition(f.condition));
    } else if (f.children.empty()) {
      sql = f.kind == rest::Filter::Kind::kAnd ? "TRUE" : "FALSE";
    } else {
      const char* joiner = f.kind == rest::Filter::Kind::kAnd ? " AND " : " OR ";
      for (size_t i = 0; i < f.children.size(); ++i) {
        OPZ_TRY(std::string child, filter(f.children[i]));
        sql += (i ? joiner : "") + ("(" + child + ")");
      }
    }
    return f.negated ? "NOT (" + sql + ")" : sql;
  }

  Result<std::string> where(const rest::Filter& root, const RowScope& scope) {
    std::string scope_sql;
    switch (scope.kind) {
      case RowScope::Kind::kAll:
        scope_sql = "TRUE";
        break;
      case RowScope::Kind::kNone:
        scope_sql = "FALSE";
        break;
      case RowScope::Kind::kOwned: {
        OPZ_TRY(std::string p, bind_text(scope.user_id));
        scope_sql = quoted(scope.owner_column) + " = " + p;
      }
    }
    OPZ_TRY(std::string f, filter(root));
    return " WHERE (" + scope_sql + ") AND (" + f + ")";
  }

  Result<std::string> order(const std::vector<rest::OrderTerm>& terms) {
    std::string sql;
    for (const rest::OrderTerm& t : terms) {
      OPZ_TRY(const RestColumn* col, column(t.column));
      const bool nulls_first = t.nulls_first.value_or(t.descending);
      sql += (sql.empty() ? " ORDER BY " : ", ") + quoted(col->name) +
             (t.descending ? " DESC" : " ASC") + (nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
    return sql;
  }

  Params& params() { return params_; }

 private:
  const RestRelation& relation_;
  const bool postgres_;
  Params params_;
};

struct Output {
  std::string name;
  const RestColumn* column;
};

Result<std::vector<Output>> outputs(const RestRelation& relation, const rest::Select& select) {
  std::vector<Output> out;
  if (select.star)
    for (const RestColumn& c : relation.columns) out.push_back({c.name, &c});
  for (const rest::SelectItem& item : select.items) {
    const RestColumn* c = relation.find_column(item.column);
    if (!c) return unknown_column(relation, item.column);
    out.push_back({item.output_name(), c});
  }
  return out;
}

OrderedJson typed(const RestColumn& column, const SqlValue& v) {
  if (v.is_null()) return nullptr;
  switch (column.type) {
    case RestType::kInteger:
      return v.as_int();
    case RestType::kReal:
      return v.as_real();
    case RestType::kBoolean:
      return v.as_bool();
    case RestType::kJson: {
      const std::string text = v.as_text();
      OrderedJson doc = OrderedJson::parse(text, nullptr, false);
      return doc.is_discarded() ? OrderedJson(text) : doc;
    }
    default:
      return v.as_text();
  }
}

}  // namespace

Result<RestReadResult> RestQueryStore::read(const RestRelation& relation, const rest::Query& query,
                                            const RowScope& scope) {
  OPZ_TRY(std::vector<Output> out, outputs(relation, query.select));
  const int64_t limit = std::min(query.limit.value_or(max_rows_), max_rows_);
  RestReadResult result;
  OPZ_TRY_STATUS(db_.read([&](SqlSession& s) -> Status {
    SqlBuilder b(relation, s.dialect());
    OPZ_TRY(std::string where, b.where(query.where, scope));
    OPZ_TRY(std::string order, b.order(query.order));
    const std::string from = " FROM " + quoted(relation.relation) + where;
    const Params filter_params = b.params();

    std::string select = "SELECT ";
    for (size_t i = 0; i < out.size(); ++i) select += (i ? ", " : "") + quoted(out[i].column->name);
    Params params = filter_params;
    params.emplace_back(limit);
    params.emplace_back(query.offset);
    const std::string sql = select + from + order + " LIMIT $" +
                            std::to_string(filter_params.size() + 1) + " OFFSET $" +
                            std::to_string(filter_params.size() + 2);

    OPZ_TRY(Rows rows, s.query(sql, params));
    for (const Row& r : rows) {
      OrderedJson obj = OrderedJson::object();
      for (size_t i = 0; i < out.size(); ++i) obj[out[i].name] = typed(*out[i].column, r[i]);
      result.rows.push_back(std::move(obj));
    }
    if (query.count != rest::CountPreference::kNone) {
      OPZ_TRY(Rows n, s.query("SELECT count(*)" + from, filter_params));
      result.total = n[0][0].as_int();
    }
    return {};
  }));
  return result;
}

}  // namespace opz::store
