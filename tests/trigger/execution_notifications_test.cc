#include "trigger/execution_notifications.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/project_store.h"
#include "store/project_webhook_store.h"
#include "store/user_store.h"
#include "support/temp_dir.h"

namespace opz::trigger {
namespace {

// Counts reevaluate_all(); nothing else is used.
class CountingAdmission final : public Admission {
 public:
  Result<store::ExecutionRecord> submit(AdmissionRequest) override {
    return Error::internal("not used");
  }
  Result<store::ExecutionRecord> rerun(const std::string&, const engine::RerunRequest&,
                                       const std::string&, std::optional<auth::Role>) override {
    return Error::internal("not used");
  }
  Result<Json> explain(const std::string&) override { return Error::internal("not used"); }
  Result<auth::Role> required_role(const std::string&, const std::string&) override {
    return Error::internal("not used");
  }
  void reevaluate(const std::string&) override { ++reevaluations; }
  void reevaluate_all() override { ++reevaluations; }
  std::atomic<int> reevaluations{0};
};

class ExecutionNotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(store::Database::open_sqlite({.path = dir_.str() + "/t.db"})).value();
    ASSERT_TRUE(db_->migrate().ok());
    box_.emplace(std::move(secrets::SecretBox::from_key(std::string(32, 'k'))).value());
    store::ProjectStore projects(*db_, clock_);
    ASSERT_TRUE(projects.create_organization("Org", "org", "").ok());
    store::ProjectFields f;
    f.name = "p";
    project_ = projects.create_project(f, "tester")->id;
    starter_ = store::UserStore(*db_, clock_).create("op@x", "Op", "x", "operator")->id;
    notifier_ = std::make_unique<Notifier>(
        *db_, clock_, &*box_, [this](const OutgoingRequest& r) -> Result<int> {
          std::lock_guard lock(mu_);
          sent_.push_back(r);
          return 200;
        });
    make_component(ExecutionNotificationsOptions{});
  }

  void make_component(ExecutionNotificationsOptions options) {
    component_.reset();
    component_ = std::make_unique<ExecutionNotifications>(
        ExecutionNotificationsDeps{*db_, clock_, *notifier_, bus_, &admission_}, options);
  }

  void add_webhook() {
    store::ProjectWebhookRecord w;
    w.project_id = project_;
    w.url = "http://127.0.0.1:1/hook";
    w.secret_sealed = *box_->seal("s3cret");
    w.format = "opzenix";
    ASSERT_TRUE(store::ProjectWebhookStore(*db_, clock_).create(w).ok());
  }

  // An execution row in `status` with one node per (type, status).
  std::string add_execution(const std::string& status, const std::string& started_by,
                            std::vector<std::pair<std::string, std::string>> nodes = {},
                            const std::string& governance = "allowed",
                            const std::string& blocked_reason = "") {
    store::ExecutionRecord e;
    e.id = new_uuid();
    e.name = "deploy-web";
    e.project_id = project_;
    e.status = status;
    e.environment = "Development";
    e.branch = "main";
    e.started_by = started_by;
    e.trigger_type = "manual";
    e.governance_status = governance;
    e.blocked_reason = blocked_reason;
    e.created_at = e.updated_at = format_time(clock_.now());
    std::vector<store::ExecutionNodeRecord> rows;
    for (size_t i = 0; i < nodes.size(); ++i) {
      store::ExecutionNodeRecord n;
      n.id = new_uuid();
      n.execution_id = e.id;
      n.node_id = nodes[i].first + std::to_string(i);
      n.name = n.node_id;
      n.type = nodes[i].first;
      n.status = nodes[i].second;
      n.position = static_cast<int>(i);
      n.created_at = n.updated_at = e.created_at;
      rows.push_back(n);
    }
    EXPECT_TRUE(store::ExecutionStore(*db_).create(e, rows).ok());
    return e.id;
  }

  void publish(const std::string& id, const std::string& from, const std::string& to,
               const std::string& reason = "") {
    engine::EngineEvent ev;
    ev.kind = engine::EventKind::kExecutionState;
    ev.execution_id = id;
    ev.old_state = from;
    ev.new_state = to;
    ev.reason = reason;
    ev.at = clock_.now();
    bus_.publish(std::move(ev));
  }

