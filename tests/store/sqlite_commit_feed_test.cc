// SqliteCommitFeed through SqliteDatabase::listen: who is called, when, and
// what they see.
#include "store/sqlite_commit_feed.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>

#include "store/sqlite_database.h"
#include "support/temp_dir.h"

namespace opz::store {
namespace {

class SqliteCommitFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.path = dir_.str() + "/db.sqlite";
    options.readers = 2;
    auto db = SqliteDatabase::open(options);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    // The event log's shape in miniature: a watched table, one that fills it
    // from a trigger (as migration 012's do), and one it does not watch.
    Status st = db_->write([](SqlSession& s) {
      return s.exec_script(
          "CREATE TABLE realtime_events (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT);"
          "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
          "CREATE TABLE other (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
          "CREATE TRIGGER items_insert AFTER INSERT ON items BEGIN "
          "  INSERT INTO realtime_events (note) VALUES (NEW.name); END;");
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }

  // Listens on opz_events; each call records how many events a reader sees.
  std::unique_ptr<Database::Listening> listen() {
    return db_->listen("opz_events", [this] {
      ++calls_;
      auto n = db_->read([](SqlSession& s) -> Result<int64_t> {
        OPZ_TRY(Rows rows, s.query("SELECT count(*) FROM realtime_events"));
        return rows[0][0].as_int();
      });
      seen_ = n.ok() ? *n : -1;
    });
  }

  Status write(const std::string& sql) {
    return db_->write([&](SqlSession& s) { return s.exec_script(sql); });
  }

  opz::testing::TempDir dir_;
  std::unique_ptr<SqliteDatabase> db_;
  std::atomic<int> calls_{0};
  std::atomic<int64_t> seen_{0};
};

TEST_F(SqliteCommitFeedTest, ACommitThatWroteTheLogCallsOnceAndItsRowsAreVisible) {
  auto handle = listen();
  ASSERT_NE(handle, nullptr);
  ASSERT_TRUE(write("INSERT INTO realtime_events (note) VALUES ('a');"
                    "INSERT INTO realtime_events (note) VALUES ('b');")
                  .ok());
  EXPECT_EQ(calls_.load(), 1);  // once per commit, not per row
  EXPECT_EQ(seen_.load(), 2);   // called after the commit, not before
}

TEST_F(SqliteCommitFeedTest, RowsWrittenByATriggerCount) {
  auto handle = listen();
  ASSERT_TRUE(write("INSERT INTO items (name) VALUES ('x')").ok());
  EXPECT_EQ(calls_.load(), 1);
  EXPECT_EQ(seen_.load(), 1);
}

TEST_F(SqliteCommitFeedTest, CommitsThatLeaveTheLogAloneCallNobody) {
  auto handle = listen();
  ASSERT_TRUE(write("INSERT INTO other (n) VALUES (1); UPDATE other SET n = 2").ok());
  EXPECT_EQ(calls_.load(), 0);
  // ... nor does the next commit remember them.
  ASSERT_TRUE(write("INSERT INTO other (n) VALUES (3)").ok());
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(SqliteCommitFeedTest, ARolledBackWriteCallsNobody) {
  auto handle = listen();
  Status st = db_->write([](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(s.exec("INSERT INTO realtime_events (note) VALUES ('gone')"));
    return Error::validation("no", "field");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(calls_.load(), 0);
  ASSERT_TRUE(write("INSERT INTO other (n) VALUES (1)").ok());
  EXPECT_EQ(calls_.load(), 0);  // the rolled-back rows are not counted later either
}

TEST_F(SqliteCommitFeedTest, AsyncWritesCallFromTheCommitter) {
  auto handle = listen();
  std::promise<Status> done;
  db_->write_async(
      [](SqlSession& s) -> Status {
        return s.exec_script("INSERT INTO items (name) VALUES ('async')");
      },
      [&](Status st) { done.set_value(st); });
  ASSERT_TRUE(done.get_future().get().ok());
  EXPECT_EQ(calls_.load(), 1);  // before the writer's callback
  EXPECT_EQ(seen_.load(), 1);
}

TEST_F(SqliteCommitFeedTest, DestroyingTheHandleStopsTheCalls) {
  auto handle = listen();
  auto second = listen();
  ASSERT_TRUE(write("INSERT INTO items (name) VALUES ('1')").ok());
  EXPECT_EQ(calls_.load(), 2);  // every listener
  handle.reset();
  ASSERT_TRUE(write("INSERT INTO items (name) VALUES ('2')").ok());
  EXPECT_EQ(calls_.load(), 3);
}

TEST_F(SqliteCommitFeedTest, AHandleMayOutliveTheDatabase) {
  auto handle = listen();
  db_->close();
  db_.reset();
  handle.reset();  // no use of the freed feed (the sanitizer build checks)
  SUCCEED();
}

TEST_F(SqliteCommitFeedTest, OtherChannelsHaveNoFeed) {
  EXPECT_EQ(db_->listen("opz_commands", [] {}), nullptr);
  EXPECT_EQ(db_->listen("opz_events", nullptr), nullptr);
}

}  // namespace
}  // namespace opz::store
