#include "pipeline/plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "pipeline/pipeline_yaml.h"

namespace opz::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Pipeline yaml(std::string_view text) {
  auto p = parse_pipeline_yaml(text);
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  return p.ok() ? std::move(p).value() : Pipeline{};
}

// Node ids for readable assertions.
struct Names {
  const Pipeline& p;
  std::vector<std::string> operator()(const std::vector<size_t>& nodes) const {
    std::vector<std::string> out;
    for (size_t i : nodes) out.push_back(p.nodes[i].id);
    return out;
  }
};

Node node(std::string id, std::vector<std::string> needs = {}) {
  Node n;
  n.id = std::move(id);
  n.needs = std::move(needs);
  n.steps = {{"run", "x"}};
  return n;
}

size_t at(const Pipeline& p, std::string_view id) { return *p.index_of(id); }

TEST(Plan, ChainRunsOneAfterAnother) {
  Pipeline p = yaml("nodes:\n  a: {run: x}\n  b: {needs: a, run: x}\n  c: {needs: b, run: x}\n");
  Names names{p};
  Plan plan(p, {}, {});
  EXPECT_THAT(plan.take_ready(), IsEmpty());  // nothing before start()
  EXPECT_TRUE(plan.start().empty());
  EXPECT_EQ(plan.progress(), 0);
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("a"));
  EXPECT_THAT(plan.take_ready(), IsEmpty());
  EXPECT_EQ(plan.status(0), NodeStatus::kRunning);
  EXPECT_EQ(plan.status(1), NodeStatus::kPending);
  ASSERT_TRUE(plan.complete(0, NodeResult::kSuccess).ok());
  EXPECT_EQ(plan.status(1), NodeStatus::kQueued);
  EXPECT_EQ(plan.progress(), 33);
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("b"));
  ASSERT_TRUE(plan.complete(1, NodeResult::kSuccess).ok());
  EXPECT_EQ(plan.progress(), 66);
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("c"));
  EXPECT_FALSE(plan.finished());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kRunning);
  ASSERT_TRUE(plan.complete(2, NodeResult::kSuccess).ok());
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.progress(), 100);
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kSuccess);
  EXPECT_EQ(plan.count(NodeStatus::kSuccess), 3u);
}

TEST(Plan, DiamondWaitsForBothSides) {
  Pipeline p = yaml(R"(nodes:
  build: {run: x}
  test: {needs: build, run: x}
  scan: {needs: build, run: x}
  deploy: {needs: [test, scan], run: x}
)");
  Names names{p};
  Plan plan(p, {}, {});
  plan.start();
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("build"));
  ASSERT_TRUE(plan.complete(at(p, "build"), NodeResult::kSuccess).ok());
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("test", "scan"));
  ASSERT_TRUE(plan.complete(at(p, "scan"), NodeResult::kSuccess).ok());
  EXPECT_THAT(plan.take_ready(), IsEmpty());
  EXPECT_EQ(plan.status(at(p, "deploy")), NodeStatus::kPending);
  ASSERT_TRUE(plan.complete(at(p, "test"), NodeResult::kSuccess).ok());
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("deploy"));
}

TEST(Plan, ParallelLimitIsTheSmallerOfPipelineAndOptions) {
  std::string text = "max_parallel: 3\nnodes:\n";
  for (int i = 0; i < 6; ++i) text += "  n" + std::to_string(i) + ": {run: x}\n";
  Pipeline p = yaml(text);
  EXPECT_EQ(Plan(p, {}, {}).parallel_limit(), 3);
  EXPECT_EQ(Plan(p, {.max_parallel = 5}, {}).parallel_limit(), 3);
  Plan plan(p, {.max_parallel = 2}, {});
  EXPECT_EQ(plan.parallel_limit(), 2);
  plan.start();
  EXPECT_EQ(plan.count(NodeStatus::kQueued), 6u);
  std::vector<size_t> first = plan.take_ready();
  EXPECT_THAT(first, ElementsAre(0, 1));
  EXPECT_THAT(plan.take_ready(), IsEmpty());
  EXPECT_EQ(plan.count(NodeStatus::kQueued), 4u);
  ASSERT_TRUE(plan.complete(1, NodeResult::kSuccess).ok());
  EXPECT_THAT(plan.take_ready(), ElementsAre(2));
  p.max_parallel = 0;
  EXPECT_EQ(Plan(p, {}, {}).parallel_limit(), 0);
  EXPECT_EQ(Plan(p, {.max_parallel = 4}, {}).parallel_limit(), 4);
}

