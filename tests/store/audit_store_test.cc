#include "store/audit_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "migrated_db_test.h"
#include "store/migrations.h"
#include "store/migrator.h"

namespace opz::store {
namespace {

class AuditStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<AuditStore>(*db_, clock_);
  }
  static AuditLogRecord row(const std::string& action, const std::string& user = "u1") {
    AuditLogRecord r;
    r.action = action;
    r.resource_type = "project";
    r.resource_id = "p1";
    r.user_id = user;
    r.details = R"({"b":"x","a":1})";
    return r;
  }
  // Every row links to the one before it and hashes to its stored hash.
  void expect_linked(const std::vector<AuditLogRecord>& rows) {
    std::string prev(kGenesisHash);
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i + 1));
      EXPECT_EQ(rows[i].prev_hash, prev) << "seq " << rows[i].seq;
      EXPECT_EQ(rows[i].hash, audit_row_hash(rows[i].prev_hash, rows[i])) << "seq " << rows[i].seq;
      prev = rows[i].hash;
    }
  }
  std::unique_ptr<AuditStore> store_;
};

TEST(AuditCanonicalRow, IsSortedCompactJsonWithNullForEmptyTextsAndAKnownHash) {
  AuditLogRecord r;
  r.seq = 1;
  r.id = "id-1";
  r.action = "project.created";
  r.resource_type = "project";
  r.resource_id = "p1";
  r.user_id = "u1";
  r.details = "{ \"b\": \"x\", \"a\": 1 }";
  r.user_agent = "curl/8";
  r.created_at = "2024-01-15T10:30:00.000Z";
  EXPECT_EQ(audit_canonical_row(r),
            R"({"action":"project.created","created_at":"2024-01-15T10:30:00.000Z",)"
            R"("details":{"a":1,"b":"x"},"id":"id-1","ip_address":null,"resource_id":"p1",)"
            R"("resource_type":"project","seq":1,"user_agent":"curl/8","user_id":"u1"})");
  // printf '%s' "<64 zeros><canonical row>" | sha256sum
  EXPECT_EQ(audit_row_hash(kGenesisHash, r),
            "ecb30f64707c5e9f02048851b8b885e528e19146bd42b60ec99d3ff7ad8955a5");
  AuditLogRecord other = r;
  other.seq = 2;
  EXPECT_NE(audit_row_hash(kGenesisHash, other), audit_row_hash(kGenesisHash, r));
}

TEST_F(AuditStoreTest, AppendsChainFromGenesisInSeqOrder) {
  for (int i = 0; i < 5; ++i) {
    auto stored = store_->append(row("a" + std::to_string(i)));
    ASSERT_TRUE(stored.ok()) << stored.error().to_string();
    EXPECT_EQ(stored->seq, i + 1);
    EXPECT_FALSE(stored->id.empty());
    EXPECT_EQ(stored->created_at, "2023-11-14T22:13:20.000Z");
  }
  auto rows = store_->chain();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ((*rows)[0].prev_hash, kGenesisHash);
  EXPECT_EQ((*rows)[2].action, "a2");
  EXPECT_EQ((*rows)[2].details, R"({"b":"x","a":1})");
  expect_linked(*rows);
  auto range = store_->chain(2, 3);
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->size(), 2u);
  EXPECT_EQ((*range)[0].seq, 2);
  EXPECT_EQ((*range)[0].prev_hash, (*rows)[0].hash);
}

TEST_F(AuditStoreTest, ARolledBackAppendLeavesNoGapAndNoStaleTail) {
  ASSERT_TRUE(store_->append(row("first")).ok());
  Status undone = db_->write([&](SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(store_->append_in(tx, row("undone")));
    return Error::conflict("the change it described failed");
  });
  EXPECT_FALSE(undone.ok());
  auto next = store_->append(row("second"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->seq, 2);
  auto rows = store_->chain();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  expect_linked(*rows);
}

TEST_F(AuditStoreTest, GroupCommittedWritesWithSavepointRollbacksKeepTheChainLinked) {
  // Bodies that fail after appending run in batches beside ones that commit:
  // their savepoints roll back and the next body must chain after the last
  // row that stays.
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> committed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const bool fail = (i + t) % 3 == 0;
        Status st = db_->write([&](SqlSession& tx) -> Status {
          OPZ_TRY_STATUS(store_->append_in(tx, row("t" + std::to_string(t))));
          if (fail) return Error::validation("refused");
          return {};
        });
        if (st.ok()) ++committed;
      }
    });
  }
  for (auto& th : threads) th.join();
  auto rows = store_->chain();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(static_cast<int>(rows->size()), committed.load());
  expect_linked(*rows);
}

