#include "store/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite_database.h"
#include "support/temp_dir.h"

namespace opz::store {
namespace {

namespace fs = std::filesystem;

// Spins (yielding, no sleeps) until `done` holds or 10 s pass.
template <typename F>
bool eventually(F done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

constexpr int kRows = 50;
constexpr size_t kBlob = 8192;  // two pages and more per row

Status insert_blobs(SqlSession& s) {
  OPZ_TRY(int64_t n, s.exec("CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, b BLOB)"));
  (void)n;
  return {};
}

// Row i: an 8 KB blob, written in a transaction of its own by the caller.
Status insert_blob(SqlSession& s, int i) {
  OPZ_TRY(int64_t n, s.exec("INSERT INTO blobs (id, b) VALUES ($1, zeroblob($2))",
                            {int64_t{i}, static_cast<int64_t>(kBlob)}));
  (void)n;
  return {};
}

class WalCheckpointerTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.str() + "/db.sqlite"; }
  uintmax_t db_file_size() const { return fs::file_size(path()); }
  // A database at path() with one reader and the given checkpoint threshold.
  std::unique_ptr<SqliteDatabase> open_db(int checkpoint_pages) const {
    DatabaseOptions options;
    options.path = path();
    options.readers = 1;
    options.checkpoint_pages = checkpoint_pages;
    auto opened = SqliteDatabase::open(options);
    EXPECT_TRUE(opened.ok()) << opened.error().to_string();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  opz::testing::TempDir dir_;
};

// The log passes the threshold: the thread copies it into the database file,
// and the commits did not (they are SqliteDatabase's, whose writer has no
// auto-checkpoint any more: with SQLite's 1,000 pages nothing would be copied
// from these ~150 pages yet).
TEST_F(WalCheckpointerTest, CopiesTheLogIntoTheDatabaseOnceItPassesTheThreshold) {
  std::unique_ptr<SqliteDatabase> db = open_db(16);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write(insert_blobs).ok());
  const uintmax_t before = db_file_size();
  for (int i = 0; i < kRows; ++i) {
    Status st = db->write([&](SqlSession& s) { return insert_blob(s, i); });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }
  EXPECT_TRUE(eventually([&] { return db->stats().checkpoints >= 1; }));
  EXPECT_TRUE(eventually([&] { return db_file_size() >= before + (kRows - 10) * kBlob; }))
      << "database file: " << db_file_size() << " bytes";
  auto n = db->read([](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("SELECT count(*) AS n, sum(length(b)) AS bytes FROM blobs"));
    return rows[0]["bytes"].as_int();
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, static_cast<int64_t>(kRows * kBlob));
}

// Off (checkpoint_pages 0): SQLite's own auto-checkpoint stays, and below its
// 1,000 pages the log is not copied: the contrast that makes the test above
// able to fail.
TEST_F(WalCheckpointerTest, WithoutItTheLogStaysInTheWalBelowSqlitesThreshold) {
  std::unique_ptr<SqliteDatabase> db = open_db(0);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write(insert_blobs).ok());
  const uintmax_t before = db_file_size();
  for (int i = 0; i < kRows; ++i) {
    ASSERT_TRUE(db->write([&](SqlSession& s) { return insert_blob(s, i); }).ok());
  }
  EXPECT_EQ(db->stats().checkpoints, 0u);
  EXPECT_LT(db_file_size(), before + kBlob);
}

// The thread never asked (threshold out of reach): the commit that finds the
// log at the back-stop checkpoints itself, so the log stays bounded.
TEST_F(WalCheckpointerTest, TheBackstopCheckpointsOnTheCommitWhenTheLogGrowsTooLong) {
  SqliteSessionOptions connection;
  connection.path = path();
  auto writer = SqliteSession::open(connection);
  ASSERT_TRUE(writer.ok()) << writer.error().to_string();
  WalCheckpointerOptions options;
  options.threshold_pages = 1 << 30;
  options.backstop_pages = 16;
  auto c = WalCheckpointer::start(**writer, connection, options);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  ASSERT_TRUE(insert_blobs(**writer).ok());
  const uintmax_t before = db_file_size();
  for (int i = 0; i < kRows; ++i) {
    ASSERT_TRUE(insert_blob(**writer, i).ok());
  }
  EXPECT_GE((*c)->backstop_checkpoints(), 1u);
  EXPECT_EQ((*c)->checkpoints(), 0u);
  EXPECT_GE(db_file_size(), before + (kRows - 10) * kBlob);
  c->reset();  // unhooks before the writer closes
}

TEST_F(WalCheckpointerTest, RefusesAThresholdBelowOnePage) {
  SqliteSessionOptions connection;
  connection.path = path();
  auto writer = SqliteSession::open(connection);
  ASSERT_TRUE(writer.ok());
  WalCheckpointerOptions options;
  options.threshold_pages = 0;
  auto c = WalCheckpointer::start(**writer, connection, options);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "checkpoint_pages");
}

}  // namespace
}  // namespace opz::store
