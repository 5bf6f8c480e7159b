// PgDatabase when its connection breaks (what a Patroni failover looks like
// from the client): a write that surely did not commit runs again, exactly
// once; a stale pooled reader is reopened before its read. Against the real
// test PostgreSQL (skipped without it); the connections are broken with
// pg_terminate_backend, the way the server ends them when it goes down.
// The whole failover (primary killed, replica promoted) is
// tests/ha/patroni_failover_test.sh.
#include "store/pg_database.h"

#include <gtest/gtest.h>

#include "support/postgres_test_database.h"

namespace opz::store {
namespace {

class PgFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> server = opz::testing::postgres_test_url();
    if (!server) GTEST_SKIP() << "no PostgreSQL test server (OPZ_TEST_POSTGRES_URL/_DIR)";
    auto pg = opz::testing::PostgresTestDatabase::create(*server, /*migrated=*/false);
    ASSERT_TRUE(pg.ok()) << pg.error().to_string();
    pg_.emplace(std::move(pg).value());
    auto db = PgDatabase::open({.url = pg_->url(), .readers = 1});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    // A row 'die' ends its own connection when its transaction commits (a
    // deferred constraint trigger runs inside COMMIT): COMMIT's answer is lost.
    ASSERT_TRUE(db_->write([](SqlSession& s) {
                     return s.exec_script(R"(
      CREATE TABLE t (id text PRIMARY KEY);
      CREATE FUNCTION die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = 'die' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON t
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION die_at_commit();)");
                   }).ok());
  }
  void TearDown() override {
    if (db_) db_->close();
  }

  std::vector<std::string> ids() {
    std::vector<std::string> out;
    Status st = db_->read([&](SqlSession& s) -> Status {
      OPZ_TRY(Rows rows, s.query("SELECT id FROM t ORDER BY id"));
      for (const Row& r : rows) out.push_back(r["id"].as_text());
      return {};
    });
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return out;
  }

  std::optional<opz::testing::PostgresTestDatabase> pg_;
  std::unique_ptr<PgDatabase> db_;
};

TEST_F(PgFailoverTest, AConnectionLostBeforeCommitRunsTheWriteAgainOnANewConnection) {
  int runs = 0;
  Status st = db_->write([&](SqlSession& s) -> Status {
    ++runs;
    OPZ_TRY(int64_t n, s.exec("INSERT INTO t (id) VALUES ($1)", {"a"}));
    (void)n;
    if (runs == 1) {
      // The server ends the connection mid-transaction (as a dying primary does).
      OPZ_TRY(Rows r, s.query("SELECT pg_terminate_backend(pg_backend_pid())"));
      (void)r;
    }
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(runs, 2) << "rolled back by the server, so run again";
  EXPECT_EQ(ids(), std::vector<std::string>{"a"}) << "committed exactly once";
}

TEST_F(PgFailoverTest, ALostCommitAnswerIsRunAgainOnlyWhenTheServerSaysItDidNotCommit) {
  int runs = 0;
  Status st = db_->write([&](SqlSession& s) -> Status {
    ++runs;
    OPZ_TRY(int64_t n, s.exec("INSERT INTO t (id) VALUES ($1)", {"b"}));
    (void)n;
    if (runs == 1) {
      OPZ_TRY(int64_t dying, s.exec("INSERT INTO t (id) VALUES ($1)", {"die"}));
      (void)dying;
    }
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(runs, 2) << "pg_xact_status said aborted: run again";
  EXPECT_EQ(ids(), std::vector<std::string>{"b"}) << "the aborted first run left nothing";
}

TEST_F(PgFailoverTest, AStalePooledReaderIsReopenedBeforeItsRead) {
  ASSERT_TRUE(db_->write([](SqlSession& s) { return s.exec("INSERT INTO t (id) VALUES ('c')"); }).ok());
  ASSERT_EQ(ids(), std::vector<std::string>{"c"});  // the reader is connected and pooled
  // Every other connection of this database goes (the reader's among them).
  ASSERT_TRUE(db_->write([](SqlSession& s) -> Status {
                   OPZ_TRY(Rows r, s.query("SELECT count(pg_terminate_backend(pid)) AS n "
                                           "FROM pg_stat_activity WHERE datname = "
                                           "current_database() AND pid <> pg_backend_pid()"));
                   EXPECT_GE(r[0]["n"].as_int(), 1);
                   return {};
                 }).ok());
  EXPECT_EQ(ids(), std::vector<std::string>{"c"}) << "read on a reopened connection, not a 503";
}

}  // namespace
}  // namespace opz::store
