// MigratedDbTest: the fixture of the store tests. Each test gets a fresh,
// migrated SQLite database in its own temporary directory, a ManualClock, and
// create_project() for rows that need one (the first call also creates the
// organization it belongs to).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/clock.h"
#include "store/database.h"
#include "store/project_store.h"
#include "support/temp_dir.h"

namespace opz::store {

class MigratedDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::open_sqlite({.path = dir_.str() + "/t.db"});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    auto applied = db_->migrate();
    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
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
  std::unique_ptr<Database> db_;

 private:
  bool has_org_ = false;
};

}  // namespace opz::store
