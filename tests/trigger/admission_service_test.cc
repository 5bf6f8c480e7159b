#include "trigger/admission_service.h"

#include <gtest/gtest.h>

#include <map>

#include "core/ids.h"
#include "core/time_format.h"
#include "admission_service_fakes.h"

namespace opz::trigger {
namespace {

using opz::TimePoint;
using testing::AdmissionServiceTest;
using namespace std::chrono_literals;

TEST_F(AdmissionServiceTest, AllowedExecutionsRunWithTheirDecisionRecorded) {
  auto e = service_->submit(request("Development", "develop"));
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_EQ(e->governance_status, "allowed");
  EXPECT_EQ(e->status, "running");
  const store::ExecutionRecord stored = row(e->id);
  EXPECT_EQ(stored.metadata["governance"]["status"], "allowed");
  EXPECT_EQ(stored.metadata["governance"]["rules"].size(), 11u);
  EXPECT_EQ(stored.metadata["governance_request"]["environment"], "Development");
  auto explained = service_->explain(e->id);
  ASSERT_TRUE(explained.ok());
  EXPECT_EQ((*explained)["rules"][0]["rule"], "environment_exists");
}

TEST_F(AdmissionServiceTest, ALockBlocksQuotingItsReason) {
  {
    std::lock_guard lock(facts_.mu);
    facts_.environments["Production"].lock_reason = "release freeze for 2.0";
  }
  // A push: its execution is created and failed, visible where the push is.
  auto pushed = service_->submit(request("Production"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().to_string();
  EXPECT_EQ(pushed->status, "failed");
  EXPECT_NE(pushed->blocked_reason.find("release freeze for 2.0"), std::string::npos);
  EXPECT_NE(engine_->failed[pushed->id].find("release freeze for 2.0"), std::string::npos);
  // A person's request is refused outright, quoting it too.
  auto started = service_->submit(request("Production", "main", auth::Role::kAdmin));
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::kConflict);
  EXPECT_NE(started.error().message.find("release freeze for 2.0"), std::string::npos);
  // Unknown environments and roles below the environment's: 422 and 403.
  auto unknown = service_->submit(request("Production ", "main", auth::Role::kAdmin));
  EXPECT_EQ(unknown.error().code, ErrorCode::kValidation);
  EXPECT_EQ(unknown.error().field, "environment");
  auto role = service_->submit(request("Staging", "main", auth::Role::kViewer));
  EXPECT_EQ(role.error().code, ErrorCode::kForbidden);
}

// Approval, then the wait timer, then the run: with a hand-advanced clock.
TEST_F(AdmissionServiceTest, ApprovalThenWaitTimerThenRelease) {
  unlock("Production");
  auto e = service_->submit(request("Production"));
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_EQ(e->governance_status, "pending_approval");
  EXPECT_EQ(row(e->id).status, "paused");
  ASSERT_EQ(facts_.approval_requests.size(), 1u);
  EXPECT_EQ(facts_.approval_requests[0].required_approvals, 2);
  EXPECT_EQ(facts_.approval_requests[0].execution_id, e->id);

  service_->run_once();
  EXPECT_EQ(row(e->id).governance_status, "pending_approval");
  EXPECT_TRUE(engine_->released.empty());

  {
    std::lock_guard lock(facts_.mu);
    governance::Tally t;
    t.status = governance::ApprovalStatus::kApproved;
    t.approvals = t.required = 2;
    t.commit_sha = std::string(40, 'a');
    t.decided_at = clock_.now();
    t.expires_at = clock_.now() + 24h;
    facts_.tallies[e->id] = t;
  }
  auto wake = service_->run_once();
  EXPECT_EQ(row(e->id).governance_status, "waiting");  // the 5-minute wait timer
  ASSERT_TRUE(wake.has_value());
  EXPECT_EQ(*wake, clock_.now() + 5min);
  EXPECT_TRUE(engine_->released.empty());

  clock_.advance(5min);
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{e->id});
  EXPECT_EQ(row(e->id).governance_status, "allowed");

  // A rejection ends it failed with the reason.
  auto other = service_->submit(request("Production"));
  {
    std::lock_guard lock(facts_.mu);
    governance::Tally t;
    t.status = governance::ApprovalStatus::kRejected;
    t.rejected_by = "admin-2";
    t.rejection_comment = "not this week";
    t.commit_sha = std::string(40, 'a');
    t.decided_at = clock_.now();
    facts_.tallies[other->id] = t;
  }
  service_->run_once();
  EXPECT_EQ(row(other->id).status, "failed");
  EXPECT_EQ(row(other->id).governance_status, "blocked");
}

TEST_F(AdmissionServiceTest, AFreezeHoldsUntilItEndsThenRunsByItself) {
  governance::FreezeWindow w;
  w.id = "w1";
  w.scope = governance::FreezeScope::kEnvironment;
  w.project_id = project_.id;
  w.environment = "Staging";
  w.kind = governance::FreezeKind::kAbsolute;
  const auto now_local = std::chrono::local_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()));
  w.start = now_local - 1h;
  w.end = now_local + 3min;
  w.reason = "quarter close";
  auto zoned = governance::ZonedFreezeWindow::compile(w);
  ASSERT_TRUE(zoned.ok()) << zoned.error().to_string();
  facts_.windows.push_back(*zoned);