TEST(Plan, UnlimitedStartsEverythingReady) {
  std::string text = "nodes:\n";
  for (int i = 0; i < 50; ++i) text += "  n" + std::to_string(i) + ": {run: x}\n";
  Pipeline p = yaml(text);
  Plan plan(p, {}, {});
  plan.start();
  EXPECT_EQ(plan.take_ready().size(), 50u);
  EXPECT_EQ(plan.count(NodeStatus::kRunning), 50u);
}

TEST(Plan, FailureSkipsDependentsTransitivelyWhileSiblingsFinish) {
  Pipeline p = yaml(R"(nodes:
  build: {run: x}
  test: {needs: build, run: x}
  lint: {run: x}
  package: {needs: test, run: x}
  deploy: {needs: [package, lint], run: x}
  docs: {needs: lint, run: x}
)");
  Names names{p};
  Plan plan(p, {}, {});
  plan.start();
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("build", "lint"));
  auto events = plan.complete(at(p, "build"), NodeResult::kFailed);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(names(events->skipped), ElementsAre("test", "package", "deploy"));
  EXPECT_THAT(events->cancelled, IsEmpty());
  EXPECT_THAT(events->to_cancel, IsEmpty());
  EXPECT_EQ(plan.status(at(p, "lint")), NodeStatus::kRunning);
  ASSERT_TRUE(plan.complete(at(p, "lint"), NodeResult::kSuccess).ok());
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("docs"));
  ASSERT_TRUE(plan.complete(at(p, "docs"), NodeResult::kSuccess).ok());
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kFailed);
  EXPECT_EQ(plan.count(NodeStatus::kSkipped), 3u);
  EXPECT_EQ(plan.progress(), 100);
}

TEST(Plan, FailFastCancelsPendingAndAsksToStopRunning) {
  Pipeline p = yaml(R"(fail_fast: true
nodes:
  a: {run: x}
  b: {run: x}
  c: {run: x}
  after_a: {needs: a, run: x}
  after_b: {needs: b, run: x}
)");
  Names names{p};
  Plan plan(p, {.max_parallel = 2}, {});
  plan.start();
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("a", "b"));
  auto events = plan.complete(at(p, "a"), NodeResult::kFailed);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(names(events->skipped), ElementsAre("after_a"));
  EXPECT_THAT(names(events->cancelled), ElementsAre("c", "after_b"));
  EXPECT_THAT(names(events->to_cancel), ElementsAre("b"));
  EXPECT_THAT(plan.take_ready(), IsEmpty());
  auto stopped = plan.complete(at(p, "b"), NodeResult::kCancelled);
  ASSERT_TRUE(stopped.ok());
  EXPECT_TRUE(stopped->empty());
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kFailed);
}

TEST(Plan, FailFastFromOptionsAndNotOnContinueOnError) {
  Pipeline p = yaml(R"(nodes:
  soft: {run: x, continue_on_error: true}
  hard: {run: x}
  later: {run: x}
)");
  Plan plan(p, {.max_parallel = 2, .fail_fast = true}, {});
  plan.start();
  plan.take_ready();
  auto soft = plan.complete(at(p, "soft"), NodeResult::kFailed);
  ASSERT_TRUE(soft.ok());
  EXPECT_TRUE(soft->empty());  // a tolerated failure does not trigger fail_fast
  EXPECT_THAT(plan.take_ready(), ElementsAre(at(p, "later")));
  auto hard = plan.complete(at(p, "hard"), NodeResult::kFailed);
  ASSERT_TRUE(hard.ok());
  EXPECT_THAT(hard->to_cancel, ElementsAre(at(p, "later")));
}

