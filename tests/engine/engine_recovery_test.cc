// Crash recovery: a new engine resumes what a dead server left behind.
#include "engine/engine.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "core/ids.h"
#include "core/time_format.h"
#include "engine/run_builder.h"
#include "engine_fixture.h"
#include "leftover_sleeper.h"

namespace opz::engine {
namespace {

class EngineRecoveryTest : public EngineFixture {
 protected:
  // Writes the rows a server would have written before dying mid-run: the
  // execution 'running', `done` nodes succeeded, `running` nodes running at
  // attempt 1.
  std::string write_crashed_execution(const std::string& yaml, const std::vector<std::string>& done,
                                      const std::vector<std::string>& running) {
    auto run = build_new_run(request(yaml), options_.data_dir, SystemClock::instance().now(), 4);
    EXPECT_TRUE(run.ok());
    ExecutionRun& r = **run;
    r.row.status = "running";
    r.row.started_at = format_time(SystemClock::instance().now());
    std::vector<store::ExecutionNodeRecord> rows;
    for (auto& n : r.nodes) {
      for (const auto& d : done)
        if (n.row.node_id == d) {
          n.row.status = "success";
          n.row.attempt = 1;
          n.row.outputs = {{"from_" + d, "yes"}};
        }
      for (const auto& d : running)
        if (n.row.node_id == d) {
          n.row.status = "running";
          n.row.attempt = 1;
        }
      rows.push_back(n.row);
    }
    EXPECT_TRUE(executions_->create(r.row, rows).ok());
    return r.row.id;
  }
};

TEST_F(EngineRecoveryTest, RecoverKillsLeftoversRetriesTheRunningNodeAndCompletes) {
  std::string id = write_crashed_execution(R"(
nodes:
  a: {run: 'echo never again'}
  b: {needs: a, retry: {max_attempts: 2, initial: 1ms}, run: 'echo "b attempt $OPZENIX_ATTEMPT sees $from_a"'}
  c: {needs: b, run: 'echo c'}
)",
                                           {"a"}, {"b"});
  pid_t leftover = spawn_sleeper(id);
  ASSERT_GT(leftover, 0);
  // Wait until the leftover's environment is readable (exec done).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  start_engine();
  auto report = engine_->recover();
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->executions, 1);
  EXPECT_EQ(report->nodes_retried, 1);
  EXPECT_EQ(report->nodes_failed, 0);
  EXPECT_EQ(report->processes_killed, 1);
  int status = 0;
  EXPECT_EQ(waitpid(leftover, &status, 0), leftover);
  EXPECT_TRUE(WIFSIGNALED(status));

  ASSERT_EQ(wait_finished(id), "success");
  auto b = node(id, "b");
  EXPECT_EQ(b.attempt, 2);
  EXPECT_EQ(log_messages(id, "b", "stdout"), std::vector<std::string>{"b attempt 2 sees yes"});
  EXPECT_TRUE(log_messages(id, "a", "stdout").empty());  // finished nodes stay finished
  EXPECT_EQ(node(id, "c").status, "success");
  auto events = history_->state_events(id);
  ASSERT_TRUE(events.ok());
  bool retried = false;
  for (const auto& e : *events)
    if (e.node_id == "b" && e.old_state == "running" && e.new_state == "pending")
      retried = e.reason == "server stopped while the node was running; retrying as attempt 2";
  EXPECT_TRUE(retried);
}

TEST_F(EngineRecoveryTest, ARunningNodeWithoutAttemptsLeftFails) {
  std::string id = write_crashed_execution(R"(
nodes:
  a: {run: 'true'}
  b: {needs: a, run: 'true'}
  side: {run: 'echo side'}
)",
                                           {}, {"a"});
  start_engine();
  auto report = engine_->recover();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->nodes_failed, 1);
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_EQ(node(id, "a").error, "server stopped while the node was running; no retries left");
  EXPECT_EQ(node(id, "b").status, "skipped");
  EXPECT_EQ(node(id, "side").status, "success");  // the rest still runs to completion
}

TEST_F(EngineRecoveryTest, GracefulStopLeavesRunningWorkForTheNextEngine) {
  start_engine();
  std::string id = submit(R"(
nodes:
  slow: {retry: {max_attempts: 2, initial: 1ms}, run: 'if [ "$OPZENIX_ATTEMPT" = 1 ]; then sleep 30; fi; echo done'}
)");
  ASSERT_TRUE(wait_node(id, "slow", "running"));
  engine_->stop();
  runner_.shutdown();  // what the server does on exit: the step dies
  EXPECT_EQ(detail(id).execution.status, "running");

  runner::LocalRunner second_runner;
  Engine second(*journal_, second_runner, bus_, SystemClock::instance(), options_);
  second.start();
  auto report = second.recover();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->executions, 1);
  ASSERT_EQ(wait_finished(id), "success") << describe(id);
  EXPECT_EQ(node(id, "slow").attempt, 2);
  second.stop();
  second_runner.shutdown();
}

TEST_F(EngineRecoveryTest, PausedExecutionWaitsOnItsGateAgain) {
  start_engine();
  std::string id = submit(R"(
nodes:
  gate: {type: approval}
  after: {needs: gate, run: 'echo after'}
)");
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  engine_->stop();

  runner::LocalRunner second_runner;
  Engine second(*journal_, second_runner, bus_, SystemClock::instance(), options_);
  second.start();
  ASSERT_TRUE(second.recover().ok());
  auto approvals = history_->approval_requests(id);
  ASSERT_TRUE(approvals.ok());
  EXPECT_EQ(approvals->size(), 1u);  // no second request
  ASSERT_TRUE(second.resolve_approval(id, "gate", true, "carol", "").ok());
  ASSERT_EQ(wait_finished(id), "success") << describe(id);
  EXPECT_EQ(log_messages(id, "after", "stdout"), std::vector<std::string>{"after"});
  second.stop();
  second_runner.shutdown();
}

}  // namespace
}  // namespace opz::engine
