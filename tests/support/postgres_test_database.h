// A fresh PostgreSQL database per test, for the suites that run on both
// backends. The server is the one tests/support/postgres.sh started; a test
// finds it through OPZ_TEST_POSTGRES_URL (a libpq URL) or OPZ_TEST_POSTGRES_DIR
// (the directory postgres.sh was given; its URL is in DIR/url). Without
// either, PostgreSQL tests skip.
//
// Each database is a copy of a template migrated once per migration set
// (CREATE DATABASE ... TEMPLATE: tens of milliseconds instead of running
// every migration again), and is dropped when the PostgresTestDatabase goes.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace opz::testing {

// The test server's URL, or nullopt when no PostgreSQL test server is set up.
std::optional<std::string> postgres_test_url();

// `url` (postgresql://user@host:port/db?options) naming database `name` instead.
std::string postgres_url_with_database(const std::string& url, const std::string& name);

class PostgresTestDatabase {
 public:
  // Creates a fresh database; `migrated` copies the migrated template, else
  // the database is empty.
  static Result<PostgresTestDatabase> create(const std::string& server_url, bool migrated = true);
  PostgresTestDatabase(PostgresTestDatabase&& other) noexcept;
  PostgresTestDatabase& operator=(PostgresTestDatabase&&) = delete;
  ~PostgresTestDatabase();

  // libpq URL of this database.
  const std::string& url() const { return url_; }

 private:
  PostgresTestDatabase(std::string server_url, std::string name, std::string url)
      : server_url_(std::move(server_url)), name_(std::move(name)), url_(std::move(url)) {}
  std::string server_url_;
  std::string name_;  // empty once moved from
  std::string url_;
};

}  // namespace opz::testing
