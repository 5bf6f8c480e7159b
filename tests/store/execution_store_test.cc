#include "store/execution_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/ids.h"
#include "store/execution_history_store.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class ExecutionStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<ExecutionStore>(*db_);
    history_ = std::make_unique<ExecutionHistoryStore>(*db_);
  }

  ExecutionRecord execution(const std::string& created_at, const std::string& branch = "main") {
    ExecutionRecord e;
    e.id = new_uuid();
    e.name = "run " + created_at;
    e.pipeline = R"({"name":"p","nodes":[]})";
    e.status = "idle";
    e.environment = "Development";
    e.branch = branch;
    e.trigger_type = "manual";
    e.metadata = {{"tag", "v1"}};
    e.created_at = e.updated_at = created_at;
    return e;
  }

  ExecutionNodeRecord node(const ExecutionRecord& e, const std::string& node_id, int position) {
    ExecutionNodeRecord n;
    n.id = new_uuid();
    n.execution_id = e.id;
    n.node_id = node_id;
    n.name = node_id;
    n.type = "run";
    n.status = "pending";
    n.max_attempts = 2;
    n.position = position;
    n.created_at = n.updated_at = e.created_at;
    return n;
  }

  std::unique_ptr<ExecutionStore> store_;
  std::unique_ptr<ExecutionHistoryStore> history_;
};

TEST_F(ExecutionStoreTest, CreatesExecutionWithNodesInPipelineOrderAndACreatedEvent) {
  ExecutionRecord e = execution("2024-01-15T10:00:00.000Z");
  ASSERT_TRUE(store_->create(e, {node(e, "zeta", 0), node(e, "alpha", 1)}).ok());

  auto got = store_->get(e.id);
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_EQ(got->execution.status, "idle");
  EXPECT_EQ(got->execution.pipeline, e.pipeline);
  EXPECT_EQ(got->execution.metadata["tag"], "v1");
  ASSERT_EQ(got->nodes.size(), 2u);
  EXPECT_EQ(got->nodes[0].node_id, "zeta");
  EXPECT_EQ(got->nodes[1].node_id, "alpha");
  EXPECT_EQ(got->nodes[1].max_attempts, 2);
  EXPECT_FALSE(got->nodes[0].exit_code.has_value());

  auto events = history_->state_events(e.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].old_state, "");
  EXPECT_EQ((*events)[0].new_state, "idle");
  EXPECT_EQ((*events)[0].reason, "created");

  auto light = store_->find(e.id, /*with_pipeline=*/false);
  ASSERT_TRUE(light.ok());
  EXPECT_EQ(light->pipeline, "");
  EXPECT_TRUE(store_->find("nope").error().is_not_found());
}

TEST_F(ExecutionStoreTest, TheNodeRowsOfOneCreateAreLoggedInOrderWithOneTime) {
  // A submit's node events reach the stream as one batch frame, which writes
  // a time shared by every event once (realtime/batch_frame.h). 1,000 rows
  // take several milliseconds to write: one statement each would stamp them
  // with times spread over the transaction.
  ExecutionRecord e = execution("2024-01-15T10:00:00.000Z");
  std::vector<ExecutionNodeRecord> nodes;
  for (int i = 0; i < 1000; ++i) nodes.push_back(node(e, "n" + std::to_string(i), i));
  nodes[7].outputs = {{"image", "app:1"}};
  nodes[7].error = "boom";
  nodes[7].exit_code = 2;
  nodes[7].started_at = "2024-01-15T10:00:01.000Z";
  ASSERT_TRUE(store_->create_many({{e, nodes}}).ok());

  auto events = db_->read([&](SqlSession& s) {
    return s.query(
        "SELECT id, record_id, created_at FROM realtime_events WHERE topic = 'nodes' AND "
        "execution_id = $1 ORDER BY id",
        {e.id});
  });
  ASSERT_TRUE(events.ok()) << events.error().to_string();
  ASSERT_EQ(events->size(), nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Row& r = events->rows[i];
    EXPECT_EQ(r[1].as_text(), nodes[i].id) << i;  // in the order given
    if (i > 0) {
      EXPECT_EQ(r[0].as_int(), events->rows[i - 1][0].as_int() + 1) << i;
      EXPECT_EQ(r[2].as_text(), events->rows[0][2].as_text()) << i;  // one time
    }
  }
  // The rows themselves as written (staged or not).
  auto got = store_->get(e.id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->nodes.size(), nodes.size());
  const ExecutionNodeRecord& n7 = got->nodes[7];
  EXPECT_EQ(n7.id, nodes[7].id);
  EXPECT_EQ(n7.node_id, "n7");
  EXPECT_EQ(n7.outputs, nodes[7].outputs);
  EXPECT_EQ(n7.error, "boom");
  EXPECT_EQ(n7.exit_code, 2);
  EXPECT_EQ(n7.started_at, "2024-01-15T10:00:01.000Z");
  EXPECT_EQ(n7.max_attempts, 2);
  EXPECT_EQ(n7.position, 7);
  EXPECT_FALSE(got->nodes[8].exit_code.has_value());
  EXPECT_EQ(got->nodes[8].error, "");

  // A second submit on the same connection stages again from empty.
  ExecutionRecord e2 = execution("2024-01-15T11:00:00.000Z");
  ASSERT_TRUE(store_->create_many({{e2, {node(e2, "a", 0), node(e2, "b", 1)}}}).ok());
  auto got2 = store_->get(e2.id);
  ASSERT_TRUE(got2.ok());
  ASSERT_EQ(got2->nodes.size(), 2u);
  EXPECT_EQ(got2->nodes[0].node_id, "a");
  EXPECT_EQ(got2->nodes[1].node_id, "b");
}

