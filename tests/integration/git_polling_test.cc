// Git polling against the real server and a real local bare repository,
// changed with real `git push`: the first scan records refs without
// triggering; every later new commit on a mapped ref triggers exactly once,
// also across restarts.
#include <gtest/gtest.h>

#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::count_rows;
using webhooks::wait_for;

// The poll state row's last_polled_at, or "".
std::string last_polled(const DatabaseLocation& db, const std::string& project_id) {
  const auto values =
      column_texts(db, "SELECT last_polled_at FROM git_poll_state WHERE project_id = $1", {project_id});
  return values.empty() ? "" : values[0];
}

TEST(GitPollingTest, NewCommitsOnMappedRefsTriggerExactlyOnceAcrossRestarts) {
  trigger::testing::GitRepo repo;
  repo.commit_and_push("main", "opzenix.yml", webhooks::kPipelineYaml);
  ServerProcess server;
  const std::string token = server.create_user_and_login("admin@example.com", "admin");
  HttpClient c(server.base_url());
  c.set_token(token);
  auto p = c.post("/api/v1/projects",
                  json{{"name", "Polled"}, {"git_url", repo.url()}, {"poll_interval_seconds", 5}});
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string pid = p.json()["id"];
  const DatabaseLocation dir(server);
  auto executions = [&](const std::string& where) {
    return count_rows(dir, "executions", "project_id = " + webhooks::sq(pid) + " AND " + where);
  };

  // First sight: refs recorded, nothing triggered.
  ASSERT_TRUE(wait_for(
      [&] { return count_rows(dir, "git_poll_refs", "project_id = " + webhooks::sq(pid)) == 1; }));
  EXPECT_EQ(executions("1=1"), 0);

  const std::string second = repo.commit_and_push("main", "a.txt", "2\n");
  repo.commit_and_push("spike", "b.txt", "unmapped\n");
  ASSERT_TRUE(wait_for([&] { return executions("1=1") >= 1; }, std::chrono::seconds(20)));
  EXPECT_EQ(executions("commit_hash = " + webhooks::sq(second) +
                       " AND trigger_type = 'poll' AND environment = 'Production' AND "
                       "branch = 'main'"),
            1);

  // While the server is down two commits land; after the restart the ref's
  // new head triggers once.
  server.stop();
  repo.commit_and_push("main", "a.txt", "3\n");
  const std::string fourth = repo.commit_and_push("main", "a.txt", "4\n");
  server.restart();
  ASSERT_TRUE(wait_for([&] { return executions("commit_hash = " + webhooks::sq(fourth)) == 1; },
                       std::chrono::seconds(20)));
  EXPECT_EQ(executions("1=1"), 2);

  // Another restart with nothing new: a completed poll, and still two.
  const std::string before = last_polled(dir, pid);
  server.restart();
  ASSERT_TRUE(wait_for([&] { return last_polled(dir, pid) > before; }, std::chrono::seconds(20)));
  EXPECT_EQ(executions("1=1"), 2);
  EXPECT_EQ(count_rows(dir, "audit_logs", "action = 'poll.triggered'"), 2);

  HttpClient after(server.base_url());
  after.set_token(token);
  auto list = after.get("/api/v1/executions?project_id=" + pid);
  ASSERT_EQ(list.status, 200);
  const json items = list.json()["items"];
  EXPECT_EQ(items.size(), 2u);
  for (const auto& e : items) {
    EXPECT_EQ(e["trigger_type"], "poll");
    EXPECT_EQ(e["metadata"]["source"], "git_poll");
    EXPECT_EQ(e["started_by"], "git-poll");
  }
}

}  // namespace
}  // namespace opz::testing