TEST(Plan, ContinueOnErrorSatisfiesDependentsAndGivesWarning) {
  Pipeline p = yaml(R"(nodes:
  scan: {run: x, continue_on_error: true}
  deploy: {needs: scan, run: x}
)");
  Plan plan(p, {}, {});
  plan.start();
  plan.take_ready();
  auto events = plan.complete(0, NodeResult::kFailed);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->skipped.empty());
  EXPECT_THAT(plan.take_ready(), ElementsAre(1));
  ASSERT_TRUE(plan.complete(1, NodeResult::kSuccess).ok());
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kWarning);
  EXPECT_EQ(to_string(plan.outcome()), "warning");
}

TEST(Plan, FalseConditionsSkipWithoutStarting) {
  Pipeline p = yaml(R"(nodes:
  build: {run: x}
  deploy: {needs: build, run: x, if: "branch == 'main'"}
  notify: {needs: deploy, run: x}
  release: {run: x, if: {tag: ["v*"]}}
  after_release: {needs: release, run: x}
  always: {run: x}
)");
  Names names{p};
  Plan plan(p, {}, {.branch = "feature/x"});
  EXPECT_FALSE(plan.condition_met(at(p, "deploy")));
  EXPECT_TRUE(plan.condition_met(at(p, "build")));
  PlanEvents start = plan.start();
  EXPECT_THAT(names(start.skipped), ElementsAre("release", "after_release"));
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("build", "always"));
  auto events = plan.complete(at(p, "build"), NodeResult::kSuccess);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(names(events->skipped), ElementsAre("deploy", "notify"));
  EXPECT_THAT(plan.take_ready(), IsEmpty());
  ASSERT_TRUE(plan.complete(at(p, "always"), NodeResult::kSuccess).ok());
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kSuccess);

  Plan on_main(p, {}, {.branch = "main"});
  on_main.start();
  on_main.take_ready();
  ASSERT_TRUE(on_main.complete(at(p, "build"), NodeResult::kSuccess).ok());
  EXPECT_THAT(names(on_main.take_ready()), ElementsAre("deploy"));
}

TEST(Plan, WaitingNodesFreeTheirSlot) {
  Pipeline p = yaml(R"(max_parallel: 1
nodes:
  gate: {type: approval}
  a: {run: x}
  b: {run: x}
)");
  Plan plan(p, {}, {});
  plan.start();
  EXPECT_THAT(plan.take_ready(), ElementsAre(0));
  ASSERT_TRUE(plan.set_waiting(0).ok());
  EXPECT_EQ(plan.status(0), NodeStatus::kWaiting);
  EXPECT_EQ(plan.count(NodeStatus::kWaiting), 1u);
  EXPECT_THAT(plan.take_ready(), ElementsAre(1));
  EXPECT_FALSE(plan.set_waiting(2).ok());  // not running
  EXPECT_EQ(plan.set_waiting(2).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(plan.complete(1, NodeResult::kSuccess).ok());
  EXPECT_THAT(plan.take_ready(), ElementsAre(2));
  ASSERT_TRUE(plan.resume(0).ok());
  EXPECT_EQ(plan.status(0), NodeStatus::kRunning);
  EXPECT_FALSE(plan.resume(0).ok());
  ASSERT_TRUE(plan.set_waiting(0).ok());
  ASSERT_TRUE(plan.complete(0, NodeResult::kSuccess).ok());  // approved while waiting
  ASSERT_TRUE(plan.complete(2, NodeResult::kSuccess).ok());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kSuccess);
}

TEST(Plan, RejectedApprovalFailsTheExecution) {
  Pipeline p = yaml("nodes:\n  gate: {type: approval}\n  deploy: {needs: gate, run: x}\n");
  Plan plan(p, {}, {});
  plan.start();
  plan.take_ready();
  ASSERT_TRUE(plan.set_waiting(0).ok());
  auto events = plan.complete(0, NodeResult::kFailed);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(events->skipped, ElementsAre(1));
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kFailed);
}

