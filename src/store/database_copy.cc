#include "store/database_copy.h"

#include <algorithm>
#include <map>
#include <set>

namespace opz::store {

namespace {

// Parameters per INSERT. The protocol allows 65,535. Statements of 7,499 and
// more used to lose their connection (libpq could not read the server's
// description of them; PgSession no longer asks for it, pg_session.cc
// kDescribeLimit, docs/postgres.md); 30,000 keeps each statement's text near
// 1 MB while a 10-column table still goes 3,000 rows per round trip.
constexpr int kMaxParams = 30000;

struct Column {
  std::string name;
  std::string type;     // format_type(): "timestamp with time zone", "bigint", ...
  bool identity = false;
  bool always = false;  // GENERATED ALWAYS AS IDENTITY
  // Where its value is in a source page's row: 0 the rowid (an identity
  // column SQLite has no column for: PostgreSQL's `seq`, the recording order
  // SQLite keeps in its rowid), else the source column's position.
  size_t at = 0;
};

struct Table {
  std::string name;
  std::vector<Column> columns;  // the target's columns the source also has
  int64_t source_rows = 0;
};

std::string sql_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string column_list(const Table& t, bool source) {
  std::string out;
  for (const Column& c : t.columns) {
    if (source && c.at == 0) continue;
    out += (out.empty() ? "" : ", ") + sql_name(c.name);
  }
  return out;
}

// INSERT of `rows` rows, each parameter cast to its column's type.
std::string insert_sql(const Table& t, size_t rows) {
  const bool always = std::any_of(t.columns.begin(), t.columns.end(),
                                  [](const Column& c) { return c.always; });
  std::string sql = "INSERT INTO " + sql_name(t.name) + " (" + column_list(t, false) + ")" +
                    (always ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ";
  size_t n = 0;
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < t.columns.size(); ++c) {
      sql += (c ? ", $" : "$") + std::to_string(++n) + "::" + t.columns[c].type;
    }
    sql += ")";
  }
  return sql;
}

// A source value as the parameter PostgreSQL parses for its column: bytes
// for a bytea column in its hex form, everything else as it is.
SqlValue param_for(const Column& c, const SqlValue& v) {
  if (c.type != "bytea" || v.is_null()) return v;
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string bytes = v.as_text();
  std::string hex = "\\x";
  for (unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

std::string row_label(const Table& t, const Row& row) {
  for (const Column& c : t.columns) {
    if (c.name == "id") return "id " + row[c.at].as_text();
  }
  return "rowid " + row[0].as_text();
}

struct ForeignKey {
  std::string parent;
  bool required = true;  // its columns are NOT NULL
};

// Parents before children (foreign keys), ties by name. A cycle (executions
// -> checkpoints -> executions) is broken at a nullable key whose parent
// depends on the child. What is left after that comes last in name order.
std::vector<std::string> foreign_key_order(const std::vector<std::string>& tables,
                                           const std::multimap<std::string, ForeignKey>& keys) {
  std::vector<std::string> order;
  std::set<std::string> left(tables.begin(), tables.end());
  // Whether `from` depends (through keys among the tables left) on `to`.
  auto depends = [&](const std::string& from, const std::string& to) {
    std::set<std::string> seen;
    std::vector<std::string> stack{from};
    while (!stack.empty()) {
      const std::string at = stack.back();
      stack.pop_back();
      if (!seen.insert(at).second) continue;
      const auto [first, last] = keys.equal_range(at);
      for (auto k = first; k != last; ++k) {
        if (k->second.parent == to) return true;
        if (left.count(k->second.parent)) stack.push_back(k->second.parent);
      }
    }
    return false;
  };
  auto ready = [&](const std::string& table, bool break_cycles) {
    const auto [first, last] = keys.equal_range(table);
    return std::all_of(first, last, [&](const auto& key) {
      const ForeignKey& k = key.second;
      if (k.parent == table || !left.count(k.parent)) return true;
      return break_cycles && !k.required && depends(k.parent, table);
    });
  };
  while (!left.empty()) {
    auto next = std::find_if(left.begin(), left.end(), [&](const auto& t) { return ready(t, false); });
    if (next == left.end())
      next = std::find_if(left.begin(), left.end(), [&](const auto& t) { return ready(t, true); });
    if (next == left.end()) next = left.begin();
    order.push_back(*next);
    left.erase(next);
  }
  return order;
}

Result<std::set<std::string>> source_columns(SqlSession& src, const std::string& table) {
  OPZ_TRY(Rows rows, src.query("SELECT name FROM pragma_table_info($1)", {table}));
  std::set<std::string> out;
  for (const Row& r : rows) out.insert(r[0].as_text());
  return out;
}

Result<int64_t> count_rows(SqlSession& s, const std::string& table) {
  OPZ_TRY(Rows rows, s.query("SELECT count(*) AS n FROM " + sql_name(table)));
  return rows[0][0].as_int();
}

// The tables to copy, in foreign-key order, with their shared columns; a
// source table or column the target lacks is refused (its data would be lost).
Result<std::vector<Table>> plan_tables(SqlSession& src, SqlSession& dst) {
  OPZ_TRY(Rows cols, dst.query(
                         "SELECT c.relname AS table_name, a.attname AS column_name, "
                         "format_type(a.atttypid, a.atttypmod) AS type, "
                         "a.attidentity::text AS identity "
                         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "JOIN pg_attribute a ON a.attrelid = c.oid "
                         "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
                         "AND NOT a.attisdropped AND a.attgenerated = '' "
                         "AND c.relname <> 'schema_migrations' ORDER BY c.relname, a.attnum"));
  std::map<std::string, std::vector<Column>> target;
  for (const Row& r : cols) {
    const std::string identity = r["identity"].as_text();
    target[r["table_name"].as_text()].push_back(Column{
        r["column_name"].as_text(), r["type"].as_text(), !identity.empty(), identity == "a"});
  }
  OPZ_TRY(Rows fks, dst.query("SELECT ch.relname AS child, pa.relname AS parent, "
                              "(SELECT bool_and(a.attnotnull) FROM pg_attribute a "
                              "WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)) "
                              "AS required "
                              "FROM pg_constraint k JOIN pg_class ch ON ch.oid = k.conrelid "
                              "JOIN pg_class pa ON pa.oid = k.confrelid "
                              "JOIN pg_namespace n ON n.oid = ch.relnamespace "
                              "WHERE k.contype = 'f' AND n.nspname = 'public'"));
  std::multimap<std::string, ForeignKey> parents;
  for (const Row& r : fks) {
    parents.emplace(r["child"].as_text(),
                    ForeignKey{r["parent"].as_text(), r["required"].as_bool()});
  }

  OPZ_TRY(Rows src_tables, src.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite!_%' ESCAPE '!' "
                                     "AND name <> 'schema_migrations' ORDER BY name"));
  std::set<std::string> in_source;
  for (const Row& r : src_tables) {
    const std::string name = r[0].as_text();
    in_source.insert(name);
    if (target.count(name)) continue;
    OPZ_TRY(int64_t n, count_rows(src, name));
    if (n > 0) {
      return Error::validation("the source's table " + name + " (" + std::to_string(n) +
                               " rows) has no counterpart in the target");
    }
  }
  std::vector<std::string> names;
  for (const auto& [name, columns] : target) names.push_back(name);
  std::vector<Table> out;
  for (const std::string& name : foreign_key_order(names, parents)) {
    if (!in_source.count(name)) {
      return Error::validation("the source has no table " + name +
                               ": run `opzenix db migrate` on it first");
    }
    OPZ_TRY(std::set<std::string> have, source_columns(src, name));
    Table t{name, {}, 0};
    size_t at = 0;
    for (Column c : target[name]) {
      if (have.erase(c.name)) {
        c.at = ++at;
      } else if (c.identity) {
        c.at = 0;
      } else {
        continue;  // the target's default
      }
      t.columns.push_back(c);
    }
    if (!have.empty()) {
      return Error::validation("the source's column " + name + "." + *have.begin() +
                               " has no counterpart in the target");
    }
    OPZ_TRY(t.source_rows, count_rows(src, name));
    out.push_back(std::move(t));
  }
  return out;
}

Status refuse_user_data(SqlSession& dst) {
  for (std::string_view table : kUserDataTables) {
    OPZ_TRY(int64_t n, count_rows(dst, std::string(table)));
    if (n > 0) {
      return Error::conflict("the target already has " + std::to_string(n) + " rows in " +
                             std::string(table) +
                             ": copy into a new database (only `opzenix db migrate` run on it)");
    }
  }
  return {};
}

Status check_migrations(Database& source, Database& target) {
  OPZ_TRY(std::vector<std::string> src, source.applied_migrations());
  OPZ_TRY(std::vector<std::string> dst, target.applied_migrations());
  if (src == dst) return {};
  return Error::validation("the source has " + std::to_string(src.size()) +
                           " migrations applied, the target " + std::to_string(dst.size()) +
                           ": run `opzenix db migrate` on the source with this opzenix first");
}

template <typename T>
Status status_of(const Result<T>& r) {
  if (!r.ok()) return r.error();
  return {};
}

// Runs `fn` under a savepoint; on failure the transaction is usable again.
template <typename Fn>
Status guarded(SqlSession& dst, Fn&& fn) {
  OPZ_TRY_STATUS(dst.exec_script("SAVEPOINT opz_copy"));
  Status st = fn();
  if (!st.ok()) {
    OPZ_TRY_STATUS(dst.exec_script("ROLLBACK TO SAVEPOINT opz_copy"));
  }
  OPZ_TRY_STATUS(dst.exec_script("RELEASE SAVEPOINT opz_copy"));
  return st;
}

Params row_params(const Table& t, const Row& row) {
  Params p;
  p.reserve(t.columns.size());
  for (const Column& c : t.columns) p.push_back(param_for(c, row[c.at]));
  return p;
}

// After a chunk failed: finds its first row PostgreSQL refuses and, when one
// value is at fault, that value's column.
Error diagnose(SqlSession& dst, const Table& t, const Rows& page, size_t first, size_t count,
               const Error& chunk_error) {
  for (size_t i = first; i < first + count; ++i) {
    const Row& row = page[i];
    Status st = guarded(dst, [&] { return status_of(dst.exec(insert_sql(t, 1), row_params(t, row))); });
    if (st.ok()) continue;
    std::string where = "cannot copy " + t.name + " " + row_label(t, row);
    for (const Column& col : t.columns) {
      Status cast = guarded(dst, [&] {
        return status_of(dst.query("SELECT $1::" + col.type + " AS v", {param_for(col, row[col.at])}));
      });
      if (!cast.ok()) {
        return Error::validation(where + ", column " + col.name + ": " + cast.error().message,
                                 t.name + "." + col.name);
      }
    }
    return Error::validation(where + ": " + st.error().message, t.name);
  }
  return Error::validation("cannot copy " + t.name + ": " + chunk_error.message, t.name);
}

Status copy_table(SqlSession& src, SqlSession& dst, const Table& t, const CopyOptions& o) {
  const std::string sources = column_list(t, true);
  const std::string select = "SELECT rowid AS opz_rowid" +
                             (sources.empty() ? "" : ", " + sources) + " FROM " +
                             sql_name(t.name) + " WHERE rowid > $1 ORDER BY rowid LIMIT $2";
  const size_t chunk_rows = std::max<size_t>(1, kMaxParams / std::max<size_t>(1, t.columns.size()));
  int64_t after = 0;
  int64_t copied = 0;
  for (;;) {
    OPZ_TRY(Rows page, src.query(select, {after, o.page_rows}));
    if (page.empty()) break;
    for (size_t first = 0; first < page.size(); first += chunk_rows) {
      const size_t count = std::min(chunk_rows, page.size() - first);
      Params params;
      params.reserve(count * t.columns.size());
      for (size_t i = first; i < first + count; ++i) {
        Params p = row_params(t, page[i]);
        std::move(p.begin(), p.end(), std::back_inserter(params));
      }
      Status st = guarded(dst, [&] { return status_of(dst.exec(insert_sql(t, count), params)); });
      if (!st.ok()) return diagnose(dst, t, page, first, count, st.error());
    }
    after = page[page.size() - 1][0].as_int();
    copied += static_cast<int64_t>(page.size());
    if (o.progress) o.progress(t.name, copied, t.source_rows);
  }
  if (o.after_table) OPZ_TRY_STATUS(o.after_table(t.name));
  return {};
}

// Every identity column's sequence continues after the copied ids.
Status advance_identities(SqlSession& dst, const Table& t) {
  for (const Column& c : t.columns) {
    if (!c.identity) continue;
    const std::string literal = "'public." + sql_name(t.name) + "'";
    OPZ_TRY_STATUS(dst.query("SELECT setval(pg_get_serial_sequence(" + literal + ", $1), "
                             "COALESCE(max(" + sql_name(c.name) + "), 0) + 1, false) AS v FROM " +
                                 sql_name(t.name),
                             {c.name}));
  }
  return {};
}

// True when the session can switch triggers off for its transaction.
bool replica_role(SqlSession& dst) {
  return guarded(dst, [&] {
           return dst.exec_script("SET LOCAL session_replication_role = replica");
         }).ok();
}

Status set_user_triggers(SqlSession& dst, const std::vector<Table>& tables, bool enabled) {
  for (const Table& t : tables) {
    OPZ_TRY_STATUS(dst.exec_script("ALTER TABLE " + sql_name(t.name) +
                                   (enabled ? " ENABLE" : " DISABLE") + " TRIGGER USER"));
  }
  return {};
}

Result<CopyReport> copy_in(SqlSession& src, SqlSession& dst, const CopyOptions& o) {
  if (dst.dialect() != "postgres") return Error::validation("the target must be PostgreSQL");
  if (src.dialect() != "sqlite") return Error::validation("the source must be SQLite");
  OPZ_TRY_STATUS(refuse_user_data(dst));
  OPZ_TRY(std::vector<Table> tables, plan_tables(src, dst));
  CopyReport report;
  report.used_replica_role = o.triggers == TriggerSuppression::kAuto && replica_role(dst);
  if (!report.used_replica_role) OPZ_TRY_STATUS(set_user_triggers(dst, tables, false));
  std::string all;
  for (const Table& t : tables) all += (all.empty() ? "" : ", ") + sql_name(t.name);
  OPZ_TRY_STATUS(dst.exec_script("TRUNCATE " + all));
  for (const Table& t : tables) {
    OPZ_TRY_STATUS(copy_table(src, dst, t, o));
    OPZ_TRY_STATUS(advance_identities(dst, t));
  }
  if (!report.used_replica_role) OPZ_TRY_STATUS(set_user_triggers(dst, tables, true));
  for (const Table& t : tables) {
    OPZ_TRY(int64_t n, count_rows(dst, t.name));
    if (n != t.source_rows) {
      return Error::internal(t.name + ": " + std::to_string(n) + " rows in the target, " +
                             std::to_string(t.source_rows) + " in the source");
    }
    report.tables.push_back(TableCopied{t.name, n});
  }
  OPZ_TRY(std::vector<AuditLogRecord> chain, AuditStore::read_chain(dst, 0, 0));
  if (o.verify_audit) OPZ_TRY_STATUS(o.verify_audit(chain));
  report.audit_entries = static_cast<int64_t>(chain.size());
  return report;
}

}  // namespace

Result<CopyReport> copy_database(Database& source, Database& target, const CopyOptions& options) {
  if (target.dialect() != "postgres") return Error::validation("the target must be PostgreSQL");
  if (options.page_rows < 1) return Error::validation("page_rows must be positive", "page_rows");
  OPZ_TRY(std::vector<std::string> applied, target.migrate());
  (void)applied;
  OPZ_TRY_STATUS(check_migrations(source, target));
  return source.read([&](SqlSession& src) -> Result<CopyReport> {
    return target.write([&](SqlSession& dst) { return copy_in(src, dst, options); });
  });
}

}  // namespace opz::store
