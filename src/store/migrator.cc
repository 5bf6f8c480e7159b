#include "store/migrator.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/time_format.h"
#include "store/store_log.h"

namespace opz::store {

namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)";

Result<bool> table_exists(SqlSession& s) {
  const char* sql = s.dialect() == "sqlite"
                        ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1"
                        : "SELECT 1 FROM information_schema.tables WHERE table_name = $1 "
                          "AND table_schema = current_schema()";
  OPZ_TRY(Rows rows, s.query(sql, {"schema_migrations"}));
  return !rows.empty();
}

Result<std::vector<std::string>> recorded(SqlSession& s) {
  OPZ_TRY(bool exists, table_exists(s));
  std::vector<std::string> out;
  if (!exists) return out;
  OPZ_TRY(Rows rows, s.query("SELECT version FROM schema_migrations ORDER BY version"));
  for (const Row& r : rows) out.push_back(r[0].as_text());
  return out;
}

// After a SQLite migration edited schema text in place (writable_schema), the
// schema cookie must change so every connection reloads the schema.
Status bump_schema_version(SqlSession& s) {
  OPZ_TRY(Rows rows, s.query("PRAGMA schema_version"));
  if (rows.empty()) return Error::internal("PRAGMA schema_version answered nothing");
  const int64_t version = rows[0][0].as_int();
  OPZ_TRY(int64_t changed, s.exec("PRAGMA schema_version = " + std::to_string(version + 1)));
  (void)changed;
  return {};
}

}  // namespace

Status Migrator::check_order() const {
  for (size_t i = 1; i < migrations_.size(); ++i) {
    if (!(migrations_[i - 1].name < migrations_[i].name)) {
      return Error::internal("migration names must be strictly increasing: '" +
                             migrations_[i - 1].name + "' then '" + migrations_[i].name + "'");
    }
  }
  return {};
}

bool Migrator::known(const std::string& name) const {
  return std::any_of(migrations_.begin(), migrations_.end(),
                     [&](const Migration& m) { return m.name == name; });
}

Result<std::vector<std::string>> Migrator::applied() {
  return db_.read([](SqlSession& s) { return recorded(s); });
}

Result<bool> Migrator::up_to_date() {
  OPZ_TRY(std::vector<std::string> done, applied());
  for (const Migration& m : migrations_) {
    if (std::find(done.begin(), done.end(), m.name) == done.end()) return false;
  }
  return true;
}

Result<std::vector<std::string>> Migrator::apply() {
  OPZ_TRY_STATUS(check_order());
  OPZ_TRY(std::vector<std::string> done, applied());
  for (const std::string& name : done) {
    if (!known(name)) {
      return Error::internal("the database records migration '" + name +
                             "' which this binary does not know: it was migrated by a newer "
                             "Opzenix; refusing to run against it");
    }
  }
  std::vector<std::string> applied_now;
  for (const Migration& m : migrations_) {
    if (std::find(done.begin(), done.end(), m.name) != done.end()) continue;
    bool applied_here = false;
    Status st = db_.write([&](SqlSession& s) -> Status {
      // Several servers starting at once on one PostgreSQL: one migrates at a
      // time (the others' SERIALIZABLE transactions then retry and see it done).
      if (s.dialect() == "postgres") OPZ_TRY_STATUS(s.exec_script("SELECT pg_advisory_xact_lock(7262738)"));
      OPZ_TRY_STATUS(s.exec_script(kCreateTable));
      // Repeated under the write lock: another process may have applied it
      // between our read above and this transaction.
      OPZ_TRY(Rows rows,
              s.query("SELECT version FROM schema_migrations WHERE version = $1", {m.name}));
      if (!rows.empty()) return {};
      Status script = s.exec_script(m.sql);
      if (script.ok() && s.dialect() == "sqlite" &&
          m.sql.find("PRAGMA writable_schema") != std::string::npos)
        script = bump_schema_version(s);
      if (!script.ok()) {
        Error e = script.error();
        e.message = "migration " + m.name + " failed: " + e.message;
        return e;
      }
      OPZ_TRY_STATUS(s.exec("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                            {m.name, format_time(clock_.now())}));
      applied_here = true;
      return {};
    });
    if (!st.ok()) return st.error();
    if (applied_here) {
      applied_now.push_back(m.name);
      store_log()->info("applied migration {}", m.name);
    }
  }
  return applied_now;
}

}  // namespace opz::store
