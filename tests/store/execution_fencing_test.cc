// The fence inside the write transaction (issue 14): an ExecutionBatch
// guarded by the owner generation its writer believes it holds writes
// nothing of an execution another server has claimed since, and everything
// of the executions it still owns. On PostgreSQL also the race between a
// claim and a guarded batch: they serialise on the owner row.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <latch>
#include <thread>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/build_execution.h"
#include "store/execution_history_store.h"
#include "store/execution_store.h"
#include "store/migrated_db_test.h"
#include "store/server_lease_store.h"

namespace opz::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kTtl{30000};

class ExecutionFencingTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    project_ = create_project();
  }

  // A running execution with one running node "build".
  std::string add_running() {
    const std::string at = format_time(clock_.now());
    ExecutionRecord e = build_execution(project_, "running", at);
    e.started_at = at;
    ExecutionNodeRecord n;
    n.id = new_uuid();
    n.execution_id = e.id;
    n.node_id = "build";
    n.name = "build";
    n.type = "build";
    n.status = "running";
    n.attempt = 1;
    n.started_at = n.created_at = n.updated_at = at;
    auto st = ExecutionStore(*db_).create(e, {n});
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    rows_[e.id] = {e, n};
    return e.id;
  }

  void renew(Database& db, const std::string& server) {
    auto r = ServerLeaseStore(db).renew(server, "host", 1, clock_.now(), kTtl);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }

  int64_t claim(Database& db, const std::string& execution, const std::string& server) {
    auto c = ServerLeaseStore(db).claim(execution, server, clock_.now());
    EXPECT_TRUE(c.ok()) << c.error().to_string();
    EXPECT_TRUE(c.ok() && c->claimed) << execution << " not claimed by " << server;
    return c.ok() ? c->generation : 0;
  }

  // Everything a finishing step records for `id`: a line, the node and the
  // execution ending well (each with its state event), an artifact, a
  // checkpoint and an approval request.
  void add_finish(ExecutionBatch& b, const std::string& id) {
    const std::string at = format_time(clock_.now());
    b.at = at;
    auto [e, n] = rows_.at(id);
    b.logs.push_back({0, id, "build", 1, "stdout", "info", "built " + id, at});
    n.status = "success";
    n.completed_at = at;
    b.changes.push_back(NodeChange{n, "running", "exit 0"});
    e.status = "success";
    e.progress = 100;
    e.completed_at = at;
    b.changes.push_back(ExecutionChange{e, "running", "all nodes done"});
    ArtifactRecord a;
    a.id = new_uuid();
    a.name = "image";
    a.execution_id = id;
    a.node_id = "build";
    a.type = "docker";
    a.created_at = at;
    b.artifacts.push_back(a);
    b.checkpoints.push_back({new_uuid(), id, "build", "after build", Json::object(), at, {}});
    ApprovalRequestRecord r;
    r.id = new_uuid();
    r.execution_id = id;
    r.node_id = "gate";
    r.status = "pending";
    r.title = "ship?";
    r.created_at = r.updated_at = at;
    b.approvals.push_back(r);
  }

  // What the store holds of an execution, for before/after comparisons.
  struct Recorded {
    std::string status;
    std::string node_status;
    size_t state_events = 0;
    size_t logs = 0;
    size_t artifacts = 0;
    size_t checkpoints = 0;
    size_t approvals = 0;
    bool operator==(const Recorded&) const = default;
  };
  Recorded recorded(Database& db, const std::string& id) {
    Recorded r;
    auto d = ExecutionStore(db).get(id);
    EXPECT_TRUE(d.ok());
    if (!d.ok()) return r;
    r.status = d->execution.status;
    r.node_status = d->nodes.empty() ? "" : d->nodes[0].status;
    ExecutionHistoryStore h(db);
    r.state_events = h.state_events(id)->size();
    r.logs = h.logs({.execution_id = id})->size();
    r.artifacts = h.artifacts(id)->size();
    r.checkpoints = h.checkpoints(id)->size();
    r.approvals = h.approval_requests(id)->size();
    return r;
  }

  std::string project_;
  std::map<std::string, std::pair<ExecutionRecord, ExecutionNodeRecord>> rows_;
};