TEST_F(ExecutionStoreTest, ApplyWritesLogsNodesExecutionAndEventsInOneBatch) {
  ExecutionRecord e = execution("2024-01-15T10:00:00.000Z");
  ExecutionNodeRecord n = node(e, "build", 0);
  ASSERT_TRUE(store_->create(e, {n}).ok());

  ExecutionBatch b;
  b.at = "2024-01-15T10:00:01.000Z";
  b.logs.push_back({0, e.id, "build", 1, "stdout", "info", "hello", b.at});
  b.logs.push_back({0, e.id, "build", 1, "stderr", "warn", "oops", b.at});
  ExecutionNodeRecord done = n;
  done.status = "success";
  done.attempt = 1;
  done.exit_code = 0;
  done.duration_ms = 12;
  done.outputs = {{"version", "1.2.3"}};
  done.log_bytes = 11;
  b.changes.push_back(NodeChange{done, "pending", "exit code 0"});
  ExecutionRecord running = e;
  running.status = "success";
  running.progress = 100;
  running.completed_at = b.at;
  b.changes.push_back(ExecutionChange{running, "idle", "all nodes complete", false});
  b.artifacts.push_back({new_uuid(),
                         "app",
                         e.id,
                         "build",
                         "sha256:abc",
                         "v1",
                         "ghcr.io/x",
                         "docker",
                         42,
                         {{"k", "v"}},
                         b.at});
  b.checkpoints.push_back({new_uuid(),
                           e.id,
                           "build",
                           "post-build-checkpoint",
                           {{"previous_nodes", {{"build", "success"}}}},
                           b.at,
                           {}});
  // One rendered as text by its writer (the engine does): the text is stored.
  store::CheckpointRecord as_text;
  as_text.id = new_uuid();
  as_text.execution_id = e.id;
  as_text.node_id = "build";
  as_text.name = "rendered";
  as_text.state = {{"previous_nodes", {{"ignored", "when state_text is set"}}}};
  as_text.state_text = R"({"previous_nodes":{"build":"success","test":"failed"}})";
  as_text.created_at = b.at;
  b.checkpoints.push_back(as_text);
  auto r = store_->apply(b);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->log_seqs.size(), 2u);
  EXPECT_LT(r->log_seqs[0], r->log_seqs[1]);

  auto got = store_->get(e.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->execution.status, "success");
  EXPECT_EQ(got->execution.progress, 100);
  EXPECT_EQ(got->execution.completed_at, b.at);
  EXPECT_EQ(got->nodes[0].status, "success");
  EXPECT_EQ(got->nodes[0].exit_code, 0);
  EXPECT_EQ(got->nodes[0].duration_ms, 12);
  EXPECT_EQ(got->nodes[0].outputs["version"], "1.2.3");

  auto events = history_->state_events(e.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].node_id, "build");
  EXPECT_EQ((*events)[1].old_state, "pending");
  EXPECT_EQ((*events)[1].new_state, "success");
  EXPECT_EQ((*events)[2].node_id, "");
  EXPECT_EQ((*events)[2].new_state, "success");
  EXPECT_EQ((*events)[2].reason, "all nodes complete");

  auto artifacts = history_->artifacts(e.id);
  ASSERT_TRUE(artifacts.ok());
  ASSERT_EQ(artifacts->size(), 1u);
  EXPECT_EQ((*artifacts)[0].image_digest, "sha256:abc");
  EXPECT_EQ((*artifacts)[0].size_bytes, 42);
  auto checkpoints = history_->checkpoints(e.id);
  ASSERT_TRUE(checkpoints.ok());
  ASSERT_EQ(checkpoints->size(), 2u);
  EXPECT_EQ((*checkpoints)[0].state["previous_nodes"]["build"], "success");
  EXPECT_EQ((*checkpoints)[1].state,
            (Json{{"previous_nodes", {{"build", "success"}, {"test", "failed"}}}}));
  auto found = history_->find_checkpoint((*checkpoints)[0].id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->name, "post-build-checkpoint");
}

