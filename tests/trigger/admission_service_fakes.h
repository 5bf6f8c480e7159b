// The admission service's test doubles: governance facts held in memory
// (changed by the test, every read counted) and the engine as rows (submit
// creates the row as the engine would, release marks it running, fail marks
// it failed; every batch recorded), and the fixture the admission tests
// share.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>

#include "core/time_format.h"
#include "trigger/admission_service.h"
#include "trigger_test_support.h"

namespace opz::trigger::testing {

using opz::TimePoint;

// Facts held in memory, changed by the test.
class FakeFacts final : public GovernanceFacts {
 public:
  FakeFacts() {
    for (auto& p : governance::default_environments()) environments[p.name] = p;
  }
  Result<std::optional<governance::EnvironmentProtection>> environment(
      const std::string&, const std::string& name) override {
    std::lock_guard lock(mu);
    ++reads["environment"];
    auto it = environments.find(name);
    if (it == environments.end()) return std::optional<governance::EnvironmentProtection>();
    return std::optional(it->second);
  }
  Result<governance::EmergencyStop> emergency_stop() override {
    std::lock_guard lock(mu);
    ++reads["emergency_stop"];
    return stop;
  }
  Result<std::vector<governance::ZonedFreezeWindow>> freeze_windows(const std::string&) override {
    std::lock_guard lock(mu);
    ++reads["freeze_windows"];
    return windows;
  }
  Result<std::optional<governance::Tally>> approval(const std::string& execution_id,
                                                    TimePoint) override {
    std::lock_guard lock(mu);
    auto it = tallies.find(execution_id);
    if (it == tallies.end()) return std::optional<governance::Tally>();
    return std::optional(it->second);
  }
  Result<std::optional<governance::DeployHold>> deploy_hold(
      const std::string&, const std::string& environment) override {
    std::lock_guard lock(mu);
    ++reads["deploy_hold"];
    auto it = holds.find(environment);
    if (it == holds.end()) return std::optional<governance::DeployHold>();
    return std::optional(it->second);
  }
  Result<std::optional<governance::LifecycleGate>> lifecycle_gate(
      const governance::ExecutionRequest& request) override {
    std::lock_guard lock(mu);
    ++reads["lifecycle_gate"];
    auto gate = governance::lifecycle_gate(lifecycle, request.environment);
    if (gate) {
      auto it = successes.find({gate->previous_environment, request.commit_sha});
      if (it != successes.end()) gate->previous_success_at = it->second;
    }
    return gate;
  }
  Status request_approval(const governance::ApprovalRequest& request,
                          const governance::EnvironmentProtection&) override {
    std::lock_guard lock(mu);
    approval_requests.push_back(request);
    return {};
  }

  std::mutex mu;
  std::map<std::string, governance::EnvironmentProtection> environments;
  governance::EmergencyStop stop;
  std::vector<governance::ZonedFreezeWindow> windows;
  std::map<std::string, governance::Tally> tallies;
  std::vector<governance::ApprovalRequest> approval_requests;
  std::map<std::string, governance::DeployHold> holds;  // by environment
  std::vector<governance::LifecyclePhase> lifecycle;
  // (environment, commit) -> when it last succeeded there
  std::map<std::pair<std::string, std::string>, TimePoint> successes;
  std::map<std::string, int> reads;  // by fact: how often it was read
};

// The engine as rows: submit creates the row as the engine would, release
// marks it running, fail marks it failed.
class FakeEngine final : public ExecutionEngine {
 public:
  explicit FakeEngine(store::Database& db) : executions_(db) {}
  Result<store::ExecutionRecord> submit(engine::NewExecution n) override {
    if (n.name == kRejectedName) return Error::validation("the engine rejects this one", "name");
    store::ExecutionRecord e = testing::execution_row(n, n.held ? "paused" : "running");
    if (!n.id.empty()) e.id = n.id;
    if (e.name.empty()) e.name = "run";
    OPZ_TRY_STATUS(executions_.create(e, {}));
    submitted.push_back(e.id);
    return e;
  }
  std::vector<Result<store::ExecutionRecord>> submit_many(
      std::vector<engine::NewExecution> executions) override {
    batches.push_back(executions.size());
    return ExecutionEngine::submit_many(std::move(executions));
  }
  Result<store::ExecutionRecord> rerun(const std::string&, const engine::RerunRequest&,
                                       const std::string&) override {
    return Error::internal("not used");
  }
  Status release(const std::string& id, const std::string&) override {
    released.push_back(id);
    return set_status(id, "running");
  }
  Status fail(const std::string& id, const std::string& reason) override {
    failed[id] = reason;
    return set_status(id, "failed");
  }
  Status set_status(const std::string& id, const std::string& status) {
    auto found = executions_.find(id, false);
    if (!found) return found.error();
    store::ExecutionChange change;
    change.row = *found;
    change.previous_status = found->status;
    change.row.status = status;
    change.reason = "test";
    store::ExecutionBatch batch;
    batch.at = format_time(SystemClock::instance().now());
    batch.changes.push_back(change);
    auto applied = executions_.apply(batch);
    if (!applied) return applied.error();
    return {};
  }

  static constexpr const char* kRejectedName = "rejected by the engine";
  std::vector<std::string> submitted, released;
  std::vector<size_t> batches;  // the size of each submit_many
  std::map<std::string, std::string> failed;

 private:
  store::ExecutionStore executions_;
};

class AdmissionServiceTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    executions_ = std::make_unique<store::ExecutionStore>(*db_);
    engine_ = std::make_unique<FakeEngine>(*db_);
    service_ = std::make_unique<AdmissionService>(
        AdmissionServiceDeps{facts_, *executions_, *engine_, clock_});
  }
  AdmissionRequest request(const std::string& environment, const std::string& branch = "main",
                           std::optional<auth::Role> role = std::nullopt) {
    AdmissionRequest r;
    r.request.project_id = project_.id;
    r.request.environment = environment;
    r.request.ref_kind = governance::RefKind::kBranch;
    r.request.ref_name = branch;
    r.request.commit_sha = std::string(40, 'a');
    r.request.trigger = role ? governance::TriggerKind::kApi : governance::TriggerKind::kWebhook;
    r.request.requester_role = role;
    r.request.requested_by = role ? "user-1" : "github:mona";
    r.execution.project_id = project_.id;
    r.execution.environment = environment;
    r.execution.branch = branch;
    r.execution.commit_sha = r.request.commit_sha;
    return r;
  }
  store::ExecutionRecord row(const std::string& id) { return *executions_->find(id, false); }
  void unlock(const std::string& environment) {
    std::lock_guard lock(facts_.mu);
    facts_.environments[environment].is_locked = false;
  }

  ManualClock clock_{TimePoint{std::chrono::seconds{1'800'000'000}}};
  FakeFacts facts_;
  std::unique_ptr<store::ExecutionStore> executions_;
  std::unique_ptr<FakeEngine> engine_;
  std::unique_ptr<AdmissionService> service_;
};

}  // namespace opz::trigger::testing