TEST_F(AuditStoreTest, ListFiltersByTimeAndPagesNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->append(row("a" + std::to_string(i), i % 2 ? "u2" : "u1")).ok());
    clock_.advance(std::chrono::minutes(1));
  }
  AuditLogFilter f;
  f.from = "2023-11-14T22:14:20.000Z";  // the second row
  f.to = "2023-11-14T22:16:20.000Z";    // the fourth
  auto page = store_->list(f, {"", 2});
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].action, "a3");
  EXPECT_EQ(page->items[1].action, "a2");
  ASSERT_TRUE(page->next_cursor);
  auto rest = store_->list(f, {*page->next_cursor, 2});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].action, "a1");
  EXPECT_EQ(rest->items[0].seq, 2);
  EXPECT_FALSE(rest->next_cursor);
  auto mine = store_->list({.user_id = "u2"}, {});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->items.size(), 2u);
}

TEST_F(AuditStoreTest, ReadsAFileReadOnlyAndNeverCreatesOne) {
  // read_chain_file opens a SQLite file (`opzenix audit verify --data-dir`).
  if (on_postgres()) GTEST_SKIP() << "reads a SQLite database file";
  ASSERT_TRUE(store_->append(row("a")).ok());
  ASSERT_TRUE(store_->append(row("b")).ok());
  auto rows = AuditStore::read_chain_file(dir_.str() + "/t.db", 0, 0);
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 2u);
  expect_linked(*rows);
  const std::string missing = dir_.str() + "/missing.db";
  EXPECT_FALSE(AuditStore::read_chain_file(missing, 0, 0).ok());
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST(AuditStoreMigration, RowsWrittenBefore004GetSeqInTimeOrderAndAreChainedByTheFirstAppend) {
  opz::testing::TempDir dir;
  auto db = Database::open_sqlite({.path = dir.str() + "/t.db"});
  ASSERT_TRUE(db.ok());
  ManualClock clock;
  std::vector<Migration> before;
  for (const Migration& m : embedded_migrations())
    if (m.name < "004") before.push_back(m);
  ASSERT_TRUE(Migrator(**db, before, clock).apply().ok());
  ASSERT_TRUE((*db)->write([](SqlSession& s) -> Status {
                      for (const char* sql :
                           {"INSERT INTO audit_logs (id, action, resource_type, details, created_at) "
                            "VALUES ('b', 'old.second', 'project', '{}', '2024-01-02T00:00:00.000Z')",
                            "INSERT INTO audit_logs (id, action, resource_type, details, created_at) "
                            "VALUES ('a', 'old.first', 'project', '{}', '2024-01-01T00:00:00.000Z')"})
                        OPZ_TRY_STATUS(s.exec(sql));
                      return {};
                    }).ok());
  ASSERT_TRUE((*db)->migrate().ok());
  AuditStore store(**db, clock);
  auto legacy = store.chain();
  ASSERT_TRUE(legacy.ok()) << legacy.error().to_string();
  ASSERT_EQ(legacy->size(), 2u);
  EXPECT_EQ((*legacy)[0].id, "a");
  EXPECT_EQ((*legacy)[0].seq, 1);
  EXPECT_EQ((*legacy)[1].seq, 2);
  EXPECT_TRUE((*legacy)[0].hash.empty()) << "chained by the first append, not the migration";

  auto appended = store.append({.action = "new", .resource_type = "project"});
  ASSERT_TRUE(appended.ok()) << appended.error().to_string();
  EXPECT_EQ(appended->seq, 3);
  auto rows = store.chain();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  std::string prev(kGenesisHash);
  for (const AuditLogRecord& r : *rows) {
    EXPECT_EQ(r.prev_hash, prev);
    EXPECT_EQ(r.hash, audit_row_hash(prev, r));
    prev = r.hash;
  }
}

}  // namespace
}  // namespace opz::store