TEST_F(ExecutionStoreTest, StaleExecutionStatusRollsBackTheWholeBatch) {
  ExecutionRecord e = execution("2024-01-15T10:00:00.000Z");
  ASSERT_TRUE(store_->create(e, {}).ok());
  ExecutionBatch b;
  b.at = "2024-01-15T10:00:01.000Z";
  b.logs.push_back({0, e.id, "", 0, "system", "info", "should vanish", b.at});
  ExecutionRecord next = e;
  next.status = "success";
  b.changes.push_back(ExecutionChange{next, "running", "wrong belief", false});
  auto r = store_->apply(b);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is_conflict());
  auto logs = history_->logs({.execution_id = e.id});
  ASSERT_TRUE(logs.ok());
  EXPECT_TRUE(logs->empty());
  EXPECT_EQ(store_->find(e.id)->status, "idle");
}

TEST_F(ExecutionStoreTest, UnknownNodeRowIsAnError) {
  ExecutionRecord e = execution("2024-01-15T10:00:00.000Z");
  ASSERT_TRUE(store_->create(e, {}).ok());
  ExecutionBatch b;
  b.at = e.created_at;
  b.changes.push_back(NodeChange{node(e, "ghost", 0), "pending", ""});
  auto r = store_->apply(b);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is_not_found());
}

TEST_F(ExecutionStoreTest, ListFiltersAndPaginatesNewestFirst) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ExecutionRecord e =
        execution("2024-01-1" + std::to_string(i) + "T10:00:00.000Z", i % 2 ? "develop" : "main");
    ASSERT_TRUE(store_->create(e, {}).ok());
    ids.push_back(e.id);
  }
  auto page1 = store_->list({}, {.cursor = "", .limit = 2});
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->items.size(), 2u);
  EXPECT_EQ(page1->items[0].id, ids[4]);
  EXPECT_EQ(page1->items[0].pipeline, "");  // lists carry no snapshot
  ASSERT_TRUE(page1->next_cursor.has_value());
  auto page2 = store_->list({}, {.cursor = *page1->next_cursor, .limit = 2});
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->items.size(), 2u);
  EXPECT_EQ(page2->items[0].id, ids[2]);
  auto page3 = store_->list({}, {.cursor = *page2->next_cursor, .limit = 2});
  ASSERT_TRUE(page3.ok());
  ASSERT_EQ(page3->items.size(), 1u);
  EXPECT_FALSE(page3->next_cursor.has_value());

  auto develop = store_->list({.branch = "develop"}, {});
  ASSERT_TRUE(develop.ok());
  EXPECT_EQ(develop->items.size(), 2u);
  auto since = store_->list({.branch = "main", .since = "2024-01-12"}, {});
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->items.size(), 2u);
  EXPECT_EQ(since->items[1].id, ids[2]);
  auto none = store_->list({.status = "running"}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());

  auto bad_since = store_->list({.since = "yesterday"}, {});
  ASSERT_FALSE(bad_since.ok());
  EXPECT_EQ(bad_since.error().field, "since");
  EXPECT_FALSE(store_->list({}, {.cursor = "zz", .limit = 1}).ok());
}

TEST_F(ExecutionStoreTest, ListUnfinishedReturnsActiveExecutionsWithSnapshots) {
  ExecutionRecord a = execution("2024-01-15T10:00:00.000Z");
  ExecutionRecord b = execution("2024-01-15T10:00:01.000Z");
  ASSERT_TRUE(store_->create(a, {}).ok());
  ASSERT_TRUE(store_->create(b, {}).ok());
  ExecutionBatch batch;
  batch.at = "2024-01-15T10:00:02.000Z";
  ExecutionRecord done = b;
  done.status = "cancelled";
  done.cancel_reason = "stop";
  batch.changes.push_back(ExecutionChange{done, "idle", "cancelled", false});
  ASSERT_TRUE(store_->apply(batch).ok());
  auto unfinished = store_->list_unfinished();
  ASSERT_TRUE(unfinished.ok());
  ASSERT_EQ(unfinished->size(), 1u);
  EXPECT_EQ((*unfinished)[0].id, a.id);
  EXPECT_EQ((*unfinished)[0].pipeline, a.pipeline);
  EXPECT_EQ(store_->find(b.id)->cancel_reason, "stop");
}

