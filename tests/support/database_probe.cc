#include "support/database_probe.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "store/database.h"
#include "store/pg_session.h"
#include "support/postgres_test_database.h"
#include "support/server_process.h"

namespace opz::testing {

namespace {

namespace fs = std::filesystem;

const char* const kSqliteFiles[] = {"opzenix.db", "opzenix.db-wal"};

Result<std::unique_ptr<store::Database>> open(const DatabaseLocation& where) {
  if (where.postgres()) return store::Database::open_postgres({.url = where.url, .readers = 1});
  const std::string path = (fs::path(where.data_dir) / "opzenix.db").string();
  if (!fs::exists(path)) return Error::not_found("no database at " + path);
  return store::Database::open_sqlite({.path = path, .readers = 1});
}

// Opens, runs `fn` in a read or write transaction, closes.
template <typename F>
auto with_database(const DatabaseLocation& where, bool write, F&& fn)
    -> std::invoke_result_t<F, store::SqlSession&> {
  OPZ_TRY(std::unique_ptr<store::Database> db, open(where));
  auto out = write ? db->write(std::forward<F>(fn)) : db->read(std::forward<F>(fn));
  db->close();
  return out;
}

std::string database_name(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return {};
  return url.substr(slash + 1, url.find('?', slash) - slash - 1);
}

}  // namespace

DatabaseLocation::DatabaseLocation(const ServerProcess& server)
    : data_dir(server.data_dir()), url(server.database_url()) {}

std::vector<std::string> DatabaseLocation::cli_args() const {
  if (postgres()) return {"--database", url};
  return {"--data-dir", data_dir};
}

Result<store::Rows> query_database(const DatabaseLocation& where, std::string_view sql,
                                   const store::Params& params) {
  return with_database(where, false,
                       [&](store::SqlSession& s) { return s.query(sql, params); });
}

Result<int64_t> exec_database(const DatabaseLocation& where, std::string_view sql,
                              const store::Params& params) {
  return with_database(where, true, [&](store::SqlSession& s) { return s.exec(sql, params); });
}

Status exec_database_script(const DatabaseLocation& where, std::string_view sql) {
  return with_database(where, true, [&](store::SqlSession& s) { return s.exec_script(sql); });
}

int64_t count_rows(const DatabaseLocation& where, const std::string& table,
                   const std::string& condition, const store::Params& params) {
  const std::string sql =
      "SELECT COUNT(*) FROM " + table + (condition.empty() ? "" : " WHERE " + condition);
  auto rows = query_database(where, sql, params);
  if (!rows.ok() || rows->empty()) {
    ADD_FAILURE() << sql << ": " << (rows.ok() ? "no row" : rows.error().to_string());
    return -1;
  }
  return (*rows)[0][0].as_int();
}

std::vector<std::string> column_texts(const DatabaseLocation& where, std::string_view sql,
                                      const store::Params& params) {
  std::vector<std::string> out;
  auto rows = query_database(where, sql, params);
  if (!rows.ok()) {
    ADD_FAILURE() << sql << ": " << rows.error().to_string();
    return out;
  }
  for (const store::Row& row : *rows) out.push_back(row[0].as_text());
  return out;
}

std::string query_lines(const DatabaseLocation& where, std::string_view sql,
                        const store::Params& params) {
  std::string out;
  auto rows = query_database(where, sql, params);
  if (!rows.ok()) {
    ADD_FAILURE() << sql << ": " << rows.error().to_string();
    return out;
  }
  for (const store::Row& row : *rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "|" : "") + row[i].as_text();
    out += "\n";
  }
  return out;
}

Result<DatabaseCopy> DatabaseCopy::of(const DatabaseLocation& source) {
  static std::atomic<int> counter{0};
  const std::string suffix = std::to_string(::getpid()) + "_" + std::to_string(++counter);
  if (!source.postgres()) {
    const fs::path dir = fs::temp_directory_path() / ("opz-db-copy-" + suffix);
    std::error_code ec;
    fs::create_directories(dir, ec);
    for (const char* name : kSqliteFiles) {
      if (fs::exists(fs::path(source.data_dir) / name))
        fs::copy_file(fs::path(source.data_dir) / name, dir / name, ec);
      if (ec) return Error::internal("copying " + std::string(name) + ": " + ec.message());
    }
    return DatabaseCopy(DatabaseLocation(dir.string(), ""), dir.string(), "", "");
  }
  // Not connected to the source itself: TEMPLATE needs it to have no sessions.
  const std::string admin_url =
      postgres_test_url().value_or(postgres_url_with_database(source.url, "postgres"));
  OPZ_TRY(std::unique_ptr<store::PgSession> admin, store::PgSession::open(admin_url));
  const std::string name = "opz_copy" + suffix;
  OPZ_TRY_STATUS(
      admin->exec_script("CREATE DATABASE " + name + " TEMPLATE " + database_name(source.url)));
  return DatabaseCopy(DatabaseLocation("", postgres_url_with_database(source.url, name)), "", admin_url,
                      name);
}

DatabaseCopy::DatabaseCopy(DatabaseLocation location, std::string owned_dir, std::string admin_url,
                           std::string database_name)
    : location_(std::move(location)),
      owned_dir_(std::move(owned_dir)),
      admin_url_(std::move(admin_url)),
      database_name_(std::move(database_name)) {}

DatabaseCopy::DatabaseCopy(DatabaseCopy&& other) noexcept
    : location_(std::move(other.location_)),
      owned_dir_(std::move(other.owned_dir_)),
      admin_url_(std::move(other.admin_url_)),
      database_name_(std::move(other.database_name_)) {
  other.owned_dir_.clear();
  other.database_name_.clear();
}

DatabaseCopy::~DatabaseCopy() {
  if (!owned_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(owned_dir_, ec);
  }
  if (database_name_.empty()) return;
  auto admin = store::PgSession::open(admin_url_);
  if (admin.ok())
    (void)(*admin)->exec_script("DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
}

}  // namespace opz::testing
