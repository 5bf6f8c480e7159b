#include "store/approval_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

class ApprovalStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    project_ = create_project();
    store_ = std::make_unique<ApprovalStore>(*db_, clock_);
  }

  std::string add_execution(const std::string& id, const std::string& sha = "abc123") {
    EXPECT_TRUE(db_->write([&](SqlSession& s) -> Status {
                     OPZ_TRY_STATUS(s.exec(
                         "INSERT INTO executions (id, name, project_id, commit_hash, started_by, "
                         "created_at, updated_at) VALUES ($1, 'x', $2, $3, 'starter', "
                         "'2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')",
                         {id, project_, sha}));
                     return {};
                   }).ok());
    return id;
  }

  ApprovalRecord request(const std::string& execution, int required = 2) {
    ApprovalRecord a;
    a.execution_id = execution;
    a.environment = "Production";
    a.required_approvals = required;
    a.requested_by = "starter";
    a.commit_sha = "abc123";
    return a;
  }

  // Approved when `required` distinct approvals are in; any rejection rejects.
  static VoteRules counting_rules() {
    VoteRules rules;
    rules.check = [](const ApprovalRecord& r) -> Status {
      if (r.status != "pending") return Error::conflict("not pending");
      return {};
    };
    rules.decide = [](const ApprovalRecord& r) {
      int approvals = 0;
      for (const auto& v : r.votes) {
        if (!v.approve) return std::string("rejected");
        ++approvals;
      }
      return std::string(approvals >= r.required_approvals ? "approved" : "pending");
    };
    return rules;
  }

  ApprovalVoteRecord vote(const std::string& user, bool approve = true) {
    ApprovalVoteRecord v;
    v.user_id = user;
    v.approve = approve;
    return v;
  }

  std::string project_;
  std::unique_ptr<ApprovalStore> store_;
};

TEST_F(ApprovalStoreTest, CreateFindsWithDefaultsAndCommitFromExecution) {
  add_execution("e1", "deadbeef");
  ApprovalRecord r = request("e1");
  r.commit_sha.clear();
  r.reviewers = Json::array({Json{{"kind", "role"}, {"id", "admin"}}});
  r.expires_at = "2030-01-01T00:00:00.000Z";
  auto a = store_->create(r);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a->status, "pending");
  EXPECT_EQ(a->commit_sha, "deadbeef");
  EXPECT_EQ(a->project_id, project_);
  EXPECT_EQ(a->reviewers.size(), 1u);
  EXPECT_TRUE(a->prevent_self_approval);
  EXPECT_EQ(a->expires_at, "2030-01-01T00:00:00.000Z");
  auto again = store_->create(request("e1"));
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is_conflict());  // one pending request per gate
  EXPECT_TRUE(store_->find("nope").error().is_not_found());
}

TEST_F(ApprovalStoreTest, ListFiltersOldestFirstWithKeysetPages) {
  for (int i = 0; i < 5; ++i) {
    add_execution("e" + std::to_string(i));
    clock_.advance(std::chrono::seconds(1));
    ASSERT_TRUE(store_->create(request("e" + std::to_string(i))).ok());
  }
  ApprovalFilter f;
  f.status = "pending";
  PageRequest page;
  page.limit = 2;
  std::vector<std::string> seen;
  for (int guard = 0; guard < 5; ++guard) {
    auto p = store_->list(f, page);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    for (const auto& a : p->items) seen.push_back(a.execution_id);
    if (!p->next_cursor) break;
    page.cursor = *p->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"e0", "e1", "e2", "e3", "e4"}));
  f.execution_id = "e3";
  EXPECT_EQ(store_->list(f, {})->items.size(), 1u);
  f = {};
  f.project_id = "other";
  EXPECT_TRUE(store_->list(f, {})->items.empty());
}