TEST_F(ExecutionFencingTest, ABatchWritesNothingOfAnExecutionAnotherServerClaimedSince) {
  const std::string lost = add_running();
  const std::string kept = add_running();
  const std::string unguarded = add_running();
  renew(*db_, "server-a");
  ASSERT_EQ(claim(*db_, lost, "server-a"), 1);
  ASSERT_EQ(claim(*db_, kept, "server-a"), 1);
  clock_.advance(kTtl + seconds(1));  // A's lease lapses; B takes `lost` over
  renew(*db_, "server-b");
  ASSERT_EQ(claim(*db_, lost, "server-b"), 2);
  const Recorded before = recorded(*db_, lost);

  ExecutionBatch b;
  add_finish(b, lost);
  add_finish(b, kept);
  add_finish(b, unguarded);
  b.owners = {{lost, {"server-a", 1}}, {kept, {"server-a", 1}}};
  auto result = ExecutionStore(*db_).apply(b);
  ASSERT_TRUE(result.ok()) << result.error().to_string();

  EXPECT_EQ(result->fenced, std::vector<std::string>{lost});
  ASSERT_EQ(result->log_seqs.size(), 3u);
  EXPECT_EQ(result->log_seqs[0], 0) << "a fenced line has no seq";
  EXPECT_GT(result->log_seqs[1], 0);
  EXPECT_GT(result->log_seqs[2], result->log_seqs[1]);

  EXPECT_EQ(recorded(*db_, lost), before) << "nothing written over the new owner";
  EXPECT_EQ(before.status, "running");
  EXPECT_EQ(before.node_status, "running");
  EXPECT_EQ(before.logs, 0u);
  for (const std::string& id : {kept, unguarded}) {
    const Recorded after = recorded(*db_, id);
    EXPECT_EQ(after.status, "success") << id;
    EXPECT_EQ(after.node_status, "success") << id;
    EXPECT_EQ(after.state_events, before.state_events + 2) << id;
    EXPECT_EQ(after.logs, 1u) << id;
    EXPECT_EQ(after.artifacts, 1u) << id;
    EXPECT_EQ(after.checkpoints, 1u) << id;
    EXPECT_EQ(after.approvals, 1u) << id;
  }
  auto owner = ServerLeaseStore(*db_).owner_of(lost, clock_.now());
  ASSERT_TRUE(owner.ok() && owner->has_value());
  EXPECT_EQ((*owner)->server_id, "server-b");
  EXPECT_EQ((*owner)->generation, 2);
}

TEST_F(ExecutionFencingTest, AGuardForAnotherGenerationOrNoOwnerRowIsFenced) {
  const std::string reclaimed = add_running();
  const std::string never_claimed = add_running();
  renew(*db_, "server-a");
  ASSERT_EQ(claim(*db_, reclaimed, "server-a"), 1);
  clock_.advance(kTtl + seconds(1));
  renew(*db_, "server-b");
  ASSERT_EQ(claim(*db_, reclaimed, "server-b"), 2);
  clock_.advance(kTtl + seconds(1));
  renew(*db_, "server-a");
  ASSERT_EQ(claim(*db_, reclaimed, "server-a"), 3) << "A took it back: a newer generation";

  ExecutionBatch b;
  add_finish(b, reclaimed);
  add_finish(b, never_claimed);
  b.owners = {{reclaimed, {"server-a", 1}}, {never_claimed, {"server-a", 1}}};
  auto result = ExecutionStore(*db_).apply(b);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  std::vector<std::string> want = {reclaimed, never_claimed};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(result->fenced, want);
  EXPECT_EQ(recorded(*db_, reclaimed).status, "running");
  EXPECT_EQ(recorded(*db_, never_claimed).status, "running");

  // The same changes under the generation A holds now are written.
  ExecutionBatch again;
  add_finish(again, reclaimed);
  again.owners = {{reclaimed, {"server-a", 3}}};
  auto written = ExecutionStore(*db_).apply(again);
  ASSERT_TRUE(written.ok()) << written.error().to_string();
  EXPECT_TRUE(written->fenced.empty());
  EXPECT_EQ(recorded(*db_, reclaimed).status, "success");
  EXPECT_EQ(recorded(*db_, reclaimed).logs, 1u);
}

