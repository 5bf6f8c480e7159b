#include "store/agent_store.h"

#include <gtest/gtest.h>

#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class AgentStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<AgentStore>(*db_, clock_);
    ASSERT_TRUE(store_->create_registration_token("reg-hash", "admin", seconds(3600)).ok());
  }

  AgentRecord add_agent(const std::string& name, std::vector<std::string> labels,
                        int64_t concurrency = 1) {
    auto a = store_->register_agent(
        {"reg-hash", "tok-" + name, name, std::move(labels), concurrency, "1.0"});
    EXPECT_TRUE(a.ok()) << a.error().to_string();
    return a.ok() ? *a : AgentRecord{};
  }

  std::string add_job(std::vector<std::string> runs_on, const std::string& node = "build") {
    auto id = store_->enqueue({"exec-1", node, 1, Json{{"command", "make"}}, std::move(runs_on)});
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : std::string();
  }

  std::unique_ptr<AgentStore> store_;
};

TEST_F(AgentStoreTest, RegistrationNeedsAValidUnexpiredToken) {
  auto bad = store_->register_agent({"nope", "t1", "a", {"linux"}, 1, ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kUnauthenticated);
  AgentRecord a = add_agent("a", {"linux", "docker"}, 2);
  EXPECT_EQ(a.status, "online");
  EXPECT_EQ(a.labels, (std::vector<std::string>{"linux", "docker"}));
  EXPECT_EQ(a.concurrency, 2);
  clock_.advance(seconds(3601));
  auto late = store_->register_agent({"reg-hash", "t2", "b", {}, 1, ""});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AgentStoreTest, AuthenticatesByTokenHashAndRefusesDisabledAgents) {
  AgentRecord a = add_agent("a", {"linux"});
  auto found = store_->authenticate("tok-a");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, a.id);
  EXPECT_FALSE(store_->authenticate("tok-x").ok());
  ASSERT_TRUE(store_->disable_agent(a.id).ok());
  auto refused = store_->authenticate("tok-a");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AgentStoreTest, ClaimTakesTheOldestJobWhoseLabelsTheAgentHas) {
  AgentRecord linux = add_agent("l", {"linux"}, 5);
  const std::string gpu = add_job({"linux", "gpu"}, "train");
  const std::string first = add_job({"linux"}, "build");
  const std::string second = add_job({}, "test");
  auto c1 = store_->claim(linux, seconds(30));
  ASSERT_TRUE(c1.ok() && c1->has_value()) << (c1.ok() ? std::string("none") : c1.error().to_string());
  EXPECT_EQ((*c1)->id, first);
  EXPECT_EQ((*c1)->status, "leased");
  EXPECT_EQ((*c1)->generation, 1);
  EXPECT_EQ((*c1)->agent_id, linux.id);
  auto c2 = store_->claim(linux, seconds(30));
  ASSERT_TRUE(c2.ok() && c2->has_value());
  EXPECT_EQ((*c2)->id, second);
  auto c3 = store_->claim(linux, seconds(30));
  ASSERT_TRUE(c3.ok());
  EXPECT_FALSE(c3->has_value()) << "the gpu job needs a label the agent lacks";
  EXPECT_EQ(store_->find_job(gpu)->status, "queued");
  EXPECT_TRUE(*store_->has_online_match({"linux"}));
  EXPECT_FALSE(*store_->has_online_match({"linux", "gpu"}));
}

TEST_F(AgentStoreTest, ClaimRespectsTheAgentsConcurrency) {
  AgentRecord a = add_agent("a", {}, 1);
  add_job({});
  add_job({});
  ASSERT_TRUE(store_->claim(a, seconds(30))->has_value());
  EXPECT_FALSE(store_->claim(a, seconds(30))->has_value());
}

