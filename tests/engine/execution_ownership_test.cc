// Execution ownership with two engines ("servers" A and B) on one database:
// recovery leaves a live server's executions alone, a lapsed lease lets the
// other take over while the old owner drops its copy, and commands for an
// execution another live server owns are run by that server. Lease time is a
// ManualClock's; each engine has its own SqlExecutionOwnership and runner.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "engine/engine.h"
#include "engine/sql_execution_ownership.h"
#include "engine_fixture.h"
#include "store/server_lease_store.h"

namespace opz::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kLease{30000};

// SqlExecutionOwnership that can be cut off from the database's lease table:
// while partitioned, renew() fails (a server that cannot reach the database,
// or is paused), everything else passes through.
class PartitionableOwnership final : public ExecutionOwnership {
 public:
  explicit PartitionableOwnership(std::unique_ptr<SqlExecutionOwnership> inner)
      : inner_(std::move(inner)) {}
  std::atomic<bool> partitioned{false};

  bool shared() const override { return true; }
  std::string server_id() const override { return inner_->server_id(); }
  milliseconds lease_timeout() const override { return inner_->lease_timeout(); }
  Result<bool> renew() override {
    if (partitioned) return Error::unavailable("partitioned");
    return inner_->renew();
  }
  bool lease_fresh() const override { return inner_->lease_fresh(); }
  Result<OwnershipClaim> claim(const std::string& id) override { return inner_->claim(id); }
  Result<std::map<std::string, int64_t>> owned() override { return inner_->owned(); }
  Result<std::vector<std::string>> orphaned() override { return inner_->orphaned(); }
  Result<std::optional<OwnerInfo>> owner_of(const std::string& id) override {
    return inner_->owner_of(id);
  }
  Result<std::vector<ForwardedCommand>> pending_commands() override {
    return inner_->pending_commands();
  }
  Status complete_command(int64_t id, const Status& outcome) override {
    return inner_->complete_command(id, outcome);
  }
  Result<int64_t> send_command(const std::string& owner, const std::string& id,
                               const std::string& kind, const Json& payload,
                               const std::string& actor) override {
    return inner_->send_command(owner, id, kind, payload, actor);
  }
  Result<std::optional<Status>> command_result(int64_t id) override {
    return inner_->command_result(id);
  }

 private:
  std::unique_ptr<SqlExecutionOwnership> inner_;
};

class ExecutionOwnershipTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    owner_a_ = std::make_unique<PartitionableOwnership>(std::make_unique<SqlExecutionOwnership>(
        *db_, clock_, ServerIdentity{"server-a", "h", 1, kLease}));
    owner_b_ = std::make_unique<SqlExecutionOwnership>(*db_, clock_,
                                                       ServerIdentity{"server-b", "h", 2, kLease});
  }

  void TearDown() override {
    if (engine_b_) engine_b_->stop();
    runner_b_.shutdown();
    EngineFixture::TearDown();
    engine_.reset();  // before metrics_a_, which it counts into
  }

  // Server A is the fixture's engine_; B has its own runner and data dir.
  void start_a() {
    options_.ownership = owner_a_.get();
    metrics_registry_ = &metrics_a_;
    start_engine();
  }

  // A sample of A's metrics ("0" when absent), e.g.
  // metric_a("opzenix_executions_dropped_total{at=\"commit\"}").
  std::string metric_a(const std::string& series) const {
    const std::string text = metrics_a_.render();
    const std::string key = series + " ";
    size_t at = text.find("\n" + key);
    if (at == std::string::npos) return "0";
    at += 1 + key.size();
    return text.substr(at, text.find('\n', at) - at);
  }
  void start_b(milliseconds answer_timeout = std::chrono::seconds(10)) {
    EngineOptions b = options_;
    b.data_dir = dir_.str() + "/data-b";
    b.ownership = owner_b_.get();
    b.command_answer_timeout = answer_timeout;
    engine_b_ = std::make_unique<Engine>(*journal_, runner_b_, bus_, SystemClock::instance(), b);
    engine_b_->start();
  }

  // build (appends a line to a marker file) -> approval gate -> deploy.
  std::string gated() {
    marker_ = dir_.str() + "/build-ran";
    return submit(R"(
nodes:
  build: {run: 'echo built >> )" + marker_ + R"('}
  gate: {type: approval, needs: build}
  deploy: {needs: gate, run: 'echo deploying'}
)");
  }

  int marker_lines() {
    std::ifstream in(marker_);
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

  std::optional<store::ExecutionOwner> owner(const std::string& id) {
    store::ServerLeaseStore leases(*db_);
    auto o = leases.owner_of(id, clock_.now());
    EXPECT_TRUE(o.ok());
    return o.ok() ? *o : std::nullopt;
  }

  size_t active(Engine& e) {
    auto s = e.snapshot();
    EXPECT_TRUE(s.ok());
    return s.ok() ? s->active_executions : 0;
  }

  ManualClock clock_{SystemClock::instance().now()};
  telemetry::MetricsRegistry metrics_a_;
  std::unique_ptr<PartitionableOwnership> owner_a_;
  std::unique_ptr<SqlExecutionOwnership> owner_b_;
  runner::LocalRunner runner_b_;
  std::unique_ptr<Engine> engine_b_;
  std::string marker_;
};