TEST_F(ApprovalStoreTest, VotesDecideOnceAndRefusalsWriteNothing) {
  add_execution("e1");
  auto a = store_->create(request("e1"));
  ASSERT_TRUE(a.ok());
  auto first = store_->vote(a->id, vote("u1"), counting_rules());
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_FALSE(first->decided);
  EXPECT_EQ(first->request.status, "pending");
  auto twice = store_->vote(a->id, vote("u1"), counting_rules());
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(twice.error().is_conflict());  // UNIQUE(approval_request_id, user_id)
  auto second = store_->vote(a->id, vote("u2"), counting_rules());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->decided);
  EXPECT_EQ(second->request.status, "approved");
  EXPECT_EQ(second->request.decided_by, "u2");
  EXPECT_EQ(second->request.votes.size(), 2u);
  auto late = store_->vote(a->id, vote("u3"), counting_rules());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(store_->find(a->id)->votes.size(), 2u);
}

TEST_F(ApprovalStoreTest, AfterHookRunsInTheVoteTransaction) {
  add_execution("e1");
  auto a = store_->create(request("e1", 1));
  VoteRules rules = counting_rules();
  rules.after = [](SqlSession&, const VoteOutcome&) -> Status {
    return Error::internal("audit failed");
  };
  ASSERT_FALSE(store_->vote(a->id, vote("u1"), rules).ok());
  auto now = store_->find(a->id);
  EXPECT_EQ(now->status, "pending");
  EXPECT_TRUE(now->votes.empty());
}

TEST_F(ApprovalStoreTest, ConcurrentApprovalsDecideExactlyOnce) {
  add_execution("e1");
  auto a = store_->create(request("e1", 2));
  ASSERT_TRUE(a.ok());
  std::atomic<int> decided{0}, accepted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = store_->vote(a->id, vote("user" + std::to_string(i)), counting_rules());
      if (r.ok()) {
        ++accepted;
        if (r->decided) ++decided;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(decided.load(), 1);
  EXPECT_EQ(accepted.load(), 2);  // later votes find it decided
  auto after = store_->find(a->id);
  EXPECT_EQ(after->status, "approved");
  EXPECT_EQ(after->votes.size(), 2u);
}

TEST_F(ApprovalStoreTest, ExpireDueAndResolveOnlyFromPending) {
  add_execution("e1");
  add_execution("e2");
  ApprovalRecord r = request("e1");
  r.expires_at = "2000-01-01T00:00:00.000Z";
  auto due = store_->create(r);
  auto open = store_->create(request("e2"));
  auto expired = store_->expire_due();
  ASSERT_TRUE(expired.ok());
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].id, due->id);
  EXPECT_EQ(store_->find(due->id)->status, "expired");
  auto moved = db_->write([&](SqlSession& tx) {
    return store_->resolve_in(tx, open->id, "superseded", "");
  });
  EXPECT_TRUE(*moved);
  auto again = db_->write([&](SqlSession& tx) {
    return store_->resolve_in(tx, open->id, "approved", "u");
  });
  EXPECT_FALSE(*again);
  EXPECT_EQ(store_->find(open->id)->status, "superseded");
}

TEST_F(ApprovalStoreTest, SeedsApprovalGateQueryWorks) {
  add_execution("e1");
  auto a = store_->create(request("e1"));
  ASSERT_TRUE(store_->vote(a->id, vote("u1"), counting_rules()).ok());
  auto rows = db_->read([&](SqlSession& s) {
    return s.query(
        "SELECT ar.*, COUNT(av.id) as vote_count, SUM(CASE WHEN av.vote THEN 1 ELSE 0 END) as "
        "approvals FROM approval_requests ar LEFT JOIN approval_votes av ON ar.id = "
        "av.approval_request_id WHERE ar.execution_id = 'e1' GROUP BY ar.id");
  });
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0]["vote_count"].as_int(), 1);
  EXPECT_EQ((*rows)[0]["approvals"].as_int(), 1);
}

}  // namespace
}  // namespace opz::store