// A claim on one connection and a guarded batch on another, started
// together, many times: they never interleave. Either the batch is fenced
// (the claim came first: nothing written), or it committed before the claim
// did, so the new owner, loading the execution right after its claim, sees
// what the batch wrote — never a state the old owner then overwrites.
TEST_F(ExecutionFencingTest, AClaimAndAGuardedBatchAtTheSameTimeSerialiseOnTheOwnerRow) {
  if (!on_postgres()) GTEST_SKIP() << "SQLite has one writer at a time";
  auto second = Database::open_postgres({.url = pg_->url(), .readers = 1});
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  std::unique_ptr<Database> db2 = std::move(second).value();

  constexpr int kRounds = 30;
  int fenced_rounds = 0;
  int written_rounds = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = add_running();
    renew(*db_, "server-a");
    ASSERT_EQ(claim(*db_, id, "server-a"), 1);
    clock_.advance(kTtl + seconds(1));  // A lapses (B's lease does not matter to a claim)

    ExecutionBatch b;
    add_finish(b, id);
    b.owners = {{id, {"server-a", 1}}};
    const TimePoint now = clock_.now();
    std::latch go(2);
    Result<BatchResult> applied = Error::internal("not run");
    Result<OwnerClaim> claimed = Error::internal("not run");
    std::string seen_by_new_owner;
    std::thread old_owner([&] {
      go.arrive_and_wait();
      applied = ExecutionStore(*db_).apply(b);
    });
    std::thread new_owner([&] {
      go.arrive_and_wait();
      claimed = ServerLeaseStore(*db2).claim(id, "server-b", now);
      auto loaded = ExecutionStore(*db2).find(id, false);
      if (loaded.ok()) seen_by_new_owner = loaded->status;
    });
    old_owner.join();
    new_owner.join();

    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
    ASSERT_TRUE(claimed.ok()) << claimed.error().to_string();
    ASSERT_TRUE(claimed->claimed);
    EXPECT_EQ(claimed->generation, 2);
    const Recorded after = recorded(*db_, id);
    if (applied->fenced == std::vector<std::string>{id}) {
      ++fenced_rounds;
      EXPECT_EQ(after.status, "running") << "round " << round;
      EXPECT_EQ(after.node_status, "running") << "round " << round;
      EXPECT_EQ(after.logs, 0u) << "round " << round;
      EXPECT_EQ(after.artifacts + after.checkpoints + after.approvals, 0u) << "round " << round;
      EXPECT_EQ(seen_by_new_owner, "running") << "round " << round;
    } else {
      ++written_rounds;
      EXPECT_TRUE(applied->fenced.empty()) << "round " << round;
      EXPECT_EQ(after.status, "success") << "round " << round;
      EXPECT_EQ(after.logs, 1u) << "round " << round;
      EXPECT_EQ(seen_by_new_owner, "success")
          << "round " << round << ": the batch committed after the new owner's claim";
    }
    // The old owner's next batch is fenced whatever happened.
    ExecutionBatch late;
    late.at = format_time(clock_.now());
    late.logs.push_back({0, id, "build", 1, "stdout", "info", "late", late.at});
    late.owners = {{id, {"server-a", 1}}};
    auto late_result = ExecutionStore(*db_).apply(late);
    ASSERT_TRUE(late_result.ok()) << late_result.error().to_string();
    EXPECT_EQ(late_result->fenced, std::vector<std::string>{id});
  }
  EXPECT_EQ(fenced_rounds + written_rounds, kRounds);
  RecordProperty("fenced_rounds", fenced_rounds);
  RecordProperty("written_rounds", written_rounds);
  std::printf("claim first (batch fenced): %d, batch first (written): %d\n", fenced_rounds,
              written_rounds);
  db2->close();
}

}  // namespace
}  // namespace opz::store
