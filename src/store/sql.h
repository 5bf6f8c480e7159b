// The SQL seam: every repository in store/ talks to the database through
// SqlSession, so that the same repository code runs on SQLite (embedded,
// default) and, later, PostgreSQL (multi-node).
//
// SQL dialect contract for DML written in repositories:
//   * parameters are "$1", "$2", ... (SQLite binds them by name, see
//     sqlite_session.cc; PostgreSQL natively by position);
//   * RETURNING, ON CONFLICT ... DO UPDATE/NOTHING, CTEs are allowed;
//   * ids are UUID text, times are ISO-8601 UTC text (core/time_format.h),
//     booleans are integers 0/1, JSON documents are text.
//
// Thread-safety: a SqlSession is used by one thread at a time. The Database
// hands out sessions: `write()` serializes all writers through one
// connection inside BEGIN IMMEDIATE ... COMMIT, `read()` uses a pooled reader.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace opz::store {

struct Null {};

// A bound parameter or a column value.
class SqlValue {
 public:
  SqlValue() : v_(Null{}) {}
  SqlValue(Null) : v_(Null{}) {}                           // NOLINT
  SqlValue(std::nullptr_t) : v_(Null{}) {}                 // NOLINT
  SqlValue(int v) : v_(static_cast<int64_t>(v)) {}         // NOLINT
  SqlValue(int64_t v) : v_(v) {}                           // NOLINT
  SqlValue(uint64_t v) : v_(static_cast<int64_t>(v)) {}    // NOLINT
  SqlValue(bool v) : v_(static_cast<int64_t>(v ? 1 : 0)) {}  // NOLINT
  SqlValue(double v) : v_(v) {}                            // NOLINT
  SqlValue(std::string v) : v_(std::move(v)) {}            // NOLINT
  SqlValue(std::string_view v) : v_(std::string(v)) {}     // NOLINT
  SqlValue(const char* v) : v_(std::string(v)) {}          // NOLINT
  template <typename T>
  SqlValue(const std::optional<T>& v) : v_(Null{}) {      // NOLINT
    if (v) *this = SqlValue(*v);
  }

  bool is_null() const { return std::holds_alternative<Null>(v_); }
  bool is_int() const { return std::holds_alternative<int64_t>(v_); }
  bool is_real() const { return std::holds_alternative<double>(v_); }
  bool is_text() const { return std::holds_alternative<std::string>(v_); }

  // Conversions are lenient the way SQLite is: text "12" -> 12, null -> 0/"".
  int64_t as_int() const;
  double as_real() const;
  std::string as_text() const;
  bool as_bool() const { return as_int() != 0; }
  // The text itself when this is text (no copy: bodies are tens of KB).
  const std::string* text_if() const { return std::get_if<std::string>(&v_); }
  std::optional<std::string> as_optional_text() const {
    if (is_null()) return std::nullopt;
    return as_text();
  }

 private:
  std::variant<Null, int64_t, double, std::string> v_;
};

// One result row; columns by position or by name.
class Row {
 public:
  Row(const std::vector<std::string>* names, std::vector<SqlValue> values)
      : names_(names), values_(std::move(values)) {}
  const SqlValue& operator[](size_t i) const { return values_.at(i); }
  // Aborts (programming error) when the column does not exist.
  const SqlValue& operator[](std::string_view name) const;
  size_t size() const { return values_.size(); }
  const std::vector<std::string>& names() const { return *names_; }

 private:
  friend struct Rows;
  const std::vector<std::string>* names_;
  std::vector<SqlValue> values_;
};

// A Row points at its Rows' `columns`: a Row stays valid while the Rows that
// holds it lives. Copying or moving a Rows re-points its rows at the new copy
// (Result<Rows> moves the value, so this is what keeps names valid).
struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;

  Rows() = default;
  Rows(const Rows& other) : columns(other.columns), rows(other.rows) { rebind(other); }
  Rows(Rows&& other) noexcept : columns(std::move(other.columns)), rows(std::move(other.rows)) {
    rebind(other);
  }
  Rows& operator=(const Rows& other) {
    if (this != &other) {
      columns = other.columns;
      rows = other.rows;
      rebind(other);
    }
    return *this;
  }
  Rows& operator=(Rows&& other) noexcept {
    if (this != &other) {
      columns = std::move(other.columns);
      rows = std::move(other.rows);
      rebind(other);
    }
    return *this;
  }
  ~Rows() = default;

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
  const Row& operator[](size_t i) const { return rows.at(i); }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }

 private:
  void rebind(const Rows& from) {
    for (Row& r : rows) {
      if (r.names_ == &from.columns) r.names_ = &columns;
    }
  }
};

using Params = std::vector<SqlValue>;

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Runs one statement and returns all rows (possibly none). Statements are
  // prepared once per connection and cached by their SQL text.
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement that returns no rows; answers the number of rows changed.
  virtual Result<int64_t> exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status exec_script(std::string_view sql) = 0;
  // "sqlite" or "postgres": for the rare statement that must differ.
  virtual std::string_view dialect() const = 0;
};

}  // namespace opz::store
