#include "store/sqlite_database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace opz::store {
namespace {

using std::chrono::steady_clock;

// Spins (yielding, no sleeps) until `done` holds or 10 s pass.
template <typename F>
bool eventually(F done) {
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { open(4); }

  void open(int readers,
            std::chrono::microseconds commit_window = DatabaseOptions{}.commit_window) {
    db_.reset();
    DatabaseOptions options;
    options.path = dir_.str() + "/db.sqlite";
    options.readers = readers;
    options.commit_window = commit_window;
    options.busy_timeout_ms = 5000;
    auto db = SqliteDatabase::open(options);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    Status st = db_->write([](SqlSession& s) {
      return s.exec_script(
          "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
          "CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
          "INSERT OR IGNORE INTO counter (id, n) VALUES (1, 0);");
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }

  int64_t count_items() {
    auto n = db_->read([](SqlSession& s) -> Result<int64_t> {
      OPZ_TRY(Rows rows, s.query("SELECT count(*) AS n FROM items"));
      return rows[0]["n"].as_int();
    });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  opz::testing::TempDir dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteDatabaseTest, OpenValidatesOptions) {
  DatabaseOptions options;
  options.path = dir_.str() + "/x.db";
  options.readers = 0;
  auto no_readers = Database::open_sqlite(options);
  ASSERT_FALSE(no_readers.ok());
  EXPECT_EQ(no_readers.error().code, ErrorCode::kValidation);
  options.readers = 1;
  options.commit_window = std::chrono::microseconds(-1);
  auto negative_window = Database::open_sqlite(options);
  ASSERT_FALSE(negative_window.ok());
  EXPECT_EQ(negative_window.error().field, "commit_window");
  options.commit_window = DatabaseOptions{}.commit_window;
  options.path = ":memory:";
  EXPECT_FALSE(Database::open_sqlite(options).ok());
  options.path = dir_.str() + "/x.db";
  auto ok = Database::open_sqlite(options);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE((*ok)->ready());  // nothing migrated yet
}

// Readers get the page cache asked for; the writer keeps SQLite's default
// (2 MiB: large webhook bodies must not stay cached); 0 is SQLite's default.
TEST_F(SqliteDatabaseTest, ReadersGetThePageCacheAskedFor) {
  auto cache_size = [](Database& db, bool write) -> int64_t {
    auto read_size = [](SqlSession& s) -> Result<int64_t> {
      OPZ_TRY(Rows rows, s.query("PRAGMA cache_size"));
      return rows.empty() ? int64_t{0} : rows[0]["cache_size"].as_int();
    };
    auto n = write ? db.write(read_size) : db.read(read_size);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  };
  EXPECT_EQ(cache_size(*db_, false), -16384) << "16 MiB, in KiB";
  EXPECT_EQ(cache_size(*db_, true), -2000) << "SQLite's default";
  DatabaseOptions options;
  options.path = dir_.str() + "/small.db";
  options.reader_cache_bytes = 0;
  auto small = Database::open_sqlite(options);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(cache_size(**small, false), -2000);
  options.reader_cache_bytes = -1;
  auto bad = Database::open_sqlite(options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "reader_cache_bytes");
}

TEST_F(SqliteDatabaseTest, WriteCommitsAndReadSeesIt) {
  auto id = db_->write([](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("INSERT INTO items (name) VALUES ($1) RETURNING id", {"a"}));
    return rows[0]["id"].as_int();
  });
  ASSERT_TRUE(id.ok());
  EXPECT_GT(*id, 0);
  EXPECT_EQ(count_items(), 1);
  EXPECT_EQ(db_->stats().writes_committed, 2u);  // the fixture's + this one
}

TEST_F(SqliteDatabaseTest, WriteRollsBackWhenTheBodyFails) {
  Status st = db_->write([](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('first')"));
    OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('second')"));
    return Error::validation("changed my mind");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "changed my mind");
  EXPECT_EQ(count_items(), 0);

  // A failing statement in the middle: the earlier insert goes too.
  auto r = db_->write([](SqlSession& s) -> Result<int> {
    OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('dup')"));
    OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('dup')"));
    return 1;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(count_items(), 0);
  EXPECT_EQ(db_->stats().writes_rolled_back, 2u);
}

TEST_F(SqliteDatabaseTest, WriteRollsBackAndRethrowsOnException) {
  EXPECT_THROW((void)db_->write([](SqlSession& s) -> Status {
    EXPECT_TRUE(s.exec("INSERT INTO items (name) VALUES ('x')").ok());
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count_items(), 0);
  // The writer is usable again (lock released, no transaction left open).
  Status st = db_->write([](SqlSession& s) -> Status {
    return s.exec("INSERT INTO items (name) VALUES ('y')").ok() ? Status()
                                                                : Error::internal("insert");
  });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(count_items(), 1);

  EXPECT_THROW((void)db_->read([](SqlSession&) -> Status { throw std::logic_error("r"); }),
               std::logic_error);
  EXPECT_EQ(count_items(), 1);  // the reader went back to the pool
}

TEST_F(SqliteDatabaseTest, FailedCommitIsAnErrorAndLeavesNothing) {
  // A deferred foreign key is checked at COMMIT: the body succeeds, COMMIT fails.
  ASSERT_TRUE(db_->write([](SqlSession& s) {
                   return s.exec_script(
                       "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                       "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER "
                       "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);");
                 })
                  .ok());
  auto r = db_->write([](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(int64_t n, s.exec("INSERT INTO child (id, parent_id) VALUES (1, 99)"));
    return n;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  auto left = db_->read([](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("SELECT count(*) FROM child"));
    return rows[0][size_t{0}].as_int();
  });
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, 0);
}

TEST_F(SqliteDatabaseTest, ReadersCannotWrite) {
  Status st = db_->read([](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('r')"));
    return {};
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(count_items(), 0);
}

TEST_F(SqliteDatabaseTest, NestedWriteIsAnErrorNotADeadlock) {
  Status st = db_->write(
      [&](SqlSession&) -> Status { return db_->write([](SqlSession&) -> Status { return {}; }); });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_NE(st.error().message.find("nested"), std::string::npos);
}

TEST_F(SqliteDatabaseTest, ReadIsASnapshotWhileTheWriterCommits) {
  std::promise<void> first_read_done;
  std::promise<void> write_committed;
  auto reader = std::async(std::launch::async, [&]() -> Result<std::pair<int64_t, int64_t>> {
    return db_->read([&](SqlSession& s) -> Result<std::pair<int64_t, int64_t>> {
      OPZ_TRY(Rows before, s.query("SELECT count(*) FROM items"));
      first_read_done.set_value();
      write_committed.get_future().wait();
      OPZ_TRY(Rows after, s.query("SELECT count(*) FROM items"));
      return std::make_pair(before[0][size_t{0}].as_int(), after[0][size_t{0}].as_int());
    });
  });
  first_read_done.get_future().wait();
  Status w = db_->write([](SqlSession& s) -> Status {
    for (int i = 0; i < 3; ++i) {
      OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ($1)", {"n" + std::to_string(i)}));
    }
    return {};
  });
  ASSERT_TRUE(w.ok()) << w.error().to_string();
  write_committed.set_value();
  auto counts = reader.get();
  ASSERT_TRUE(counts.ok()) << counts.error().to_string();
  EXPECT_EQ(counts->first, 0);
  EXPECT_EQ(counts->second, 0);  // same snapshot inside one read()
  EXPECT_EQ(count_items(), 3);   // a new read() sees the commit
}

TEST_F(SqliteDatabaseTest, ConcurrentReadersNeverSeeHalfAWrite) {
  // Every write inserts a pair; readers must always count an even number.
  std::atomic<bool> stop{false};
  std::atomic<int> odd{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto n = db_->read([](SqlSession& s) -> Result<int64_t> {
          OPZ_TRY(Rows rows, s.query("SELECT count(*) FROM items"));
          return rows[0][size_t{0}].as_int();
        });
        if (!n.ok() || *n % 2 != 0) ++odd;
        ++reads;
      }
    });
  }
  for (int i = 0; i < 100; ++i) {
    Status st = db_->write([&](SqlSession& s) -> Status {
      OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ($1)", {"a" + std::to_string(i)}));
      OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ($1)", {"b" + std::to_string(i)}));
      return {};
    });
    ASSERT_TRUE(st.ok());
  }
  EXPECT_TRUE(eventually([&] { return reads.load() >= 10; }));
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(odd.load(), 0);
  EXPECT_EQ(count_items(), 200);
}

TEST_F(SqliteDatabaseTest, WritersAreSerialized) {
  constexpr int kThreads = 4;
  constexpr int kIncrements = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        // Read-modify-write: lost updates would show if writes interleaved.
        Status st = db_->write([](SqlSession& s) -> Status {
          OPZ_TRY(Rows rows, s.query("SELECT n FROM counter WHERE id = 1"));
          OPZ_TRY_STATUS(
              s.exec("UPDATE counter SET n = $1 WHERE id = 1", {rows[0]["n"].as_int() + 1}));
          return {};
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = db_->read([](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("SELECT n FROM counter WHERE id = 1"));
    return rows[0]["n"].as_int();
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kThreads * kIncrements);
}

// Group commit: while one write runs, the others queue; the next batch runs
// them all in one transaction. A body that fails or throws undoes only its
// own rows and gets its own outcome; the rest commit.
TEST_F(SqliteDatabaseTest, QueuedWritesCommitTogetherAndFailAlone) {
  constexpr int kQueued = 8;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  auto holder = std::async(std::launch::async, [&] {
    return db_->write([&](SqlSession& s) -> Status {
      holding.set_value();
      released.wait();
      OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('holder')"));
      return {};
    });
  });
  holding.get_future().wait();
  const uint64_t transactions_before = db_->stats().write_transactions;
  std::vector<std::future<std::string>> queued;
  for (int i = 0; i < kQueued; ++i) {
    queued.push_back(std::async(std::launch::async, [&, i]() -> std::string {
      try {
        Status st = db_->write([i](SqlSession& s) -> Status {
          OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ($1)", {"w" + std::to_string(i)}));
          if (i == 3) return Error::validation("body 3 refuses");
          if (i == 5) throw std::runtime_error("body 5 throws");
          if (i == 6)  // a constraint error inside the batch: its own savepoint only
            OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('holder')"));
          return {};
        });
        return st.ok() ? "ok" : st.error().message;
      } catch (const std::exception& e) {
        return std::string("threw: ") + e.what();
      }
    }));
  }
  // Every writer is queued behind the holder before it lets go.
  for (int spin = 0; spin < 5000 && db_->stats().writes_queued < kQueued; ++spin)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(db_->stats().writes_queued, static_cast<uint64_t>(kQueued));
  release.set_value();
  ASSERT_TRUE(holder.get().ok());
  std::vector<std::string> outcomes;
  for (auto& f : queued) outcomes.push_back(f.get());
  for (int i = 0; i < kQueued; ++i) {
    if (i == 3) {
      EXPECT_EQ(outcomes[i], "body 3 refuses");
    } else if (i == 5) {
      EXPECT_EQ(outcomes[i], "threw: body 5 throws");
    } else if (i == 6) {
      EXPECT_NE(outcomes[i].find("already exists"), std::string::npos) << outcomes[i];
    } else {
      EXPECT_EQ(outcomes[i], "ok") << "body " << i;
    }
  }
  // One transaction for the holder, one for the whole queue.
  EXPECT_EQ(db_->stats().write_transactions - transactions_before, 1u);
  auto names = db_->read([](SqlSession& s) -> Result<std::vector<std::string>> {
    OPZ_TRY(Rows rows, s.query("SELECT name FROM items ORDER BY name"));
    std::vector<std::string> out;
    for (const Row& r : rows) out.push_back(r["name"].as_text());
    return out;
  });
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"holder", "w0", "w1", "w2", "w4", "w7"}));
}

Status insert_item(SqlSession& s, const std::string& name) {
  OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ($1)", {name}));
  return {};
}

// Holds the writer inside a write body until released (for queueing tests).
class WriterHold {
 public:
  explicit WriterHold(SqliteDatabase& db) {
    released_ = release_.get_future().share();
    result_ = std::async(std::launch::async, [this, &db] {
      return db.write([this](SqlSession& s) -> Status {
        holding_.set_value();
        released_.wait();
        return insert_item(s, "holder");
      });
    });
    holding_.get_future().wait();
  }
  Status release() {
    release_.set_value();
    return result_.get();
  }

 private:
  std::promise<void> release_;
  std::shared_future<void> released_;
  std::promise<void> holding_;
  std::future<Status> result_;
};

TEST_F(SqliteDatabaseTest, WriteAsyncCommitsThenCallsBackOnAnotherThread) {
  std::promise<std::pair<Status, std::thread::id>> called;
  db_->write_async([](SqlSession& s) { return insert_item(s, "async"); },
                   [&](Status st) {
                     called.set_value({st, std::this_thread::get_id()});
                   });
  auto [st, thread] = called.get_future().get();
  EXPECT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_NE(thread, std::this_thread::get_id());
  EXPECT_EQ(count_items(), 1);  // durable and visible when the callback runs
}

TEST_F(SqliteDatabaseTest, AsyncAndWaitingWritesShareABatchAndFailAlone) {
  WriterHold hold(*db_);
  const uint64_t transactions_before = db_->stats().write_transactions;
  std::vector<std::promise<Status>> answers(4);
  auto queue_async = [&](int i, std::function<Status(SqlSession&)> body) {
    db_->write_async(std::move(body), [&answers, i](Status st) { answers[i].set_value(st); });
  };
  queue_async(0, [](SqlSession& s) { return insert_item(s, "a0"); });
  queue_async(1, [](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(s.exec("INSERT INTO items (name) VALUES ('a1')"));
    return Error::validation("a1 refuses");
  });
  queue_async(2, [](SqlSession&) -> Status { throw std::runtime_error("a2 throws"); });
  // A caller that waits, queued between async writes.
  auto waiting = std::async(std::launch::async, [&] {
    return db_->write([](SqlSession& s) { return insert_item(s, "w"); });
  });
  ASSERT_TRUE(eventually([&] { return db_->stats().writes_queued == 4; }));
  queue_async(3, [](SqlSession& s) { return insert_item(s, "a3"); });
  ASSERT_TRUE(hold.release().ok());

  EXPECT_TRUE(answers[0].get_future().get().ok());
  Status refused = answers[1].get_future().get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "a1 refuses");
  Status threw = answers[2].get_future().get();
  ASSERT_FALSE(threw.ok());
  EXPECT_EQ(threw.error().code, ErrorCode::kInternal);
  EXPECT_NE(threw.error().message.find("a2 throws"), std::string::npos);
  EXPECT_TRUE(answers[3].get_future().get().ok());
  EXPECT_TRUE(waiting.get().ok());
  // The holder's transaction was already counted: the whole queue is one more.
  EXPECT_EQ(db_->stats().write_transactions - transactions_before, 1u);
  EXPECT_EQ(count_items(), 4);  // holder, a0, w, a3
}

// The group-commit window, with a window no test waits out (60 s): each wait
// below must end for another reason, within 10 s.
class CommitWindowTest : public SqliteDatabaseTest {
 protected:
  void SetUp() override {
    open(4, std::chrono::seconds(60));
    // A lone write commits at once: no batch ended just before it.
    std::promise<Status> lone;
    db_->write_async([](SqlSession& s) { return insert_item(s, "lone"); },
                     [&](Status st) { lone.set_value(st); });
    auto done = lone.get_future();
    ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    ASSERT_TRUE(done.get().ok());
    transactions_before_ = db_->stats().write_transactions;
  }

  // Queues an async insert of `name`; its answer comes on the future.
  std::future<Status> queue_insert(const std::string& name) {
    auto answer = std::make_shared<std::promise<Status>>();
    auto f = answer->get_future();
    db_->write_async([name](SqlSession& s) { return insert_item(s, name); },
                     [answer](Status st) { answer->set_value(st); });
    return f;
  }

  static bool ready(std::future<Status>& f) {
    return f.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  }

  uint64_t transactions_before_ = 0;
};

TEST_F(CommitWindowTest, AsyncWritesRightBehindACommitWaitForCompanyUntil64) {
  std::vector<std::future<Status>> answers;
  for (int i = 0; i < 64; ++i) answers.push_back(queue_insert("b" + std::to_string(i)));
  for (auto& a : answers) {
    ASSERT_TRUE(ready(a)) << "64 queued writes did not end the window";
    EXPECT_TRUE(a.get().ok());
  }
  EXPECT_EQ(db_->stats().write_transactions - transactions_before_, 1u);
  EXPECT_EQ(count_items(), 65);
}

TEST_F(CommitWindowTest, ACallerThatWaitsEndsTheWindowAndSharesTheCommit) {
  auto gathered = queue_insert("gathered");
  ASSERT_TRUE(eventually([&] { return db_->stats().writes_queued == 1; }));
  auto waiting = std::async(std::launch::async, [&] {
    return db_->write([](SqlSession& s) { return insert_item(s, "waiting"); });
  });
  ASSERT_EQ(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "a synchronous write waited out the window";
  EXPECT_TRUE(waiting.get().ok());
  ASSERT_TRUE(ready(gathered));
  EXPECT_TRUE(gathered.get().ok());
  EXPECT_EQ(db_->stats().write_transactions - transactions_before_, 1u);
}

TEST_F(CommitWindowTest, CloseEndsTheWindowAndCommitsWhatWaited) {
  auto gathered = queue_insert("gathered");
  ASSERT_TRUE(eventually([&] { return db_->stats().writes_queued == 1; }));
  auto closing = std::async(std::launch::async, [&] { db_->close(); });
  ASSERT_EQ(closing.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_TRUE(ready(gathered));
  EXPECT_TRUE(gathered.get().ok());
  open(4);
  EXPECT_EQ(count_items(), 2);
}

TEST_F(SqliteDatabaseTest, CloseRunsQueuedAsyncWritesThenRefusesNewOnes) {
  auto hold = std::make_unique<WriterHold>(*db_);
  std::promise<Status> queued;
  db_->write_async([](SqlSession& s) { return insert_item(s, "queued"); },
                   [&](Status st) { queued.set_value(st); });
  auto closing = std::async(std::launch::async, [&] { db_->close(); });
  // close() has begun (the committer has stopped) while the holder still runs.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(hold->release().ok());
  Status st = queued.get_future().get();
  EXPECT_TRUE(st.ok()) << st.error().to_string();
  closing.get();

  std::promise<Status> late;
  db_->write_async([](SqlSession&) -> Status { return {}; }, [&](Status s) { late.set_value(s); });
  Status refused = late.get_future().get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  open(4);  // the file holds what was committed before close()
  EXPECT_EQ(count_items(), 2);
}

TEST_F(SqliteDatabaseTest, ReadBlocksUntilAReaderIsFree) {
  open(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  auto holder = std::async(std::launch::async, [&] {
    return db_->read([&](SqlSession&) -> Status {
      holding.set_value();
      released.wait();
      return {};
    });
  });
  holding.get_future().wait();
  std::atomic<bool> second_ran{false};
  auto waiter = std::async(std::launch::async, [&] {
    return db_->read([&](SqlSession&) -> Status {
      second_ran = true;
      return {};
    });
  });
  ASSERT_TRUE(eventually([&] { return db_->stats().reader_waits == 1; }));
  EXPECT_FALSE(second_ran.load());
  release.set_value();
  EXPECT_TRUE(holder.get().ok());
  EXPECT_TRUE(waiter.get().ok());
  EXPECT_TRUE(second_ran.load());
}

TEST_F(SqliteDatabaseTest, CloseWaitsForLeasesThenRefusesWork) {
  std::promise<void> release;
  std::promise<void> holding;
  auto holder = std::async(std::launch::async, [&] {
    return db_->read([&](SqlSession& s) -> Status {
      holding.set_value();
      release.get_future().wait();
      return s.query("SELECT 1").ok() ? Status() : Error::internal("query after close started");
    });
  });
  holding.get_future().wait();
  std::atomic<bool> closed{false};
  auto closer = std::async(std::launch::async, [&] {
    db_->close();
    closed = true;
  });
  EXPECT_FALSE(closed.load());  // cannot finish while the lease is out
  release.set_value();
  EXPECT_TRUE(holder.get().ok());  // the lease finished on a live connection
  closer.get();
  EXPECT_TRUE(closed.load());
  Status w = db_->write([](SqlSession&) -> Status { return {}; });
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kUnavailable);
  Status r = db_->read([](SqlSession&) -> Status { return {}; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(db_->ready());
  db_->close();  // idempotent
}

TEST_F(SqliteDatabaseTest, DataSurvivesReopening) {
  ASSERT_TRUE(db_->write([](SqlSession& s) -> Status {
                   auto n = s.exec("INSERT INTO items (name) VALUES ('kept')");
                   return n.ok() ? Status() : n.error();
                 })
                  .ok());
  db_->close();
  open(2);
  EXPECT_EQ(count_items(), 1);
}

}  // namespace
}  // namespace opz::store
