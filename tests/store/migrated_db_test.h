// MigratedDbTest: the fixture of the store tests. Each test gets a fresh,
// migrated database, a ManualClock, and create_project() for rows that need
// one (the first call also creates the organization it belongs to).
//
// The database is SQLite in the test's own temporary directory, or, when the
// environment says OPZ_TEST_BACKEND=postgres, a fresh PostgreSQL database on
// the test server (support/postgres_test_database.h): the same store tests
// run on both backends (ctest runs test_store twice).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "store/database.h"
#include "store/project_store.h"
#include "support/postgres_test_database.h"
#include "support/temp_dir.h"

namespace opz::store {

class MigratedDbTest : public ::testing::Test {
 protected:
  static bool on_postgres() {
    const char* backend = std::getenv("OPZ_TEST_BACKEND");
    return backend && std::string_view(backend) == "postgres";
  }

  void SetUp() override {
    if (on_postgres()) {
      std::optional<std::string> server = opz::testing::postgres_test_url();
      ASSERT_TRUE(server) << "OPZ_TEST_BACKEND=postgres needs OPZ_TEST_POSTGRES_URL or _DIR";
      auto pg = opz::testing::PostgresTestDatabase::create(*server);
      ASSERT_TRUE(pg.ok()) << pg.error().to_string();
      pg_.emplace(std::move(pg).value());
      auto db = Database::open_postgres({.url = pg_->url(), .readers = 2});
      ASSERT_TRUE(db.ok()) << db.error().to_string();
      db_ = std::move(db).value();
      return;  // the template is migrated
    }
    auto db = Database::open_sqlite({.path = dir_.str() + "/t.db"});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    auto applied = db_->migrate();
    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  }

  void TearDown() override {
    if (db_) db_->close();  // before the PostgreSQL database is dropped
  }

  // A new project's id ("" after a failed expectation).
  std::string create_project(const std::string& name = "p") {
    ProjectStore projects(*db_, clock_);
    if (!has_org_) {
      EXPECT_TRUE(projects.create_organization("Org", "org", "").ok());
      has_org_ = true;
    }
    ProjectFields f;
    f.name = name;
    auto p = projects.create_project(f, "tester");
    EXPECT_TRUE(p.ok()) << p.error().to_string();
    return p.ok() ? p->id : std::string();
  }

  ManualClock clock_;
  opz::testing::TempDir dir_;
  std::optional<opz::testing::PostgresTestDatabase> pg_;  // declared before db_: outlives it
  std::unique_ptr<Database> db_;

 private:
  bool has_org_ = false;
};

}  // namespace opz::store
