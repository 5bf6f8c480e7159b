#include "store/migrator.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "store/sqlite_database.h"
#include "support/temp_dir.h"

namespace opz::store {
namespace {

std::unique_ptr<Database> open_db(const std::string& path) {
  DatabaseOptions options;
  options.path = path;
  options.readers = 2;
  options.busy_timeout_ms = 10000;
  auto db = Database::open_sqlite(options);
  EXPECT_TRUE(db.ok()) << db.error().to_string();
  return db.ok() ? std::move(db).value() : nullptr;
}

Result<bool> has_table(Database& db, const std::string& name) {
  return db.read([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(Rows rows,
            s.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1", {name}));
    return !rows.empty();
  });
}

class MigratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open_db(dir_.str() + "/m.db");
    ASSERT_NE(db_, nullptr);
  }

  opz::testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  ManualClock clock_;
  const std::vector<Migration> two_ = {
      {"001_a", "CREATE TABLE a (id TEXT PRIMARY KEY);"},
      {"002_b", "CREATE TABLE b (id TEXT PRIMARY KEY);\nINSERT INTO b VALUES ('x');"}};
};

TEST_F(MigratorTest, AppliesInOrderAndRecordsEach) {
  Migrator m(*db_, two_, clock_);
  auto fresh = m.applied();
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->empty());  // no schema_migrations table yet
  auto up = m.up_to_date();
  ASSERT_TRUE(up.ok());
  EXPECT_FALSE(*up);

  auto applied = m.apply();
  ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  EXPECT_EQ(*applied, (std::vector<std::string>{"001_a", "002_b"}));
  EXPECT_TRUE(*has_table(*db_, "a"));
  EXPECT_TRUE(*has_table(*db_, "b"));
  auto rows = db_->read([](SqlSession& s) {
    return s.query("SELECT version, applied_at FROM schema_migrations ORDER BY version");
  });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1]["version"].as_text(), "002_b");
  EXPECT_EQ((*rows)[0]["applied_at"].as_text(), format_time(clock_.now()));
  EXPECT_TRUE(*m.up_to_date());
}

TEST_F(MigratorTest, SecondRunAppliesNothing) {
  ASSERT_TRUE(Migrator(*db_, two_, clock_).apply().ok());
  auto again = Migrator(*db_, two_, clock_).apply();
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_TRUE(again->empty());
  auto b = db_->read([](SqlSession& s) { return s.query("SELECT count(*) AS n FROM b"); });
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)[0]["n"].as_int(), 1);  // 002_b's insert did not run twice

  // A later binary with one more migration applies just that one.
  std::vector<Migration> three = two_;
  three.push_back({"003_c", "CREATE TABLE c (id TEXT);"});
  auto more = Migrator(*db_, three, clock_).apply();
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(*more, std::vector<std::string>{"003_c"});
}

TEST_F(MigratorTest, AFailingMigrationLeavesNoTraceAndStopsTheRun) {
  const std::vector<Migration> bad = {
      {"001_a", "CREATE TABLE a (id TEXT PRIMARY KEY);"},
      {"002_broken", "CREATE TABLE half (id TEXT);\nINSERT INTO missing VALUES (1);"},
      {"003_c", "CREATE TABLE c (id TEXT);"}};
  auto r = Migrator(*db_, bad, clock_).apply();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("migration 002_broken failed"), std::string::npos);
  EXPECT_TRUE(*has_table(*db_, "a"));      // 001 committed on its own
  EXPECT_FALSE(*has_table(*db_, "half"));  // 002 rolled back entirely
  EXPECT_FALSE(*has_table(*db_, "c"));     // nothing after the failure
  auto applied = Migrator(*db_, bad, clock_).applied();
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, std::vector<std::string>{"001_a"});
}

TEST_F(MigratorTest, RefusesADatabaseFromANewerBinary) {
  std::vector<Migration> three = two_;
  three.push_back({"003_c", "CREATE TABLE c (id TEXT);"});
  ASSERT_TRUE(Migrator(*db_, three, clock_).apply().ok());
  auto r = Migrator(*db_, two_, clock_).apply();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("003_c"), std::string::npos);
}

TEST_F(MigratorTest, RefusesUnorderedNames) {
  const std::vector<Migration> unordered = {{"002_b", "SELECT 1;"}, {"001_a", "SELECT 1;"}};
  auto r = Migrator(*db_, unordered, clock_).apply();
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(*has_table(*db_, "schema_migrations"));
  const std::vector<Migration> duplicate = {{"001_a", "SELECT 1;"}, {"001_a", "SELECT 1;"}};
  EXPECT_FALSE(Migrator(*db_, duplicate, clock_).apply().ok());
}

TEST_F(MigratorTest, DatabaseMigrateUsesTheEmbeddedMigrations) {
  ASSERT_FALSE(embedded_migrations().empty());
  EXPECT_EQ(embedded_migrations().front().name, "001_initial");
  EXPECT_FALSE(db_->ready());
  auto first = db_->migrate();
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(first->size(), embedded_migrations().size());
  EXPECT_TRUE(db_->ready());
  auto second = db_->migrate();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());
  auto names = db_->applied_migrations();
  ASSERT_TRUE(names.ok());
  ASSERT_EQ(names->size(), embedded_migrations().size());
  for (size_t i = 0; i < names->size(); ++i) {
    EXPECT_EQ((*names)[i], embedded_migrations()[i].name);
  }
}

TEST(MigratorConcurrencyTest, TwoDatabasesMigratingOneFileApplyEachMigrationOnce) {
  for (int round = 0; round < 3; ++round) {
    opz::testing::TempDir dir;
    const std::string path = dir.str() + "/shared.db";
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    auto run = [&]() -> Result<std::vector<std::string>> {
      start.wait();
      // Opening concurrently too: both race to create the file and switch it to WAL.
      std::unique_ptr<Database> db = open_db(path);
      if (!db) return Error::internal("open failed");
      return db->migrate();
    };
    auto a = std::async(std::launch::async, run);
    auto b = std::async(std::launch::async, run);
    go.set_value();
    auto ra = a.get();
    auto rb = b.get();
    ASSERT_TRUE(ra.ok()) << ra.error().to_string();
    ASSERT_TRUE(rb.ok()) << rb.error().to_string();
    EXPECT_EQ(ra->size() + rb->size(), embedded_migrations().size()) << "round " << round;
    auto db = open_db(path);
    ASSERT_NE(db, nullptr);
    EXPECT_TRUE(db->ready());
    auto names = db->applied_migrations();
    ASSERT_TRUE(names.ok());
    EXPECT_EQ(names->size(), embedded_migrations().size());
  }
}

}  // namespace
}  // namespace opz::store