  std::vector<store::NotificationRecord> inbox(const std::string& user) {
    auto page = store::NotificationStore(*db_, clock_).list_for_user(user, false, {});
    EXPECT_TRUE(page.ok());
    return page->items;
  }
  // The user's notification of `type` about execution `id` (the clock stands
  // still, so the inbox order is not the order of sending).
  std::optional<store::NotificationRecord> find(const std::string& user, const std::string& type,
                                                const std::string& id) {
    for (const auto& n : inbox(user))
      if (n.type == type && n.payload.value("execution_id", "") == id) return n;
    return std::nullopt;
  }
  // Bodies the webhook received, by event type.
  std::map<std::string, Json> webhook_bodies() {
    std::lock_guard lock(mu_);
    std::map<std::string, Json> out;
    for (const auto& r : sent_) {
      Json body = Json::parse(r.body);
      out[body["event"].get<std::string>()] = body;
    }
    return out;
  }

  opz::testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<store::Database> db_;
  std::optional<secrets::SecretBox> box_;
  std::string project_, starter_;
  std::mutex mu_;
  std::vector<OutgoingRequest> sent_;
  std::unique_ptr<Notifier> notifier_;
  engine::EventBus bus_;
  CountingAdmission admission_;
  std::unique_ptr<ExecutionNotifications> component_;
};

TEST_F(ExecutionNotificationsTest, ASuccessfulDeploymentTellsTheStarterAndTheWebhooks) {
  add_webhook();
  const std::string id =
      add_execution("success", starter_, {{"build", "success"}, {"deploy", "success"}});
  publish(id, "idle", "running");
  publish(id, "running", "success", "all nodes finished");
  EXPECT_EQ(*component_->process_pending(), 2);

  EXPECT_EQ(inbox(starter_).size(), 2u);
  auto finished = find(starter_, "execution_finished", id);
  ASSERT_TRUE(finished);
  EXPECT_TRUE(find(starter_, "deployment_complete", id));
  const Json& p = finished->payload;
  EXPECT_EQ(p["name"], "deploy-web");
  EXPECT_EQ(p["project_id"], project_);
  EXPECT_EQ(p["environment"], "Development");
  EXPECT_EQ(p["status"], "success");
  EXPECT_EQ(p["reason"], "");
  EXPECT_EQ(p["started_by"], starter_);
  EXPECT_EQ(finished->project_id, project_);

  // The same two events reach the project's webhook, signed by the Notifier.
  EXPECT_EQ(*notifier_->send_due(), 2);
  auto bodies = webhook_bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies["execution_finished"]["payload"]["execution_id"], id);
  EXPECT_EQ(bodies["deployment_complete"]["payload"]["execution_id"], id);
  EXPECT_EQ(bodies["deployment_complete"]["project_id"], project_);
}

TEST_F(ExecutionNotificationsTest, NoDeploymentCompleteWithoutASucceededDeployNode) {
  const std::string skipped =
      add_execution("success", starter_, {{"build", "success"}, {"deploy", "skipped"}});
  const std::string warned = add_execution("warning", starter_, {{"test", "failed"}});
  publish(skipped, "running", "success");
  publish(warned, "running", "warning");
  EXPECT_EQ(*component_->process_pending(), 2);
  EXPECT_EQ(inbox(starter_).size(), 2u);
  EXPECT_TRUE(find(starter_, "execution_finished", skipped));
  auto w = find(starter_, "execution_finished", warned);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->payload["status"], "warning");
}

TEST_F(ExecutionNotificationsTest, GovernanceBlocksAndFailuresAreTold) {
  const std::string blocked =
      add_execution("failed", starter_, {}, "blocked", "Environment Production is locked: freeze");
  const std::string failed = add_execution("failed", starter_, {{"deploy", "failed"}});
  const std::string cancelled = add_execution("cancelled", starter_, {{"deploy", "cancelled"}});
  publish(blocked, "paused", "failed", "force-failed by system: ...");
  publish(failed, "running", "failed", "node deploy0 failed (exit 1)");
  publish(cancelled, "running", "cancelled", "cancelled by someone");
  EXPECT_EQ(*component_->process_pending(), 3);
  EXPECT_EQ(inbox(starter_).size(), 3u);
  auto b = find(starter_, "execution_blocked", blocked);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->payload["reason"], "Environment Production is locked: freeze");
  auto f = find(starter_, "execution_failed", failed);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->payload["reason"], "node deploy0 failed (exit 1)");
  auto c = find(starter_, "execution_finished", cancelled);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->payload["status"], "cancelled");
  EXPECT_EQ(c->payload["reason"], "cancelled by someone");
}