TEST_F(ExecutionStoreTest, LogsTailBySequenceAndFilterByNodeAndAttempt) {
  ExecutionRecord e = execution("2024-01-15T10:00:00.000Z");
  ASSERT_TRUE(store_->create(e, {}).ok());
  ExecutionBatch b;
  b.at = e.created_at;
  for (int i = 0; i < 6; ++i) {
    b.logs.push_back({0, e.id, i % 2 ? "b" : "a", i < 4 ? 1 : 2, "stdout", "info",
                      "line " + std::to_string(i), b.at});
  }
  b.logs.push_back({0, e.id, "", 0, "system", "info", "execution note", b.at});
  auto r = store_->apply(b);
  ASSERT_TRUE(r.ok());

  auto first = history_->logs({.execution_id = e.id, .after_seq = 0, .limit = 3});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].message, "line 0");
  auto rest = history_->logs({.execution_id = e.id, .after_seq = first->back().seq});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 4u);
  EXPECT_EQ(rest->back().message, "execution note");
  EXPECT_EQ(rest->back().node_id, "");

  auto node_a = history_->logs({.execution_id = e.id, .node_id = "a"});
  ASSERT_TRUE(node_a.ok());
  ASSERT_EQ(node_a->size(), 3u);
  auto retry = history_->logs({.execution_id = e.id, .node_id = "a", .attempt = 2});
  ASSERT_TRUE(retry.ok());
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].message, "line 4");

  EXPECT_FALSE(history_->logs({.execution_id = e.id, .limit = 0}).ok());
  EXPECT_FALSE(history_->logs({.execution_id = e.id, .after_seq = -1}).ok());
}

TEST_F(ExecutionStoreTest, ApprovalRequestsAreCreatedAndResolvedOnce) {
  ExecutionRecord e = execution("2024-01-15T10:00:00.000Z");
  ASSERT_TRUE(store_->create(e, {}).ok());
  ExecutionBatch b;
  b.at = e.created_at;
  b.approvals.push_back({new_uuid(), e.id, "gate", "Production", "pending", 2, "alice",
                         "Approve gate", "", "", "", b.at, b.at});
  ASSERT_TRUE(store_->apply(b).ok());

  ExecutionBatch resolve;
  resolve.at = "2024-01-15T10:05:00.000Z";
  resolve.approval_resolutions.push_back({e.id, "gate", "approved"});
  ASSERT_TRUE(store_->apply(resolve).ok());
  ExecutionBatch again;
  again.at = "2024-01-15T10:06:00.000Z";
  again.approval_resolutions.push_back({e.id, "gate", "rejected"});
  ASSERT_TRUE(store_->apply(again).ok());

  auto approvals = history_->approval_requests(e.id);
  ASSERT_TRUE(approvals.ok());
  ASSERT_EQ(approvals->size(), 1u);
  EXPECT_EQ((*approvals)[0].status, "approved");
  EXPECT_EQ((*approvals)[0].required_approvals, 2);
  EXPECT_EQ((*approvals)[0].resolved_at, "2024-01-15T10:05:00.000Z");
}

TEST_F(ExecutionStoreTest, AdmittedDeploymentsSkipHeldFinishedAndCiOnlyExecutions) {
  auto add = [&](const std::string& at, const std::string& status, const std::string& governance,
                 bool ci_only = false) {
    ExecutionRecord e = execution(at);
    e.status = status;
    e.governance_status = governance;
    if (ci_only) e.metadata["ci_only"] = true;
    EXPECT_TRUE(store_->create(e, {}).ok());
    return e.id;
  };
  const std::string running = add("2024-01-15T10:00:00.000Z", "running", "allowed");
  const std::string at_gate = add("2024-01-15T10:00:01.000Z", "paused", "allowed");
  const std::string idle = add("2024-01-15T10:00:02.000Z", "idle", "");
  add("2024-01-15T10:00:03.000Z", "paused", "pending_approval");
  add("2024-01-15T10:00:04.000Z", "paused", "waiting");
  add("2024-01-15T10:00:05.000Z", "running", "allowed", /*ci_only=*/true);
  add("2024-01-15T10:00:06.000Z", "success", "allowed");
  add("2024-01-15T10:00:07.000Z", "failed", "blocked");

  auto in_flight = store_->list_admitted_deployments();
  ASSERT_TRUE(in_flight.ok()) << in_flight.error().to_string();
  std::vector<std::string> ids;
  for (const auto& e : *in_flight) ids.push_back(e.id);
  EXPECT_EQ(ids, (std::vector<std::string>{running, at_gate, idle}));
}

}  // namespace
}  // namespace opz::store