TEST_F(ExecutionOwnershipTest, RecoveryLeavesAnExecutionALiveServerOwnsAlone) {
  start_a();
  const std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  ASSERT_EQ(owner(id)->server_id, "server-a");

  start_b();
  auto report = engine_b_->recover();
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->executions, 0);
  EXPECT_EQ(active(*engine_b_), 0u);
  EXPECT_EQ(owner(id)->server_id, "server-a");
  EXPECT_EQ(owner(id)->generation, 1);
  EXPECT_EQ(active(*engine_), 1u);
}

TEST_F(ExecutionOwnershipTest, AnotherServerTakesOverAfterTheLeaseLapsesAndTheOldOwnerDropsIt) {
  start_a();
  const std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  start_b();
  ASSERT_TRUE(engine_b_->check_ownership().ok());
  EXPECT_EQ(active(*engine_b_), 0u) << "A's lease is alive: nothing to take over";

  owner_a_->partitioned = true;         // A cannot renew
  clock_.advance(kLease + seconds(1));  // ... until its lease lapses; B renews
  ASSERT_TRUE(engine_b_->check_ownership().ok());
  ASSERT_EQ(owner(id)->server_id, "server-b");
  EXPECT_EQ(owner(id)->generation, 2);
  EXPECT_EQ(active(*engine_b_), 1u);

  owner_a_->partitioned = false;
  ASSERT_TRUE(engine_->check_ownership().ok());  // A: its copy is no longer its own
  EXPECT_EQ(active(*engine_), 0u);
  EXPECT_EQ(metric_a("opzenix_executions_dropped_total{at=\"check\"}"), "1");
  EXPECT_EQ(metric_a("opzenix_executions_dropped_total{at=\"commit\"}"), "0");
  EXPECT_EQ(metric_a("opzenix_executions_running"), "0") << "a dropped run no longer runs here";
  EXPECT_EQ(owner(id)->server_id, "server-b") << "A renewed its lease but took nothing back";

  ASSERT_TRUE(engine_b_->resolve_approval(id, "gate", true, "carol", "").ok());
  ASSERT_EQ(wait_finished(id), "success") << describe(id);
  EXPECT_EQ(marker_lines(), 1) << "build had succeeded before the takeover: it did not run again";
  EXPECT_EQ(log_messages(id, "deploy", "stdout"), std::vector<std::string>{"deploying"});
}

TEST_F(ExecutionOwnershipTest, AServerWhoseLeaseWentStaleFencesItselfBeforeItWritesAgain) {
  start_a();
  const std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  start_b();
  owner_a_->partitioned = true;
  clock_.advance(kLease + seconds(1));
  ASSERT_TRUE(engine_b_->check_ownership().ok());
  ASSERT_EQ(owner(id)->server_id, "server-b");
  // A reaches the database again. No ownership round is due for a long
  // while, but its next round of work (here a snapshot) fences first.
  owner_a_->partitioned = false;
  (void)active(*engine_);
  EXPECT_EQ(active(*engine_), 0u);
  EXPECT_EQ(owner(id)->server_id, "server-b");
  EXPECT_EQ(owner(id)->generation, 2);
}