TEST(Plan, RestoreForRerunFromCheckpoint) {
  Pipeline p = yaml(R"(nodes:
  build: {run: x}
  test: {needs: build, run: x}
  scan: {needs: build, run: x}
  deploy: {needs: [test, scan], run: x}
)");
  Names names{p};
  Plan plan(p, {}, {});
  ASSERT_TRUE(plan.restore(at(p, "build"), NodeStatus::kSuccess).ok());
  ASSERT_TRUE(plan.restore(at(p, "test"), NodeStatus::kSuccess).ok());
  EXPECT_EQ(plan.progress(), 50);
  EXPECT_TRUE(plan.start().empty());
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("scan"));
  ASSERT_TRUE(plan.complete(at(p, "scan"), NodeResult::kSuccess).ok());
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("deploy"));
  EXPECT_EQ(plan.restore(0, NodeStatus::kSuccess).error().code, ErrorCode::kConflict);
}

TEST(Plan, RestoreFailedAndSkippedNodes) {
  Pipeline p = yaml(R"(nodes:
  a: {run: x}
  b: {needs: a, run: x}
  c: {run: x, continue_on_error: true}
  d: {needs: c, run: x}
  e: {run: x}
  f: {needs: e, run: x}
)");
  Names names{p};
  Plan plan(p, {}, {});
  ASSERT_TRUE(plan.restore(at(p, "a"), NodeStatus::kFailed).ok());
  ASSERT_TRUE(plan.restore(at(p, "c"), NodeStatus::kFailed).ok());
  ASSERT_TRUE(plan.restore(at(p, "e"), NodeStatus::kSkipped).ok());
  PlanEvents events = plan.start();
  EXPECT_THAT(names(events.skipped), ElementsAre("b", "f"));
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("d"));
  ASSERT_TRUE(plan.complete(at(p, "d"), NodeResult::kSuccess).ok());
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kFailed);
}

TEST(Plan, RestoreRejectsTransientStatusesAndBadIndices) {
  Pipeline p = yaml("nodes:\n  a: {run: x}\n");
  Plan plan(p, {}, {});
  EXPECT_EQ(plan.restore(0, NodeStatus::kRunning).error().code, ErrorCode::kValidation);
  EXPECT_EQ(plan.restore(0, NodeStatus::kWaiting).error().code, ErrorCode::kValidation);
  EXPECT_EQ(plan.restore(5, NodeStatus::kSuccess).error().code, ErrorCode::kValidation);
  ASSERT_TRUE(plan.restore(0, NodeStatus::kFailed).ok());
  ASSERT_TRUE(plan.restore(0, NodeStatus::kPending).ok());  // changed its mind: counters follow
  plan.start();
  plan.take_ready();
  ASSERT_TRUE(plan.complete(0, NodeResult::kSuccess).ok());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kSuccess);
}

TEST(Plan, CompleteRejectsNodesThatAreNotRunning) {
  Pipeline p = yaml("nodes:\n  a: {run: x}\n  b: {needs: a, run: x}\n");
  Plan plan(p, {}, {});
  plan.start();
  EXPECT_EQ(plan.complete(1, NodeResult::kSuccess).error().code, ErrorCode::kConflict);
  EXPECT_EQ(plan.complete(0, NodeResult::kSuccess).error().message,
            "node 0 is queued, not running");
  EXPECT_EQ(plan.complete(9, NodeResult::kSuccess).error().code, ErrorCode::kValidation);
  plan.take_ready();
  ASSERT_TRUE(plan.complete(0, NodeResult::kSuccess).ok());
  EXPECT_EQ(plan.complete(0, NodeResult::kSuccess).error().code, ErrorCode::kConflict);
}

