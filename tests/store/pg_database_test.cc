// PgSession/PgDatabase against a real PostgreSQL (skipped without the test
// server: see support/postgres_test_database.h). The store suites check the
// repositories on both backends; this checks the backend's own contract.
#include "store/pg_database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/pg_session.h"
#include "support/postgres_test_database.h"

namespace opz::store {
namespace {

class PgDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> server = opz::testing::postgres_test_url();
    if (!server) GTEST_SKIP() << "no PostgreSQL test server (OPZ_TEST_POSTGRES_URL/_DIR)";
    auto pg = opz::testing::PostgresTestDatabase::create(*server, /*migrated=*/false);
    ASSERT_TRUE(pg.ok()) << pg.error().to_string();
    pg_.emplace(std::move(pg).value());
    auto db = PgDatabase::open({.url = pg_->url(), .readers = 2});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->write([](SqlSession& s) {
                     return s.exec_script(
                         "CREATE TABLE t (id text PRIMARY KEY, flag boolean NOT NULL DEFAULT false, "
                         "at timestamptz, n bigint, x double precision, doc json, "
                         "total numeric)");
                   }).ok());
  }
  void TearDown() override {
    if (db_) db_->close();
  }

  std::optional<opz::testing::PostgresTestDatabase> pg_;
  std::unique_ptr<PgDatabase> db_;
};

TEST_F(PgDatabaseTest, UntypedParamsTakeTheColumnsTypesAndValuesComeBackInSqliteShapes) {
  ASSERT_TRUE(db_->write([](SqlSession& s) -> Result<int64_t> {
                   return s.exec(
                       "INSERT INTO t (id, flag, at, n, x, doc, total) VALUES ($1, $2, $3, $4, $5, "
                       "$6, $7)",
                       {"a", true, "2026-12-05T19:18:14.5Z", int64_t{1} << 40, 2.5,
                        R"({"b":1,  "a":[true]})", 12});
                 }).ok());
  auto rows = db_->read([](SqlSession& s) {
    return s.query("SELECT id, flag, at, n, x, doc, total, total / 8 AS part FROM t WHERE id = $1",
                   {"a"});
  });
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 1u);
  const Row& r = (*rows)[0];
  EXPECT_TRUE(r["flag"].is_int());
  EXPECT_EQ(r["flag"].as_int(), 1);
  EXPECT_EQ(r["at"].as_text(), "2026-12-05T19:18:14.500Z");
  EXPECT_EQ(r["n"].as_int(), int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(r["x"].as_real(), 2.5);
  EXPECT_EQ(r["doc"].as_text(), R"({"b":1,  "a":[true]})") << "json keeps the text byte for byte";
  EXPECT_TRUE(r["total"].is_int()) << "a numeric without a fraction reads as an integer";
  EXPECT_EQ(r["total"].as_int(), 12);
  EXPECT_TRUE(r["part"].is_real());
  EXPECT_DOUBLE_EQ(r["part"].as_real(), 1.5);
}

TEST_F(PgDatabaseTest, AParameterWithoutContextIsTypedText) {
  auto rows = db_->read([](SqlSession& s) {
    return s.query("SELECT $1 IS NULL AS missing, $2 AS echoed", {nullptr, "x"});
  });
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  EXPECT_EQ((*rows)[0]["missing"].as_int(), 1);
  EXPECT_EQ((*rows)[0]["echoed"].as_text(), "x");
}

