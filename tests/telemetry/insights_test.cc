#include "telemetry/insights.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::telemetry {
namespace {

TimePoint at(const char* text) { return parse_time(text).value(); }

const TimePoint kStart = at("2024-01-08T00:00:00Z");
const TimePoint kNow = at("2024-01-15T00:00:00Z");

NodeRun run(const std::string& execution, const std::string& node, const std::string& status,
            const char* finished, std::optional<int64_t> ms = std::nullopt) {
  NodeRun r;
  r.execution_id = execution;
  r.node_id = node;
  r.status = status;
  r.finished_at = at(finished);
  r.duration_ms = ms;
  r.branch = "main";
  return r;
}

TEST(InsightsTest, NearestRankIsAMeasuredValue) {
  EXPECT_FALSE(nearest_rank({}, 0.5));
  EXPECT_EQ(nearest_rank({5}, 0.95), 5);
  EXPECT_EQ(nearest_rank({4, 1, 3, 2}, 0.5), 2);
  std::vector<int64_t> hundred;
  for (int64_t i = 100; i >= 1; --i) hundred.push_back(i);
  EXPECT_EQ(nearest_rank(hundred, 0.95), 95);
  EXPECT_EQ(nearest_rank(hundred, 0.5), 50);
}

TEST(InsightsTest, SlowestNodesRankByP95WithTrendAndDailySeries) {
  std::vector<NodeRun> runs = {
      run("e1", "build", "success", "2024-01-09T10:00:00Z", 1000),
      run("e2", "build", "success", "2024-01-09T11:00:00Z", 3000),
      run("e3", "build", "failed", "2024-01-10T10:00:00Z", 2000),
      run("e4", "build", "success", "2024-01-03T10:00:00Z", 1000),  // previous window
      run("e1", "lint", "success", "2024-01-09T10:00:00Z", 100),
      run("e5", "lint", "success", "2024-01-02T10:00:00Z", 100),    // previous window
      run("e6", "deploy", "success", "2024-01-09T10:00:00Z", 500),  // no previous: new
      run("e7", "old", "success", "2023-12-01T10:00:00Z", 9000),    // before both windows
      run("e8", "skip", "skipped", "2024-01-09T10:00:00Z", 9000),   // not finished
      run("e9", "nodur", "success", "2024-01-09T10:00:00Z"),         // no duration
  };
  auto slow = slowest_nodes(runs, kStart, kNow);
  ASSERT_EQ(slow.size(), 3u);
  EXPECT_EQ(slow[0].node_id, "build");
  EXPECT_EQ(slow[0].runs, 3);
  EXPECT_EQ(slow[0].p50_ms, 2000);
  EXPECT_EQ(slow[0].p95_ms, 3000);
  EXPECT_EQ(slow[0].previous_p95_ms, 1000);
  EXPECT_EQ(slow[0].trend, "slower");
  ASSERT_EQ(slow[0].series.size(), 2u);
  EXPECT_EQ(slow[0].series[0].date, "2024-01-09");
  EXPECT_EQ(slow[0].series[0].p95_ms, 3000);
  EXPECT_EQ(slow[0].series[0].runs, 2);
  EXPECT_EQ(slow[0].series[1].date, "2024-01-10");
  EXPECT_EQ(slow[1].node_id, "deploy");
  EXPECT_EQ(slow[1].trend, "new");
  EXPECT_FALSE(slow[1].previous_p95_ms);
  EXPECT_EQ(slow[2].node_id, "lint");
  EXPECT_EQ(slow[2].trend, "steady");
}

TEST(InsightsTest, FlakyNodesCountRetriedPassesAndFlipsOnTheSameCommit) {
  std::vector<NodeRun> runs = {
      run("e1", "test", "failed", "2024-01-09T10:00:00Z"),
      run("e2", "test", "success", "2024-01-09T11:00:00Z"),  // flip on sha a
      run("e3", "test", "failed", "2024-01-09T12:00:00Z"),   // flip again
      run("e4", "test", "success", "2024-01-09T13:00:00Z"),  // other commit: no flip
      run("e5", "fetch", "success", "2024-01-09T10:00:00Z"),
      run("e6", "build", "success", "2024-01-09T10:00:00Z"),
      run("e7", "build", "failed", "2024-01-10T10:00:00Z"),  // a new commit broke it: no flip
  };
  for (int i : {0, 1, 2}) runs[i].commit = "a";
  runs[3].commit = "b";
  runs[4].attempts = 3;  // passed on the third attempt
  runs[5].commit = "c";
  runs[6].commit = "d";
  auto flaky = flaky_nodes(runs);
  ASSERT_EQ(flaky.size(), 2u);
  EXPECT_EQ(flaky[0].node_id, "fetch");
  EXPECT_EQ(flaky[0].runs, 1);
  EXPECT_EQ(flaky[0].passed_after_retry, 1);
  EXPECT_DOUBLE_EQ(flaky[0].score, 1.0);
  EXPECT_EQ(flaky[1].node_id, "test");
  EXPECT_EQ(flaky[1].runs, 4);
  EXPECT_EQ(flaky[1].failures, 2);
  EXPECT_EQ(flaky[1].flips, 2);
  EXPECT_EQ(flaky[1].passed_after_retry, 0);
  EXPECT_DOUBLE_EQ(flaky[1].score, 0.5);
}

TEST(InsightsTest, FlipsFallBackToTheBranchWithoutACommit) {
  std::vector<NodeRun> runs = {run("e1", "t", "success", "2024-01-09T10:00:00Z"),
                               run("e2", "t", "failed", "2024-01-09T11:00:00Z")};
  runs[1].branch = "other";  // different branch: no flip
  EXPECT_TRUE(flaky_nodes(runs).empty());
  runs[1].branch = "main";
  ASSERT_EQ(flaky_nodes(runs).size(), 1u);
  EXPECT_EQ(flaky_nodes(runs)[0].flips, 1);
}

TEST(InsightsTest, FailureClustersGroupByExitCodeAndSignature) {
  std::vector<NodeRun> runs = {
      run("e1", "db", "failed", "2024-01-09T10:00:00Z"),
      run("e2", "db", "failed", "2024-01-10T10:00:00Z"),
      run("e3", "migrate", "failed", "2024-01-11T10:00:00Z"),
      run("e4", "db", "failed", "2024-01-12T10:00:00Z"),  // same text, other exit code
      run("e5", "db", "success", "2024-01-12T11:00:00Z"),
      run("e6", "x", "failed", "2024-01-12T12:00:00Z"),  // no output: the engine's error
  };
  runs[0].log_tail = "connecting\nconnection refused to 10.0.0.3:5432 after 3012ms\nbye\n";
  runs[1].log_tail = "connection refused to 10.0.0.7:5432 after 2990ms\n";
  runs[2].log_tail = "connection refused to 10.0.0.9:5432 after 17ms\n";
  runs[3].log_tail = runs[0].log_tail;
  for (int i : {0, 1, 2}) runs[i].exit_code = 1;
  runs[3].exit_code = 2;
  runs[5].exit_code = 9;
  runs[5].error = "step 1/1 'run' exited with code 9";
  auto clusters = failure_clusters(runs);
  ASSERT_EQ(clusters.size(), 3u);
  EXPECT_EQ(clusters[0].signature, "connection refused to <ip>:<n> after <n>ms");
  EXPECT_EQ(clusters[0].exit_code, 1);
  EXPECT_EQ(clusters[0].count, 3);
  EXPECT_EQ(clusters[0].first_seen, at("2024-01-09T10:00:00Z"));
  EXPECT_EQ(clusters[0].last_seen, at("2024-01-11T10:00:00Z"));
  EXPECT_EQ(clusters[0].example_execution_ids, (std::vector<std::string>{"e3", "e2", "e1"}));
  EXPECT_EQ(clusters[0].node_ids, (std::vector<std::string>{"migrate", "db"}));
  // Equal counts: the latest first.
  EXPECT_EQ(clusters[1].exit_code, 9);
  EXPECT_EQ(clusters[1].signature, "step <n>/<n> 'run' exited with code <n>");
  EXPECT_EQ(clusters[2].exit_code, 2);
  EXPECT_EQ(clusters[2].count, 1);
}

TEST(InsightsTest, QueueWaitPerExecutionAndPerNode) {
  std::vector<ExecutionTiming> executions = {
      {"e1", at("2024-01-09T10:00:00Z"), at("2024-01-09T10:00:01Z")},
      {"e2", at("2024-01-09T11:00:00Z"), at("2024-01-09T11:00:03Z")},
      {"e3", at("2024-01-09T12:00:00Z"), std::nullopt},  // never started: not a sample
  };
  std::vector<NodeRun> runs = {run("e1", "a", "success", "2024-01-09T10:01:00Z"),
                               run("e1", "b", "success", "2024-01-09T10:01:00Z"),
                               run("e2", "a", "success", "2024-01-09T11:01:00Z")};
  runs[0].first_started_at = at("2024-01-09T10:00:01Z");  // started at once: 0
  runs[1].queued_at = at("2024-01-09T10:00:01Z");
  runs[1].first_started_at = at("2024-01-09T10:00:06Z");  // waited 5 s for a slot
  runs[2].queued_at = at("2024-01-09T11:00:30Z");         // queued only for a retry
  runs[2].first_started_at = at("2024-01-09T11:00:03Z");
  QueueWait w = queue_wait(runs, executions);
  EXPECT_EQ(w.executions.samples, 2);
  EXPECT_EQ(w.executions.p50_ms, 1000);
  EXPECT_EQ(w.executions.p95_ms, 3000);
  EXPECT_EQ(w.nodes.samples, 3);
  EXPECT_EQ(w.nodes.p50_ms, 0);
  EXPECT_EQ(w.nodes.p95_ms, 5000);
  QueueWait none = queue_wait({}, {});
  EXPECT_FALSE(none.executions.p50_ms);
  EXPECT_EQ(none.nodes.samples, 0);
}

TEST(InsightsTest, ComputeInsightsKeepsOnlyTheWindow) {
  std::vector<NodeRun> runs = {run("e1", "a", "failed", "2024-01-01T10:00:00Z", 10),
                               run("e2", "a", "failed", "2024-01-09T10:00:00Z", 20),
                               run("e3", "a", "failed", "2024-01-15T00:00:00Z", 30)};  // = now
  std::vector<ExecutionTiming> executions = {
      {"e1", at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:09Z")},
      {"e2", at("2024-01-09T10:00:00Z"), at("2024-01-09T10:00:02Z")}};
  Insights in = compute_insights(runs, executions, kStart, kNow);
  ASSERT_EQ(in.failure_clusters.size(), 1u);
  EXPECT_EQ(in.failure_clusters[0].count, 1);
  EXPECT_EQ(in.failure_clusters[0].example_execution_ids, std::vector<std::string>{"e2"});
  ASSERT_EQ(in.slowest_nodes.size(), 1u);
  EXPECT_EQ(in.slowest_nodes[0].runs, 1);
  EXPECT_EQ(in.slowest_nodes[0].previous_p95_ms, 10);
  EXPECT_EQ(in.queue_wait.executions.samples, 1);
  EXPECT_EQ(in.queue_wait.executions.p95_ms, 2000);
  EXPECT_TRUE(in.flaky_nodes.empty());
}

}  // namespace
}  // namespace opz::telemetry