  auto e = service_->submit(request("Staging", "staging"));
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_EQ(e->governance_status, "waiting");
  auto explained = service_->explain(e->id);
  ASSERT_TRUE(explained.ok());
  EXPECT_NE(explained->dump().find("quarter close"), std::string::npos);
  EXPECT_EQ(service_->run_once(), clock_.now() + 3min);
  EXPECT_TRUE(engine_->released.empty());
  clock_.advance(3min);
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{e->id});
}

TEST_F(AdmissionServiceTest, OneDeploymentPerEnvironmentTheOthersWaitInOrder) {
  auto first = service_->submit(request("Staging", "staging"));
  clock_.advance(1ms);
  auto second = service_->submit(request("Staging", "staging"));
  clock_.advance(1ms);
  auto third = service_->submit(request("Staging", "staging"));
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_EQ(first->governance_status, "allowed");
  EXPECT_EQ(second->governance_status, "waiting");
  EXPECT_EQ(third->governance_status, "waiting");
  auto why = service_->explain(third->id);
  EXPECT_EQ((*why)["queue"]["verdict"], "wait");

  // CI-only runs never queue.
  AdmissionRequest ci = request("Staging", "feature/x");
  ci.request.ci_only = true;
  ci.execution.metadata["ci_only"] = true;
  EXPECT_EQ(service_->submit(ci)->governance_status, "allowed");

  service_->run_once();
  EXPECT_TRUE(engine_->released.empty());
  ASSERT_TRUE(engine_->set_status(first->id, "success").ok());
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{second->id});
  ASSERT_TRUE(engine_->set_status(second->id, "success").ok());
  service_->run_once();
  EXPECT_EQ(engine_->released, (std::vector<std::string>{second->id, third->id}));
}

// A pass over held executions reads the facts they share once and carries
// the deploy queue forward: releasing the oldest makes the next one wait
// behind it in the same pass (a snapshot from the pass's start would let it
// run too), each explanation naming the one ahead.
TEST_F(AdmissionServiceTest, APassReadsSharedFactsOnceAndCarriesTheQueueForward) {
  std::vector<store::ExecutionRecord> runs;
  for (int i = 0; i < 4; ++i) {
    auto r = service_->submit(request("Staging", "staging"));
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    runs.push_back(*r);
    clock_.advance(1ms);
  }
  ASSERT_EQ(runs[0].governance_status, "allowed");
  ASSERT_TRUE(engine_->set_status(runs[0].id, "success").ok());
  facts_.reads.clear();
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{runs[1].id});
  const Json third = row(runs[2].id).metadata["governance"]["queue"];
  EXPECT_EQ(row(runs[2].id).governance_status, "waiting");
  EXPECT_EQ(third["waits_for"], runs[1].id) << third.dump();
  EXPECT_EQ(third["position"], 1) << third.dump();
  const Json fourth = row(runs[3].id).metadata["governance"]["queue"];
  EXPECT_EQ(fourth["waits_for"], runs[2].id) << fourth.dump();
  EXPECT_EQ(fourth["position"], 2) << fourth.dump();
  EXPECT_EQ(facts_.reads["environment"], 1) << "three held executions, one read";
  EXPECT_EQ(facts_.reads["deploy_hold"], 1);
  EXPECT_EQ(facts_.reads["freeze_windows"], 1);
}

// Approval required while the execution was already held: the request is
// opened by the re-evaluation, once.
TEST_F(AdmissionServiceTest, AnApprovalBecomingNecessaryWhileHeldIsRequested) {
  {
    std::lock_guard lock(facts_.mu);
    facts_.stop = {true, "incident", "admin-1", clock_.now()};
  }
  auto e = service_->submit(request("Staging", "staging"));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(facts_.approval_requests.empty());
  {
    std::lock_guard lock(facts_.mu);
    facts_.stop.active = false;
    facts_.environments["Staging"].requires_approval = true;
    facts_.environments["Staging"].required_approvals = 1;
  }
  service_->run_once();
  EXPECT_EQ(row(e->id).governance_status, "pending_approval");
  ASSERT_EQ(facts_.approval_requests.size(), 1u);
  EXPECT_EQ(facts_.approval_requests[0].execution_id, e->id);
}

