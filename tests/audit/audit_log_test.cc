#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "audit/audit_chain.h"
#include "store/migrated_db_test.h"

namespace opz::audit {
namespace {

class AuditLogTest : public store::MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    log_ = std::make_unique<AuditLog>(*db_, clock_);
  }
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, RecordsEveryFieldAndListsItWithItsChainPosition) {
  ASSERT_TRUE(log_->record({"project.created", "project", "p1", "u1", Json{{"name", "P"}},
                            "127.0.0.1:5000", "curl/8.0"})
                  .ok());
  ASSERT_TRUE(log_->record({"auth.login_failed", "profile", "", "", Json{{"email", "a@b"}}, ""}).ok());
  auto page = log_->list({}, {});
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  ASSERT_EQ(page->items.size(), 2u);
  const AuditRecord& first = page->items[1];  // newest first; same created_at, id order
  const AuditRecord& created = first.entry.action == "project.created" ? first : page->items[0];
  EXPECT_EQ(created.entry.user_agent, "curl/8.0");
  EXPECT_EQ(created.entry.ip_address, "127.0.0.1:5000");
  EXPECT_EQ(created.entry.details["name"], "P");
  EXPECT_EQ(created.seq, 1);
  EXPECT_EQ(created.prev_hash, store::kGenesisHash);
  EXPECT_EQ(created.hash.size(), 64u);
  Json j = to_json(created);
  EXPECT_EQ(j["seq"], 1);
  EXPECT_EQ(j["user_agent"], "curl/8.0");
  EXPECT_EQ(j["hash"], created.hash);
  EXPECT_EQ(j["prev_hash"], std::string(store::kGenesisHash));
  const AuditRecord& failed = &created == &page->items[0] ? page->items[1] : page->items[0];
  EXPECT_TRUE(to_json(failed)["user_agent"].is_null());
  EXPECT_TRUE(to_json(failed)["user_id"].is_null());
}

TEST_F(AuditLogTest, ManyThreadsRecordingThroughTheWriterLeaveAnIntactChain) {
  // Plain records, records inside bigger transactions, and records whose
  // transaction fails afterwards (rolled back in its savepoint) all at once.
  constexpr int kThreads = 12, kEach = 60;
  std::atomic<int> stored{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        AuditEntry e{"thing.done", "thing", std::to_string(t), "u" + std::to_string(t),
                     Json{{"i", i}}, "", "agent/" + std::to_string(t)};
        Status st;
        switch ((t + i) % 3) {
          case 0:
            st = log_->record(e);
            break;
          case 1:
            st = db_->write([&](store::SqlSession& tx) -> Status {
              OPZ_TRY_STATUS(log_->record_in(tx, e));
              return log_->record_in(tx, e);  // two rows in one transaction
            });
            if (st.ok()) ++stored;
            break;
          default:
            st = db_->write([&](store::SqlSession& tx) -> Status {
              OPZ_TRY_STATUS(log_->record_in(tx, e));
              return Error::conflict("the audited change failed");
            });
            break;
        }
        if (st.ok()) ++stored;
      }
    });
  }
  for (auto& th : threads) th.join();
  store::AuditStore store(*db_, clock_);
  auto rows = store.chain();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(static_cast<int>(rows->size()), stored.load());
  ChainReport report = verify_chain(*rows);
  EXPECT_TRUE(report.intact()) << report.summary();
  EXPECT_EQ(report.entries, rows->size());

  // And the check can fail: one edited row breaks it there.
  ASSERT_TRUE(db_->write([](store::SqlSession& s) -> Status {
                   OPZ_TRY_STATUS(s.exec("UPDATE audit_logs SET details = '{\"i\":-1}' WHERE seq = 7"));
                   return {};
                 }).ok());
  auto edited = store.chain();
  ASSERT_TRUE(edited.ok());
  ChainReport after = verify_chain(*edited);
  ASSERT_FALSE(after.intact());
  EXPECT_EQ(after.first_break->seq, 7);
  EXPECT_EQ(after.first_break->fault, ChainFault::kEdited);
}

TEST_F(AuditLogTest, FiltersByTime) {
  ASSERT_TRUE(log_->record({"a", "thing", "1", "u1", Json::object(), ""}).ok());
  clock_.advance(std::chrono::hours(1));
  ASSERT_TRUE(log_->record({"b", "thing", "1", "u1", Json::object(), ""}).ok());
  AuditFilter f;
  f.from = "2023-11-14T23:00:00.000Z";
  auto page = log_->list(f, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].entry.action, "b");
  f = {};
  f.to = "2023-11-14T23:00:00.000Z";
  page = log_->list(f, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].entry.action, "a");
}

}  // namespace
}  // namespace opz::audit