TEST_F(PgDatabaseTest, ErrorsMapToTheStoresErrorCodesAndRollBackTheWholeWrite) {
  ASSERT_TRUE(db_->write([](SqlSession& s) { return s.exec("INSERT INTO t (id) VALUES ($1)", {"a"}); }).ok());
  auto dup = db_->write([](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY_STATUS(s.exec("INSERT INTO t (id) VALUES ($1)", {"b"}));
    return s.exec("INSERT INTO t (id) VALUES ($1)", {"a"});
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(dup.error().is_conflict()) << dup.error().to_string();
  EXPECT_EQ(dup.error().field, "id");
  auto count = db_->read([](SqlSession& s) { return s.query("SELECT count(*) AS n FROM t"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)[0]["n"].as_int(), 1) << "'b' was rolled back with the failed insert";

  auto bad = db_->write([](SqlSession& s) { return s.exec("INSERT INTO t (id, at) VALUES ($1, $2)", {"c", "soon"}); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation) << "a value not of its column's type";
  EXPECT_NE(bad.error().message.find("timestamp"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().message.find("soon"), std::string::npos) << "values never appear in messages";

  auto extra = db_->read([](SqlSession& s) { return s.query("SELECT $1::text AS a", {"x", "y"}); });
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.error().message.find("uses 1 parameters but 2"), std::string::npos);

  auto nested = db_->write([&](SqlSession&) -> Status {
    return db_->write([](SqlSession& s) { return s.exec_script("SELECT 1"); });
  });
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message.find("nested"), std::string::npos);
}

TEST_F(PgDatabaseTest, ASerializationConflictWithAnotherServerRunsTheWriteAgain) {
  ASSERT_TRUE(db_->write([](SqlSession& s) { return s.exec("INSERT INTO t (id, n) VALUES ('c', 0)"); }).ok());
  // A second "server": its own PgDatabase on the same database. Both
  // read-modify-write the same row at the same time, many times over.
  auto other = PgDatabase::open({.url = pg_->url(), .readers = 1});
  ASSERT_TRUE(other.ok()) << other.error().to_string();
  constexpr int kEach = 40;
  auto bump = [](PgDatabase& db) {
    for (int i = 0; i < kEach; ++i) {
      Status st = db.write([](SqlSession& s) -> Status {
        OPZ_TRY(Rows rows, s.query("SELECT n FROM t WHERE id = 'c'"));
        OPZ_TRY(int64_t changed, s.exec("UPDATE t SET n = $1 WHERE id = 'c'", {rows[0]["n"].as_int() + 1}));
        return changed == 1 ? Status{} : Error::internal("row c is gone");
      });
      EXPECT_TRUE(st.ok()) << st.error().to_string();
    }
  };
  std::thread a([&] { bump(*db_); });
  std::thread b([&] { bump(**other); });
  a.join();
  b.join();
  (*other)->close();
  auto n = db_->read([](SqlSession& s) { return s.query("SELECT n FROM t WHERE id = 'c'"); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)[0]["n"].as_int(), 2 * kEach) << "no increment lost";
}

TEST_F(PgDatabaseTest, AsyncWritesCommitInOrderAndReportOnce) {
  std::atomic<int> done{0};
  for (int i = 0; i < 20; ++i) {
    db_->write_async(
        [i](SqlSession& s) -> Status {
          OPZ_TRY(int64_t n, s.exec("INSERT INTO t (id, n) VALUES ($1, $2)", {"w" + std::to_string(i), i}));
          (void)n;
          return {};
        },
        [&](Status st) {
          EXPECT_TRUE(st.ok());
          ++done;
        });
  }
  db_->close();  // runs what was queued first
  EXPECT_EQ(done.load(), 20);
  bool refused = false;
  db_->write_async([](SqlSession&) -> Status { return {}; },
                   [&](Status st) { refused = !st.ok(); });
  EXPECT_TRUE(refused) << "a closed database refuses new writes";
}

TEST_F(PgDatabaseTest, AnotherConnectionsNotifyReachesTheListener) {
  std::atomic<int> calls{0};
  auto listening = db_->listen("opz_events", [&] { ++calls; });
  ASSERT_TRUE(listening);
  // The listener calls once when it has connected (events may have been missed before).
  for (int i = 0; i < 400 && calls.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(calls.load(), 1);
  const int before = calls.load();
  auto other = PgSession::open(pg_->url());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->exec_script("NOTIFY opz_events").ok());
  for (int i = 0; i < 400 && calls.load() == before; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(calls.load(), before + 1);
  listening.reset();  // stops the thread
}

}  // namespace
}  // namespace opz::store

namespace opz::store {
namespace {

TEST_F(PgDatabaseTest, AnotherServersCommitRaisesThisServersWriteGeneration) {
  auto other = PgDatabase::open({.url = pg_->url(), .readers = 1});
  ASSERT_TRUE(other.ok()) << other.error().to_string();
  // Let both listeners connect (each counts one wake when it does).
  for (int i = 0; i < 400 && db_->committed_writes() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const uint64_t before = db_->committed_writes();
  ASSERT_TRUE((*other)->write([](SqlSession& s) { return s.exec("INSERT INTO t (id) VALUES ('z')"); }).ok());
  for (int i = 0; i < 400 && db_->committed_writes() == before; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GT(db_->committed_writes(), before) << "caches keyed on it see the other server's write";
  (*other)->close();
}

}  // namespace
}  // namespace opz::store