TEST_F(ExecutionNotificationsTest, TriggerStartersGetNoInboxButWebhooksStillDo) {
  add_webhook();
  const std::string pushed = add_execution("failed", "github:octocat");
  const std::string unknown = add_execution("success", new_uuid());
  publish(pushed, "running", "failed", "boom");
  publish(unknown, "running", "success");
  EXPECT_EQ(*component_->process_pending(), 2);
  auto all = db_->read([&](store::SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(auto rows, s.query("SELECT COUNT(*) FROM notification_events"));
    return rows[0][0].as_int();
  });
  EXPECT_EQ(*all, 0);
  EXPECT_EQ(*notifier_->send_due(), 2);
}

TEST_F(ExecutionNotificationsTest, OnlyFinalExecutionStatesCount) {
  const std::string id = add_execution("running", starter_);
  publish(id, "idle", "running");
  publish(id, "running", "paused");
  engine::EngineEvent node;
  node.kind = engine::EventKind::kNodeState;
  node.execution_id = id;
  node.node_id = "deploy";
  node.new_state = "success";
  bus_.publish(node);
  EXPECT_EQ(*component_->process_pending(), 0);
  EXPECT_TRUE(inbox(starter_).empty());
  EXPECT_EQ(admission_.reevaluations, 0) << "nothing finished: no queue was freed";
}

// A finished execution may free its environment's deploy queue: admission
// decides the held executions behind it at once, not at its next safety-net
// pass (which, with many held, comes only every 20 passes' time).
TEST_F(ExecutionNotificationsTest, AFinishedExecutionHasHeldOnesDecidedAgain) {
  const std::string id = add_execution("success", starter_, {{"deploy", "success"}});
  publish(id, "idle", "running");
  EXPECT_EQ(*component_->process_pending(), 0);
  EXPECT_EQ(admission_.reevaluations, 0);
  publish(id, "running", "success");
  EXPECT_EQ(*component_->process_pending(), 2);
  EXPECT_EQ(admission_.reevaluations, 1);
}

TEST_F(ExecutionNotificationsTest, AFullQueueDropsEventsWithoutBlockingThePublisher) {
  ExecutionNotificationsOptions o;
  o.queue_capacity = 2;
  make_component(o);
  const std::string id = add_execution("success", starter_);
  for (int i = 0; i < 5; ++i) publish(id, "running", "success");
  EXPECT_EQ(component_->dropped(), 3u);
  EXPECT_EQ(*component_->process_pending(), 2);
}

TEST_F(ExecutionNotificationsTest, TheThreadNotifiesOffThePublishersThread) {
  component_->start();
  const std::string id = add_execution("success", starter_);
  publish(id, "running", "success");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (inbox(starter_).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  component_->stop();
  component_->stop();  // idempotent
  ASSERT_EQ(inbox(starter_).size(), 1u);
}

TEST_F(ExecutionNotificationsTest, ExpiredApprovalsAreResolvedToldAndReevaluated) {
  const std::string id = add_execution("paused", starter_, {}, "pending_approval");
  store::ApprovalStore approvals(*db_, clock_);
  store::ApprovalRecord r;
  r.execution_id = id;
  r.environment = "PreProd";
  r.requested_by = starter_;
  r.commit_sha = "abc";
  r.expires_at = format_time(clock_.now() + std::chrono::minutes(1));
  auto request = approvals.create(r);
  ASSERT_TRUE(request.ok()) << request.error().to_string();

  clock_.advance(std::chrono::seconds(59));
  EXPECT_EQ(*component_->expire_approvals(), 0);
  EXPECT_EQ(admission_.reevaluations, 0);
  EXPECT_EQ(approvals.find(request->id)->status, "pending");

  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(*component_->expire_approvals(), 1);
  EXPECT_EQ(approvals.find(request->id)->status, "expired");
  EXPECT_EQ(admission_.reevaluations, 1);
  auto mine = inbox(starter_);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].type, "approval_decided");
  EXPECT_EQ(mine[0].payload["status"], "expired");
  EXPECT_EQ(mine[0].payload["execution_id"], id);

  EXPECT_EQ(*component_->expire_approvals(), 0);  // once
  EXPECT_EQ(admission_.reevaluations, 1);
}

}  // namespace
}  // namespace opz::trigger
