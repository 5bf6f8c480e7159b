// Engine behaviour when things go wrong: failures, fail_fast, continue_on_error,
// retries with backoff, timeouts, cancellation, force-fail, unknown node types.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/time_format.h"
#include "engine_fixture.h"

namespace opz::engine {
namespace {

class EngineFailureTest : public EngineFixture {};

TEST_F(EngineFailureTest, FailureSkipsDependentsWhileSiblingsFinish) {
  start_engine();
  std::string id = submit(R"(
nodes:
  bad: {run: 'echo failing; exit 3'}
  after_bad: {needs: bad, run: 'true'}
  after_after: {needs: after_bad, run: 'true'}
  sibling: {run: 'sleep 0.2; echo sibling done'}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  auto bad = node(id, "bad");
  EXPECT_EQ(bad.status, "failed");
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(bad.error, "step 1/1 'run' exited with code 3");
  EXPECT_EQ(node(id, "after_bad").status, "skipped");
  EXPECT_EQ(node(id, "after_after").status, "skipped");
  EXPECT_EQ(node(id, "sibling").status, "success");
  EXPECT_EQ(log_messages(id, "sibling", "stdout"), std::vector<std::string>{"sibling done"});
  auto system = log_messages(id, "bad", "system");
  ASSERT_FALSE(system.empty());
  EXPECT_EQ(system.back(), "step 1/1 'run' exited with code 3");
  EXPECT_EQ(detail(id).execution.progress, 100);
}

TEST_F(EngineFailureTest, FailFastCancelsRunningSiblings) {
  start_engine();
  auto started = std::chrono::steady_clock::now();
  std::string id = submit(R"(
fail_fast: true
nodes:
  bad: {run: 'sleep 0.1; exit 1'}
  slow: {run: 'sleep 30'}
  later: {needs: slow, run: 'true'}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(node(id, "bad").status, "failed");
  EXPECT_EQ(node(id, "slow").status, "cancelled");
  EXPECT_EQ(node(id, "later").status, "cancelled");
}

TEST_F(EngineFailureTest, ContinueOnErrorGivesWarningAndDependentsRun) {
  start_engine();
  std::string id = submit(R"(
nodes:
  flaky: {run: 'exit 1', continue_on_error: true}
  next: {needs: flaky, run: 'echo ran'}
)");
  ASSERT_EQ(wait_finished(id), "warning");
  EXPECT_EQ(node(id, "flaky").status, "failed");
  EXPECT_EQ(node(id, "next").status, "success");
}

TEST_F(EngineFailureTest, ConditionFalseSkipsTheNode) {
  start_engine();
  std::string id = submit(R"(
nodes:
  prod_only: {run: 'true', if: "branch == 'release'"}
  always: {run: 'true'}
)");
  ASSERT_EQ(wait_finished(id), "success");
  EXPECT_EQ(node(id, "prod_only").status, "skipped");
  auto events = history_->state_events(id);
  ASSERT_TRUE(events.ok());
  bool found = false;
  for (const auto& e : *events)
    if (e.node_id == "prod_only" && e.new_state == "skipped")
      found = e.reason == "condition is false";
  EXPECT_TRUE(found);
}

TEST_F(EngineFailureTest, RetriesCountAttemptsTagLogsAndBackOffPerPolicy) {
  start_engine();
  std::string id = submit(R"(
nodes:
  flaky:
    retry: {max_attempts: 3, initial: 30ms, max: 1s}
    run: 'echo "try $OPZENIX_ATTEMPT"; test "$OPZENIX_ATTEMPT" = 3'
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto n = node(id, "flaky");
  EXPECT_EQ(n.status, "success");
  EXPECT_EQ(n.attempt, 3);
  EXPECT_EQ(n.max_attempts, 3);
  EXPECT_EQ(n.error, "");
  EXPECT_EQ(n.next_attempt_at, "");

  auto lines = history_->logs({.execution_id = id, .node_id = "flaky", .limit = 100});
  ASSERT_TRUE(lines.ok());
  std::vector<std::pair<int, std::string>> out;
  for (const auto& l : *lines)
    if (l.stream == "stdout") out.emplace_back(l.attempt, l.message);
  EXPECT_EQ(out,
            (std::vector<std::pair<int, std::string>>{{1, "try 1"}, {2, "try 2"}, {3, "try 3"}}));

  // running -> pending twice, with next_attempt_at = now + delay_before(next attempt).
  std::vector<std::chrono::milliseconds> delays;
  std::vector<TimePoint> retry_at;
  std::vector<TimePoint> started_at;
  for (const auto& e : events_through_finish(id)) {
    if (e->kind != EventKind::kNodeState || e->node_id != "flaky") continue;
    if (e->new_state == "running") started_at.push_back(e->at);
    if (e->new_state != "pending") continue;
    auto next = parse_time(e->data["next_attempt_at"].get<std::string>());
    ASSERT_TRUE(next.ok());
    retry_at.push_back(*next);
    delays.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(*next - e->at));
    EXPECT_NE(e->reason.find("retrying in"), std::string::npos) << e->reason;
  }
  ASSERT_EQ(delays.size(), 2u);
  EXPECT_NEAR(delays[0].count(), 30, 3);  // delay_before(2) = initial
  EXPECT_NEAR(delays[1].count(), 60, 3);  // delay_before(3) = 2 * initial
  ASSERT_EQ(started_at.size(), 3u);
  EXPECT_GE(started_at[1] + std::chrono::milliseconds(2), retry_at[0]);
  EXPECT_GE(started_at[2] + std::chrono::milliseconds(2), retry_at[1]);
}

TEST_F(EngineFailureTest, ExhaustedRetriesFailTheNode) {
  start_engine();
  std::string id = submit(R"(
nodes:
  never: {retry: {max_attempts: 2, initial: 1ms}, run: 'exit 7'}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  auto n = node(id, "never");
  EXPECT_EQ(n.attempt, 2);
  EXPECT_EQ(n.exit_code, 7);
  EXPECT_EQ(n.status, "failed");
}

TEST_F(EngineFailureTest, TimeoutKillsTheStepAndFailsTheNode) {
  start_engine();
  auto started = std::chrono::steady_clock::now();
  std::string id = submit(R"(
nodes:
  slow: {timeout: 300ms, run: 'sleep 30'}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  auto n = node(id, "slow");
  EXPECT_EQ(n.error, "timed out after 300ms");
  EXPECT_TRUE(n.signal.has_value());
}

TEST_F(EngineFailureTest, AStepIgnoringSigtermIsKilledAfterTheGrace) {
  start_engine();
  auto started = std::chrono::steady_clock::now();
  std::string id = submit(R"(
nodes:
  stubborn: {timeout: 200ms, run: "trap '' TERM; sleep 30; sleep 30"}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_EQ(node(id, "stubborn").error, "timed out after 200ms");
}

TEST_F(EngineFailureTest, CancelKillsRunningProcessesWithinTwoSeconds) {
  options_.kill_grace = std::chrono::milliseconds(1500);
  start_engine();
  const std::string pidfile = dir_.str() + "/pid";
  std::string id = submit("nodes:\n  long: {run: 'echo $$ > " + pidfile +
                          "; sleep 30'}\n  queued: {needs: long, run: 'true'}\n");
  ASSERT_TRUE(wait_node(id, "long", "running"));
  // The pid file appears once the shell runs.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  pid_t pid = 0;
  while (pid == 0 && std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(pidfile);
    in >> pid;
    if (pid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GT(pid, 0);
  auto cancelled_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(engine_->cancel(id, "not needed", "alice").ok());
  EXPECT_EQ(wait_finished(id), "cancelled");
  while (::kill(pid, 0) == 0 &&
         std::chrono::steady_clock::now() - cancelled_at < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_NE(::kill(pid, 0), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, std::chrono::seconds(2));
  auto d = detail(id);
  EXPECT_EQ(d.execution.cancel_reason, "not needed");
  EXPECT_EQ(node(id, "long").status, "cancelled");
  EXPECT_EQ(node(id, "queued").status, "cancelled");
  auto again = engine_->cancel(id, "twice", "alice");
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is_conflict());
  EXPECT_TRUE(engine_->cancel("no-such-execution", "", "").error().is_not_found());
}

TEST_F(EngineFailureTest, ForceFailStopsTheExecutionWithBlockedReason) {
  start_engine();
  std::string id = submit("nodes:\n  hang: {run: 'sleep 30'}\n");
  ASSERT_TRUE(wait_node(id, "hang", "running"));
  ASSERT_TRUE(engine_->force_fail(id, "Timeout - manually terminated", "admin").ok());
  EXPECT_EQ(wait_finished(id), "failed");
  auto d = detail(id);
  EXPECT_EQ(d.execution.blocked_reason, "Timeout - manually terminated");
  EXPECT_EQ(d.nodes[0].status, "failed");
  EXPECT_NE(d.nodes[0].error.find("force-failed by admin"), std::string::npos);
  EXPECT_TRUE(engine_->force_fail(id, "again", "admin").error().is_conflict());
}

TEST_F(EngineFailureTest, ForceFailFixesAnExecutionNoEngineHolds) {
  start_engine();
  // A 'running' execution in the journal that this engine never loaded.
  store::ExecutionRecord e;
  e.id = "7a9f1d9e-0000-4000-8000-000000000001";
  e.name = "orphan";
  e.status = "running";
  e.trigger_type = "manual";
  e.pipeline =
      R"({"format":1,"name":"o","env":{},"max_parallel":0,"fail_fast":false,"timeout_ms":null,"nodes":[{"id":"a","name":"a","description":"","type":"run","needs":[],"steps":[{"name":"run","run":"true"}],"env":{},"timeout_ms":null,"retry":{"max_attempts":1,"initial_ms":2000,"max_ms":60000},"if":null,"environment":"","checkpoint":false,"continue_on_error":false,"with":{},"line":0}]})";
  e.created_at = e.updated_at = e.started_at = "2024-01-15T10:00:00.000Z";
  store::ExecutionNodeRecord n;
  n.id = "7a9f1d9e-0000-4000-8000-000000000002";
  n.execution_id = e.id;
  n.node_id = "a";
  n.status = "running";
  n.attempt = 1;
  n.created_at = n.updated_at = e.created_at;
  ASSERT_TRUE(executions_->create(e, {n}).ok());
  ASSERT_TRUE(engine_->force_fail(e.id, "stuck", "admin").ok());
  auto d = detail(e.id);
  EXPECT_EQ(d.execution.status, "failed");
  EXPECT_EQ(d.execution.blocked_reason, "stuck");
  EXPECT_FALSE(d.execution.completed_at.empty());
  EXPECT_EQ(d.nodes[0].status, "failed");
}

TEST_F(EngineFailureTest, GithubWorkflowWithoutHandlerFailsClearly) {
  start_engine();
  std::string id = submit(R"(
nodes:
  gh: {type: github_workflow, with: {workflow: ci.yml}}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_EQ(node(id, "gh").error, "no handler is registered for node type 'github_workflow'");
}

TEST_F(EngineFailureTest, PipelineTimeoutFailsTheExecution) {
  start_engine();
  std::string id = submit(R"(
timeout: 300ms
nodes:
  slow: {run: 'sleep 30'}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_EQ(node(id, "slow").error, "pipeline timed out after 300ms");
}

}  // namespace
}  // namespace opz::engine