TEST(Plan, CancelAll) {
  Pipeline p = yaml(R"(nodes:
  a: {run: x}
  b: {type: approval}
  c: {needs: a, run: x}
  d: {run: x}
)");
  Names names{p};
  Plan plan(p, {.max_parallel = 2}, {});
  plan.start();
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("a", "b"));
  ASSERT_TRUE(plan.set_waiting(at(p, "b")).ok());
  EXPECT_THAT(names(plan.take_ready()), ElementsAre("d"));
  PlanEvents events = plan.cancel_all();
  EXPECT_THAT(names(events.cancelled), ElementsAre("c"));
  EXPECT_THAT(names(events.to_cancel), ElementsAre("a", "b", "d"));
  EXPECT_FALSE(plan.finished());
  PlanEvents again = plan.cancel_all();
  EXPECT_THAT(again.cancelled, IsEmpty());
  EXPECT_EQ(again.to_cancel.size(), 3u);
  ASSERT_TRUE(plan.complete(at(p, "a"), NodeResult::kSuccess).ok());  // finished meanwhile
  ASSERT_TRUE(plan.complete(at(p, "b"), NodeResult::kCancelled).ok());
  ASSERT_TRUE(plan.complete(at(p, "d"), NodeResult::kCancelled).ok());
  EXPECT_THAT(plan.take_ready(), IsEmpty());
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kCancelled);
  EXPECT_EQ(plan.count(NodeStatus::kCancelled), 3u);
  EXPECT_EQ(plan.progress(), 100);
}

TEST(Plan, CancelledNodeSkipsDependents) {
  Pipeline p = yaml("nodes:\n  a: {run: x}\n  b: {needs: a, run: x}\n");
  Plan plan(p, {}, {});
  plan.start();
  plan.take_ready();
  auto events = plan.complete(0, NodeResult::kCancelled);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(events->skipped, ElementsAre(1));
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kCancelled);
}

TEST(Plan, ProgressRoundsDown) {
  std::string text = "nodes:\n";
  for (int i = 0; i < 3; ++i) text += "  n" + std::to_string(i) + ": {run: x}\n";
  Pipeline p = yaml(text);
  Plan plan(p, {}, {});
  plan.start();
  plan.take_ready();
  ASSERT_TRUE(plan.complete(0, NodeResult::kSuccess).ok());
  EXPECT_EQ(plan.progress(), 33);
  ASSERT_TRUE(plan.complete(1, NodeResult::kFailed).ok());
  EXPECT_EQ(plan.progress(), 66);
  ASSERT_TRUE(plan.complete(2, NodeResult::kSuccess).ok());
  EXPECT_EQ(plan.progress(), 100);
}

// Drives a whole execution: every started node succeeds; answers the number
// of take_ready rounds.
size_t run_to_end(Plan& plan) {
  plan.start();
  size_t rounds = 0;
  std::vector<size_t> running;
  while (!plan.finished()) {
    std::vector<size_t> ready = plan.take_ready();
    running.insert(running.end(), ready.begin(), ready.end());
    EXPECT_FALSE(running.empty());
    if (running.empty()) break;
    size_t node = running.back();
    running.pop_back();
    EXPECT_TRUE(plan.complete(node, NodeResult::kSuccess).ok());
    ++rounds;
  }
  return rounds;
}

TEST(PlanScale, TenThousandNodeChain) {
  Pipeline p;
  for (int i = 0; i < 10'000; ++i) {
    Node n = node("n" + std::to_string(i));
    if (i > 0) n.needs = {"n" + std::to_string(i - 1)};
    p.nodes.push_back(std::move(n));
  }
  Plan plan(p, {}, {});
  EXPECT_EQ(run_to_end(plan), 10'000u);
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kSuccess);
}

TEST(PlanScale, TenThousandNodeWideDag) {
  Pipeline p;
  p.nodes.push_back(node("root"));
  Node sink = node("sink");
  for (int i = 0; i < 9'998; ++i) {
    p.nodes.push_back(node("w" + std::to_string(i), {"root"}));
    sink.needs.push_back("w" + std::to_string(i));
  }
  p.nodes.push_back(std::move(sink));
  Plan plan(p, {.max_parallel = 16}, {});
  EXPECT_EQ(run_to_end(plan), 10'000u);
  EXPECT_EQ(plan.outcome(), ExecutionOutcome::kSuccess);
  // A failing root skips all 9,999 others in one call.
  Plan failing(p, {}, {});
  failing.start();
  failing.take_ready();
  auto events = failing.complete(0, NodeResult::kFailed);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->skipped.size(), 9'999u);
}

}  // namespace
}  // namespace opz::pipeline