TEST_F(ExecutionOwnershipTest, AServerTakenOverBetweenItsCheckAndItsCommitWritesNothingAndDrops) {
  start_a();
  const std::string go = dir_.str() + "/go";
  const std::string id = submit(R"(
nodes:
  build: {run: 'while [ ! -e )" + go + R"( ]; do sleep 0.02; done; echo built'}
  gate: {type: approval, needs: build}
)");
  ASSERT_TRUE(wait_node(id, "build", "running")) << describe(id);
  // B takes the execution over while A cannot tell: A's lease lapses and A
  // cannot renew, so its check before each commit (fence_if_stale) cannot
  // learn that it lost the run. Only the commit's own fence can.
  owner_a_->partitioned = true;
  clock_.advance(kLease + seconds(1));
  store::ServerLeaseStore leases(*db_);
  ASSERT_TRUE(leases.renew("server-b", "h", 2, clock_.now(), kLease).ok());
  auto taken = leases.claim(id, "server-b", clock_.now());
  ASSERT_TRUE(taken.ok() && taken->claimed);
  ASSERT_EQ(taken->generation, 2);
  const size_t state_events = history_->state_events(id)->size();
  (void)events();

  std::ofstream(go) << "go\n";  // A's step ends: A records it, and the gate's request
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (active(*engine_) != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(10));
  ASSERT_EQ(active(*engine_), 0u) << "A dropped the run its commit was fenced off from";
  EXPECT_EQ(metric_a("opzenix_executions_dropped_total{at=\"commit\"}"), "1");
  EXPECT_EQ(metric_a("opzenix_executions_dropped_total{at=\"check\"}"), "0");
  EXPECT_EQ(metric_a("opzenix_executions_running"), "0") << "a dropped run no longer runs here";

  EXPECT_EQ(detail(id).execution.status, "running") << describe(id);
  EXPECT_EQ(node(id, "build").status, "running");
  EXPECT_EQ(node(id, "gate").status, "pending");
  EXPECT_TRUE(log_messages(id, "build", "stdout").empty()) << "A's lines were not written";
  EXPECT_EQ(history_->state_events(id)->size(), state_events) << describe(id);
  EXPECT_TRUE(history_->approval_requests(id)->empty());
  EXPECT_EQ(owner(id)->server_id, "server-b");
  EXPECT_EQ(owner(id)->generation, 2);
  // Nothing published of what was fenced off (events of the run's start
  // may still arrive: they are published just after the commit that
  // wait_node() saw).
  for (const auto& e : events()) {
    if (e->execution_id != id) continue;
    if (e->kind == EventKind::kLogs) {
      for (const auto& line : e->data["lines"])
        EXPECT_NE(line["message"], "built") << "a fenced line was published";
    }
    if (e->kind == EventKind::kNodeState) {
      EXPECT_TRUE(e->node_id == "build" && e->new_state == "running")
          << e->node_id << " -> " << e->new_state;
    }
    EXPECT_NE(e->kind, EventKind::kApproval);
    if (e->kind == EventKind::kExecutionState) {
      EXPECT_EQ(e->new_state, "running");
    }
  }
}

// A command whose commit is fenced off says so: nothing was written, and the
// caller learns to retry (the retry is routed to the new owner) instead of
// hearing "ok" for a cancel that never happened.
TEST_F(ExecutionOwnershipTest, ACommandWhoseCommitIsFencedOffFailsAndWritesNothing) {
  start_a();
  const std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");  // at its gate: A writes nothing more
  owner_a_->partitioned = true;  // A cannot renew, so its early check cannot drop the run
  clock_.advance(kLease + seconds(1));
  store::ServerLeaseStore leases(*db_);
  ASSERT_TRUE(leases.renew("server-b", "h", 2, clock_.now(), kLease).ok());
  auto taken = leases.claim(id, "server-b", clock_.now());
  ASSERT_TRUE(taken.ok() && taken->claimed);

  auto cancelled = engine_->cancel(id, "not today", "dave");
  ASSERT_FALSE(cancelled.ok()) << "a fenced cancel must not answer ok";
  EXPECT_EQ(cancelled.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(cancelled.error().message.find("taken over by another server"), std::string::npos)
      << cancelled.error().message;
  EXPECT_EQ(detail(id).execution.status, "paused") << describe(id);
  EXPECT_EQ(node(id, "gate").status, "waiting");
  EXPECT_EQ(owner(id)->server_id, "server-b");
}

TEST_F(ExecutionOwnershipTest, ACancelSentToAnotherServerIsRunByTheOwner) {
  start_a();
  const std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  start_b();
  ASSERT_TRUE(engine_b_->cancel(id, "not today", "dave").ok());
  EXPECT_EQ(detail(id).execution.status, "cancelled");
  EXPECT_EQ(node(id, "deploy").status, "cancelled");
  EXPECT_EQ(owner(id)->server_id, "server-a");
  EXPECT_EQ(active(*engine_b_), 0u) << "B never ran it";
  // The owner's answer comes back as if local: a second cancel is a conflict.
  auto again = engine_b_->cancel(id, "", "dave");
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is_conflict()) << again.error().to_string();
}

TEST_F(ExecutionOwnershipTest, AnApprovalSentToAnotherServerIsRunByTheOwner) {
  start_a();
  const std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  start_b();
  auto unknown = engine_b_->resolve_approval(id, "ghost", true, "carol", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.error().is_not_found()) << unknown.error().to_string();
  ASSERT_TRUE(engine_b_->resolve_approval(id, "gate", true, "carol", "ship it").ok());
  ASSERT_EQ(wait_finished(id), "success") << describe(id);
  EXPECT_EQ(owner(id)->server_id, "server-a");
}

TEST_F(ExecutionOwnershipTest, AnOwnerThatDoesNotAnswerLeavesTheExecutionUnchanged) {
  start_a();
  const std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  engine_->stop();  // alive by its lease, but deaf
  start_b(milliseconds(300));
  auto st = engine_b_->force_fail(id, "stuck", "erin");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(st.error().message.find("did not answer"), std::string::npos) << st.error().message;
  EXPECT_EQ(detail(id).execution.status, "paused");
  store::ServerLeaseStore leases(*db_);
  auto pending = leases.pending_commands("server-a");
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty()) << "the unanswered command is closed, never run late";
}

}  // namespace
}  // namespace opz::engine