TEST_F(AdmissionServiceTest, TheEmergencyStopHoldsUntilLifted) {
  {
    std::lock_guard lock(facts_.mu);
    facts_.stop = {true, "incident 42", "admin-1", clock_.now()};
  }
  auto e = service_->submit(request("Development", "develop"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->governance_status, "waiting");
  service_->run_once();
  EXPECT_TRUE(engine_->released.empty());
  {
    std::lock_guard lock(facts_.mu);
    facts_.stop.active = false;
  }
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{e->id});
}

// After a rollback the next push waits on the hold; a person's start goes
// through it; releasing the hold (then reevaluate_all, as the API does) lets
// the push run.
TEST_F(AdmissionServiceTest, ARollbackHoldsPushesUntilReleasedButNotPeople) {
  {
    std::lock_guard lock(facts_.mu);
    facts_.holds["Development"] = {"dev-1a2b3c4", "checkout 500s", "d1", "user-1", clock_.now()};
  }
  auto pushed = service_->submit(request("Development", "develop"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().to_string();
  EXPECT_EQ(pushed->governance_status, "waiting");
  EXPECT_EQ(row(pushed->id).status, "paused");
  auto why = service_->explain(pushed->id);
  ASSERT_TRUE(why.ok());
  EXPECT_EQ((*why)["rules"][3]["rule"], "deploy_hold");
  EXPECT_EQ((*why)["rules"][3]["result"], "wait");
  EXPECT_EQ((*why)["rules"][3]["reason"],
            "automatic deploys to Development are held since the rollback of dev-1a2b3c4: "
            "checkout 500s (release the hold: DELETE /api/v1/projects/" +
                project_.id + "/environments/Development/hold)");
  EXPECT_TRUE((*why)["wait_until"].is_null());
  EXPECT_EQ(service_->run_once(), std::nullopt);  // no end: only the release wakes it
  clock_.advance(24h);
  service_->run_once();
  EXPECT_TRUE(engine_->released.empty());

  // A person asks explicitly: it passes the hold (and queues behind nothing).
  auto started = service_->submit(request("Staging", "main", auth::Role::kOperator));
  ASSERT_TRUE(started.ok());
  {
    std::lock_guard lock(facts_.mu);
    facts_.holds["Staging"] = facts_.holds["Development"];
  }
  ASSERT_TRUE(engine_->set_status(started->id, "success").ok());
  auto again = service_->submit(request("Staging", "main", auth::Role::kOperator));
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(again->governance_status, "allowed");
  EXPECT_NE(row(again->id).metadata["governance"]["rules"][3]["reason"].get<std::string>().find(
                "bypassed by an explicit api request from user-1"),
            std::string::npos);

  {
    std::lock_guard lock(facts_.mu);
    facts_.holds.erase("Development");  // DELETE .../hold
  }
  service_->reevaluate_all();
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{pushed->id});
  EXPECT_EQ(row(pushed->id).governance_status, "allowed");
}

// The lifecycle: a commit that never succeeded in the previous phase is
// refused (a person) or failed (a push); one that did waits out the soak.
TEST_F(AdmissionServiceTest, TheLifecycleRefusesSkippedPhasesAndWaitsOutTheSoak) {
  const std::string sha(40, 'a');
  {
    std::lock_guard lock(facts_.mu);
    facts_.lifecycle = {{"Development", 0s}, {"Staging", 10min}};
  }
  auto refused = service_->submit(request("Staging", "main", auth::Role::kOperator));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().message,
            "governance blocked this execution: commit aaaaaaa has not succeeded in Development, "
            "which comes before Staging in the project's lifecycle");
  auto pushed = service_->submit(request("Staging", "staging"));
  ASSERT_TRUE(pushed.ok());
  EXPECT_EQ(pushed->status, "failed");
  EXPECT_EQ(pushed->governance_status, "blocked");

  {
    std::lock_guard lock(facts_.mu);
    facts_.successes[{"Development", sha}] = clock_.now() - 4min;
  }
  auto soaking = service_->submit(request("Staging", "main", auth::Role::kOperator));
  ASSERT_TRUE(soaking.ok()) << soaking.error().to_string();
  EXPECT_EQ(soaking->governance_status, "waiting");
  EXPECT_EQ(service_->run_once(), clock_.now() + 6min);
  EXPECT_TRUE(engine_->released.empty());
  clock_.advance(6min);
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{soaking->id});

  // Development is the first phase: never gated.
  EXPECT_EQ(service_->submit(request("Development", "develop"))->governance_status, "allowed");
}

}  // namespace
}  // namespace opz::trigger
