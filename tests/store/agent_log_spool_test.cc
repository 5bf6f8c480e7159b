// The agent log spool (AgentStore::spool_logs / take_spooled_logs /
// purge_spooled_logs, migration 026) on the store test backend (SQLite, or
// PostgreSQL with OPZ_TEST_BACKEND=postgres): fenced writes, ordered takes
// that delete, only by the job's runner, and the purge of ended jobs' rows.
#include <gtest/gtest.h>

#include "store/agent_store.h"
#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class AgentLogSpoolTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<AgentStore>(*db_, clock_);
    ASSERT_TRUE(store_->create_registration_token("reg-hash", "admin", seconds(3600)).ok());
    auto a = store_->register_agent({"reg-hash", "tok-a", "a", {"linux"}, 4, "1.0"});
    ASSERT_TRUE(a.ok()) << a.error().to_string();
    agent_ = *a;
  }

  // A job queued by runner "owner" and claimed by the agent (generation 1).
  std::string leased_job(const std::string& node = "build") {
    auto id = store_->enqueue({"exec-1", node, 1, Json{{"command", "make"}}, {"linux"}, "owner"});
    EXPECT_TRUE(id.ok());
    auto claimed = store_->claim(agent_, seconds(30));
    EXPECT_TRUE(claimed.ok() && claimed->has_value());
    EXPECT_EQ(claimed.ok() && claimed->has_value() ? (*claimed)->id : "", id.ok() ? *id : "x");
    return id.ok() ? *id : std::string();
  }

  static Json batch(std::initializer_list<const char*> texts) {
    Json out = Json::array();
    for (const char* t : texts)
      out.push_back({{"stream", "stdout"}, {"text", t}, {"ts", "2026-01-01T00:00:00.000Z"}});
    return out;
  }

  int64_t spooled_rows() {
    auto n = db_->read([](SqlSession& s) -> Result<int64_t> {
      OPZ_TRY(Rows rows, s.query("SELECT COUNT(*) AS n FROM agent_job_log_spool"));
      return rows[0]["n"].as_int();
    });
    EXPECT_TRUE(n.ok()) << n.error().to_string();
    return n.ok() ? *n : -1;
  }

  std::unique_ptr<AgentStore> store_;
  AgentRecord agent_;
};

TEST_F(AgentLogSpoolTest, BatchesAreTakenOnceInTheOrderTheyWereSpooled) {
  const std::string job = leased_job();
  ASSERT_TRUE(store_->spool_logs(agent_.id, job, 1, batch({"one", "two"})).ok());
  ASSERT_TRUE(store_->spool_logs(agent_.id, job, 1, batch({"three"})).ok());
  ASSERT_TRUE(store_->spool_logs(agent_.id, job, 1, batch({"four", "five"})).ok());

  auto jobs = store_->spooled_log_jobs("owner");
  ASSERT_TRUE(jobs.ok()) << jobs.error().to_string();
  EXPECT_EQ(*jobs, std::vector<std::string>{job});
  auto has = store_->has_spooled_logs(job);
  ASSERT_TRUE(has.ok()) << has.error().to_string();
  EXPECT_TRUE(*has);
  auto other = store_->has_spooled_logs("no-such-job");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
  auto none = store_->spooled_log_jobs("someone-else");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto not_yours = store_->take_spooled_logs("someone-else", job);
  ASSERT_TRUE(not_yours.ok()) << not_yours.error().to_string();
  EXPECT_TRUE(not_yours->empty()) << "only the runner the job names takes its lines";
  EXPECT_EQ(spooled_rows(), 3);

  auto taken = store_->take_spooled_logs("owner", job);
  ASSERT_TRUE(taken.ok()) << taken.error().to_string();
  std::vector<std::string> texts;
  int64_t last_seq = 0;
  for (const SpooledLogs& b : *taken) {
    EXPECT_GT(b.seq, last_seq);
    last_seq = b.seq;
    ASSERT_TRUE(b.lines.is_array());
    for (const Json& l : b.lines) texts.push_back(l["text"].get<std::string>());
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"one", "two", "three", "four", "five"}));
  EXPECT_EQ((*taken)[0].lines[0]["stream"], "stdout");
  EXPECT_EQ(spooled_rows(), 0);
  auto again = store_->take_spooled_logs("owner", job);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty()) << "taken lines are gone";
  auto after = store_->spooled_log_jobs("owner");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
  auto has_after = store_->has_spooled_logs(job);
  ASSERT_TRUE(has_after.ok());
  EXPECT_FALSE(*has_after);
}

TEST_F(AgentLogSpoolTest, AStaleLeaseCannotSpool) {
  const std::string job = leased_job();
  auto wrong_generation = store_->spool_logs(agent_.id, job, 2, batch({"x"}));
  ASSERT_FALSE(wrong_generation.ok());
  EXPECT_EQ(wrong_generation.error().code, ErrorCode::kConflict);
  auto wrong_agent = store_->spool_logs("another-agent", job, 1, batch({"x"}));
  ASSERT_FALSE(wrong_agent.ok());
  EXPECT_EQ(wrong_agent.error().code, ErrorCode::kConflict);
  auto unknown = store_->spool_logs(agent_.id, "no-such-job", 1, batch({"x"}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto not_a_list = store_->spool_logs(agent_.id, job, 1, Json{{"text", "x"}});
  ASSERT_FALSE(not_a_list.ok());
  EXPECT_EQ(not_a_list.error().code, ErrorCode::kValidation);

  ASSERT_TRUE(store_->complete(agent_.id, job, 1, 0, true, Json::object()).ok());
  auto after_the_end = store_->spool_logs(agent_.id, job, 1, batch({"late"}));
  ASSERT_FALSE(after_the_end.ok());
  EXPECT_EQ(after_the_end.error().code, ErrorCode::kConflict);

  const std::string lost = leased_job("test");
  clock_.advance(seconds(31));
  auto expired = store_->expire(seconds(30));
  ASSERT_TRUE(expired.ok());
  ASSERT_EQ(expired->size(), 1u);
  auto from_a_lost_agent = store_->spool_logs(agent_.id, lost, 1, batch({"late"}));
  ASSERT_FALSE(from_a_lost_agent.ok());
  EXPECT_EQ(from_a_lost_agent.error().code, ErrorCode::kConflict);
  EXPECT_EQ(spooled_rows(), 0);
}

TEST_F(AgentLogSpoolTest, PurgeDropsOnlyTheLinesOfJobsThatEndedLongerAgoThanTheRetention) {
  const std::string running = leased_job("build");
  const std::string ended = leased_job("test");
  ASSERT_TRUE(store_->spool_logs(agent_.id, running, 1, batch({"still running"})).ok());
  ASSERT_TRUE(store_->spool_logs(agent_.id, ended, 1, batch({"a"})).ok());
  ASSERT_TRUE(store_->spool_logs(agent_.id, ended, 1, batch({"b"})).ok());
  ASSERT_TRUE(store_->complete(agent_.id, ended, 1, 0, true, Json::object()).ok());

  auto early = store_->purge_spooled_logs(minutes(10));
  ASSERT_TRUE(early.ok()) << early.error().to_string();
  EXPECT_EQ(*early, 0) << "its runner may still take them";
  EXPECT_EQ(spooled_rows(), 3);

  clock_.advance(minutes(11));
  auto purged = store_->purge_spooled_logs(minutes(10));
  ASSERT_TRUE(purged.ok()) << purged.error().to_string();
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(spooled_rows(), 1);
  auto left = store_->take_spooled_logs("owner", running);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].lines[0]["text"], "still running");
}

}  // namespace
}  // namespace opz::store