TEST_F(AgentStoreTest, StaleGenerationsAreFencedOnEveryReport) {
  AgentRecord a = add_agent("a", {});
  AgentRecord b = add_agent("b", {});
  const std::string job = add_job({});
  auto c = store_->claim(a, seconds(30));
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_TRUE(store_->heartbeat(a.id, job, 1, seconds(30)).ok());
  EXPECT_TRUE(store_->check_lease(a.id, job, 1).ok());
  auto wrong_gen = store_->heartbeat(a.id, job, 2, seconds(30));
  ASSERT_FALSE(wrong_gen.ok());
  EXPECT_EQ(wrong_gen.error().code, ErrorCode::kConflict);
  EXPECT_EQ(wrong_gen.error().field, "generation");
  auto wrong_agent = store_->complete(b.id, job, 1, 0, true, Json::object());
  ASSERT_FALSE(wrong_agent.ok());
  EXPECT_EQ(wrong_agent.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->find_job(job)->status, "leased");
}

TEST_F(AgentStoreTest, CompleteIsIdempotentForTheSameGeneration) {
  AgentRecord a = add_agent("a", {});
  const std::string job = add_job({});
  ASSERT_TRUE(store_->claim(a, seconds(30))->has_value());
  auto done = store_->complete(a.id, job, 1, 3, false, Json{{"exit_code", 3}});
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_TRUE(done->first_time);
  EXPECT_EQ(done->job.status, "failed");
  EXPECT_EQ(done->job.exit_code, 3);
  auto again = store_->complete(a.id, job, 1, 3, false, Json{{"exit_code", 3}});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->first_time);
  EXPECT_EQ(again->job.status, "failed");
}

TEST_F(AgentStoreTest, SilentAgentsAreLostWithTheirJobsAndLateResultsRefused) {
  AgentRecord a = add_agent("quiet", {});
  AgentRecord b = add_agent("chatty", {});
  const std::string ja = add_job({});
  const std::string jb = add_job({});
  ASSERT_TRUE(store_->claim(a, seconds(30))->has_value());
  ASSERT_TRUE(store_->claim(b, seconds(30))->has_value());
  clock_.advance(seconds(20));
  ASSERT_TRUE(store_->authenticate("tok-chatty").ok());
  ASSERT_TRUE(store_->heartbeat(b.id, jb, 1, seconds(30)).ok());
  auto none = store_->expire(seconds(30));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  clock_.advance(seconds(11));
  auto lost = store_->expire(seconds(30));
  ASSERT_TRUE(lost.ok());
  ASSERT_EQ(lost->size(), 1u);
  EXPECT_EQ((*lost)[0].job_id, ja);
  EXPECT_EQ((*lost)[0].agent_name, "quiet");
  EXPECT_EQ(store_->find_job(ja)->status, "lost");
  EXPECT_EQ(store_->find_job(jb)->status, "leased");
  auto late = store_->complete(a.id, ja, 1, 0, true, Json::object());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->find_job(ja)->status, "lost");
  auto agents = store_->list_agents();
  ASSERT_TRUE(agents.ok());
  ASSERT_EQ(agents->size(), 2u);
  EXPECT_EQ((*agents)[0].name, "chatty");
  EXPECT_EQ((*agents)[0].running_jobs, 1);
  ASSERT_EQ((*agents)[0].running.size(), 1u);
  EXPECT_EQ((*agents)[0].running[0].id, jb);
  EXPECT_EQ((*agents)[0].running[0].attempt, store_->find_job(jb)->attempt);
  EXPECT_EQ((*agents)[0].running[0].execution_id, store_->find_job(jb)->execution_id);
  EXPECT_EQ((*agents)[1].status, "lost");
  EXPECT_TRUE((*agents)[1].running.empty()) << "a lost job is not running";
}

TEST_F(AgentStoreTest, CancelEndsQueuedJobsAndAsksLeasedOnesToStop) {
  AgentRecord a = add_agent("a", {});
  const std::string leased = add_job({});
  ASSERT_TRUE(store_->claim(a, seconds(30))->has_value());
  const std::string queued = add_job({});
  EXPECT_TRUE(*store_->cancel(queued));
  EXPECT_EQ(store_->find_job(queued)->status, "cancelled");
  EXPECT_FALSE(*store_->cancel(leased));
  auto stop = store_->jobs_to_stop(a.id, {leased, "unknown"});
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(*stop, (std::vector<std::string>{leased, "unknown"}));
  auto done = store_->complete(a.id, leased, 1, -1, false, Json::object());
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->job.status, "cancelled");
}

}  // namespace
}  // namespace opz::store
