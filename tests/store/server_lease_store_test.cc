#include "store/server_lease_store.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "store/build_execution.h"
#include "store/execution_store.h"
#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kTtl{30000};

class ServerLeaseStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<ServerLeaseStore>(*db_);
    project_ = create_project();
  }

  std::string add_execution(const std::string& status, const std::string& governance = "") {
    ExecutionRecord e = build_execution(project_, status, format_time(clock_.now()));
    e.governance_status = governance;
    ExecutionStore executions(*db_);
    auto st = executions.create(e, {});
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return e.id;
  }

  void renew(const std::string& server) {
    auto r = store_->renew(server, "host", 42, clock_.now(), kTtl);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }

  OwnerClaim claim(const std::string& execution, const std::string& server) {
    auto c = store_->claim(execution, server, clock_.now());
    EXPECT_TRUE(c.ok()) << c.error().to_string();
    return c.ok() ? *c : OwnerClaim{};
  }

  std::unique_ptr<ServerLeaseStore> store_;
  std::string project_;
};

TEST_F(ServerLeaseStoreTest, RenewalSaysWhenTheLeaseHadLapsed) {
  auto first = store_->renew("a", "host", 1, clock_.now(), kTtl);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->lapsed);
  clock_.advance(seconds(10));
  auto in_time = store_->renew("a", "host", 1, clock_.now(), kTtl);
  ASSERT_TRUE(in_time.ok());
  EXPECT_FALSE(in_time->lapsed);
  clock_.advance(seconds(31));
  auto late = store_->renew("a", "host", 1, clock_.now(), kTtl);
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->lapsed);
}

TEST_F(ServerLeaseStoreTest, ClaimTakesFreeOwnAndExpiredButNotLiveOthers) {
  const std::string e = add_execution("running");
  renew("a");
  renew("b");
  OwnerClaim first = claim(e, "a");
  EXPECT_TRUE(first.claimed);
  EXPECT_EQ(first.generation, 1);
  EXPECT_EQ(first.previous_owner, "");

  OwnerClaim again = claim(e, "a");  // its own: generation kept
  EXPECT_TRUE(again.claimed);
  EXPECT_EQ(again.generation, 1);
  EXPECT_EQ(again.previous_owner, "a");

  OwnerClaim refused = claim(e, "b");  // a is alive
  EXPECT_FALSE(refused.claimed);
  EXPECT_EQ(refused.owner, "a");
  EXPECT_EQ(refused.generation, 1);

  clock_.advance(seconds(31));  // a stops renewing; b keeps on
  renew("b");
  OwnerClaim takeover = claim(e, "b");
  EXPECT_TRUE(takeover.claimed);
  EXPECT_EQ(takeover.generation, 2);
  EXPECT_EQ(takeover.previous_owner, "a");

  auto owner = store_->owner_of(e, clock_.now());
  ASSERT_TRUE(owner.ok());
  ASSERT_TRUE(owner->has_value());
  EXPECT_EQ((*owner)->server_id, "b");
  EXPECT_EQ((*owner)->generation, 2);
  EXPECT_TRUE((*owner)->alive);
}

TEST_F(ServerLeaseStoreTest, OwnerOfSaysWhetherTheOwnerIsAlive) {
  const std::string e = add_execution("running");
  auto none = store_->owner_of(e, clock_.now());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  renew("a");
  claim(e, "a");
  clock_.advance(seconds(31));
  auto dead = store_->owner_of(e, clock_.now());
  ASSERT_TRUE(dead.ok());
  ASSERT_TRUE(dead->has_value());
  EXPECT_EQ((*dead)->server_id, "a");
  EXPECT_FALSE((*dead)->alive);
}

TEST_F(ServerLeaseStoreTest, OrphansAreUnfinishedUnheldExecutionsNobodyLiveRuns) {
  renew("a");
  renew("b");
  const std::string of_a = add_execution("running");
  const std::string of_b = add_execution("running");
  const std::string held = add_execution("paused", "waiting");
  const std::string admitted = add_execution("paused", "allowed");  // waits for release()
  const std::string unowned = add_execution("idle");
  const std::string done = add_execution("success");
  claim(of_a, "a");
  claim(of_b, "b");
  claim(done, "a");

  // Young unowned executions are their submitter's to claim.
  auto young = store_->orphaned(clock_.now(), clock_.now() - kTtl);
  ASSERT_TRUE(young.ok());
  EXPECT_TRUE(young->empty());

  clock_.advance(seconds(31));
  renew("b");
  auto orphans = store_->orphaned(clock_.now(), clock_.now() - kTtl);
  ASSERT_TRUE(orphans.ok());
  std::vector<std::string> want = {of_a, unowned};
  std::sort(want.begin(), want.end());
  std::vector<std::string> got = *orphans;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
  (void)held;
  (void)admitted;

  auto mine = store_->owned_by("b");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(*mine, (std::map<std::string, int64_t>{{of_b, 1}}));
}

TEST_F(ServerLeaseStoreTest, CommandsQueueForTheOwnerAndCarryItsAnswer) {
  const std::string e = add_execution("running");
  auto id = store_->enqueue_command(
      {e, "a", "cancel", Json{{"reason", "stop it"}}, "alice"}, clock_.now());
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  auto other = store_->enqueue_command({e, "b", "force_fail", Json::object(), "bob"},
                                       clock_.now());
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(store_->enqueue_command({e, "a", "explode", Json::object(), ""}, clock_.now()).ok());

  auto pending = store_->pending_commands("a");
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].id, *id);
  EXPECT_EQ((*pending)[0].kind, "cancel");
  EXPECT_EQ((*pending)[0].payload["reason"], "stop it");
  EXPECT_EQ((*pending)[0].actor, "alice");
  EXPECT_FALSE((*pending)[0].done);

  ASSERT_TRUE(store_->complete_command(*id, ok_status(), clock_.now()).ok());
  EXPECT_FALSE(store_->complete_command(*id, ok_status(), clock_.now()).ok());  // once
  auto done = store_->command(*id);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->done);
  EXPECT_TRUE(done->ok);
  auto none = store_->pending_commands("a");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  ASSERT_TRUE(
      store_->complete_command(*other, Error::conflict("execution is success"), clock_.now())
          .ok());
  auto refused = store_->command(*other);
  ASSERT_TRUE(refused.ok());
  EXPECT_TRUE(refused->done);
  EXPECT_FALSE(refused->ok);
  EXPECT_EQ(refused->error_code, error_code_name(ErrorCode::kConflict));
  EXPECT_EQ(refused->error_message, "execution is success");
  EXPECT_EQ(store_->command(99999).error().code, ErrorCode::kNotFound);
}

TEST_F(ServerLeaseStoreTest, OneLeaderUntilItsTermRunsOut) {
  auto a = store_->try_lead("scheduler", "a", clock_.now(), kTtl);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(*a);
  auto b = store_->try_lead("scheduler", "b", clock_.now(), kTtl);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(*b);
  clock_.advance(seconds(20));
  EXPECT_TRUE(*store_->try_lead("scheduler", "a", clock_.now(), kTtl));  // renewed
  clock_.advance(seconds(20));
  EXPECT_FALSE(*store_->try_lead("scheduler", "b", clock_.now(), kTtl));
  clock_.advance(seconds(11));
  EXPECT_TRUE(*store_->try_lead("scheduler", "b", clock_.now(), kTtl));
  EXPECT_FALSE(*store_->try_lead("scheduler", "a", clock_.now(), kTtl));
}

}  // namespace
}  // namespace opz::store
