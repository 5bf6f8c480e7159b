// DeploymentActions against a real SQLite store and the real admission path
// (AdmissionService over StoreGovernanceFacts); only the engine is a fake that
// records what it was asked to run and writes the execution row.
#include "trigger/deployment_actions.h"

#include <gtest/gtest.h>

#include <functional>

#include "engine/workspace.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/pipeline_yaml.h"
#include "store/deployment_store.h"
#include "store/environment_store.h"
#include "trigger/admission_service.h"
#include "trigger/execution_request_json.h"
#include "trigger/store_governance_facts.h"
#include "trigger_test_support.h"

namespace opz::trigger {
namespace {

constexpr const char* kPipeline = R"(name: web
nodes:
  build:
    run: make
  deploy:
    type: deploy
    needs: build
    environment: Staging
    if: branch == 'main'
    strategy: blue_green
    switch: ./switch.sh
    run: ./deploy.sh
)";

// Writes the row the engine would; remembers every NewExecution.
class RecordingEngine final : public ExecutionEngine {
 public:
  explicit RecordingEngine(store::Database& db) : executions_(db) {}
  Result<store::ExecutionRecord> submit(engine::NewExecution n) override {
    store::ExecutionRecord e = testing::execution_row(n, n.held ? "paused" : "idle");
    if (n.pipeline) e.pipeline = dump_json(pipeline::to_json(*n.pipeline));
    OPZ_TRY_STATUS(executions_.create(e, {}));
    submitted.push_back(n);
    if (on_submit) OPZ_TRY_STATUS(on_submit(e));
    return e;
  }
  Result<store::ExecutionRecord> rerun(const std::string&, const engine::RerunRequest&,
                                       const std::string&) override {
    return Error::internal("not used");
  }
  Status release(const std::string&, const std::string&) override { return {}; }
  Status fail(const std::string&, const std::string&) override { return {}; }

  std::vector<engine::NewExecution> submitted;
  std::function<Status(const store::ExecutionRecord&)> on_submit;

 private:
  store::ExecutionStore executions_;
};

class DeploymentActionsTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    executions_ = std::make_unique<store::ExecutionStore>(*db_);
    deployments_ = std::make_unique<store::DeploymentStore>(*db_, clock_);
    facts_ = std::make_unique<StoreGovernanceFacts>(*db_, clock_);
    engine_ = std::make_unique<RecordingEngine>(*db_);
    admission_ = std::make_unique<AdmissionService>(
        AdmissionServiceDeps{*facts_, *executions_, *engine_, clock_});
    actions_ = std::make_unique<DeploymentActions>(*db_, *admission_, clock_);
  }

  // A finished push execution of kPipeline that built an artifact and
  // deployed `version` to `environment` with the given final status.
  store::DeploymentRecord deployed(const std::string& environment, const std::string& version,
                                   const std::string& sha, const std::string& status = "success",
                                   const std::string& project_id = {}) {
    auto p = pipeline::parse_pipeline_yaml(kPipeline);
    EXPECT_TRUE(p.ok()) << p.error().to_string();
    store::ExecutionRecord e;
    e.id = new_uuid();
    e.name = "web " + version;
    e.project_id = project_id.empty() ? project_.id : project_id;
    e.status = "success";
    e.environment = environment;
    e.branch = "main";
    e.commit_hash = sha;
    e.trigger_type = "push";
    e.pipeline = dump_json(pipeline::to_json(*p));
    engine::WorkspaceSource git;
    git.kind = engine::WorkspaceSource::Kind::kGit;
    git.git_url = "/srv/git/demo.git";
    e.metadata = {{"tag", ""}, {"workspace", git.to_json()}, {"replicas", 3}};
    e.created_at = e.updated_at = format_time(clock_.now());
    auto inserted = executions_->create(e, {});
    EXPECT_TRUE(inserted.ok()) << inserted.error().to_string();

    store::ExecutionBatch batch;
    batch.at = e.created_at;
    store::ArtifactRecord a;
    a.id = new_uuid();
    a.name = "web";
    a.execution_id = e.id;
    a.node_id = "build";
    a.image_tag = version;
    a.image_digest = "sha256:" + std::string(64, 'f');
    a.type = "docker";
    batch.artifacts.push_back(a);
    auto applied = executions_->apply(batch);
    EXPECT_TRUE(applied.ok()) << applied.error().to_string();

    store::DeploymentRecord d;
    d.execution_id = e.id;
    d.node_id = "deploy";
    d.project_id = e.project_id;
    d.environment = environment;
    d.version = version;
    d.commit_sha = sha;
    d.image_tag = version;
    d.artifact_id = a.id;
    d.strategy = "blue_green";
    d.deployed_by = "github:mona";
    auto created = deployments_->create(d);
    EXPECT_TRUE(created.ok()) << created.error().to_string();
    EXPECT_TRUE(deployments_->start(*created).ok());
    if (status == "success") {
      EXPECT_TRUE(deployments_->succeed(created->id).ok());
    } else {
      EXPECT_TRUE(deployments_->finish(created->id, status, "health check failed", false).ok());
    }
    return *deployments_->find(created->id);
  }

  RollbackCommand rollback_to(const store::DeploymentRecord& target, std::string environment,
                              auth::Role role = auth::Role::kOperator) {
    RollbackCommand c;
    c.target_deployment_id = target.id;
    c.environment = std::move(environment);
    c.reason = "v2 answers 500";
    c.actor = "user-ops";
    c.role = role;
    return c;
  }

  PromoteCommand promotion_of(const store::DeploymentRecord& source, std::string to,
                              auth::Role role = auth::Role::kAdmin) {
    PromoteCommand c;
    c.deployment_id = source.id;
    c.to_environment = std::move(to);
    c.actor = "user-ops";
    c.role = role;
    return c;
  }
  void unlock(const std::string& environment) {
    store::EnvironmentStore envs(*db_, clock_);
    ASSERT_TRUE(envs.unlock(project_.id, environment, "user-lead").ok());
  }

  size_t execution_count() {
    store::ExecutionFilter f;
    f.project_id = project_.id;
    store::PageRequest page;
    page.limit = 500;
    return executions_->list(f, page)->items.size();
  }
  size_t deployment_count() {
    store::DeploymentFilter f;
    store::PageRequest page;
    page.limit = 500;
    return deployments_->list(f, page)->items.size();
  }
  // Executions and deployments before an action; checked unchanged after a refusal.
  struct Counts {
    size_t executions, deployments;
    bool operator==(const Counts&) const = default;
  };
  Counts counts() { return {execution_count(), deployment_count()}; }

  std::unique_ptr<store::ExecutionStore> executions_;
  std::unique_ptr<store::DeploymentStore> deployments_;
  std::unique_ptr<StoreGovernanceFacts> facts_;
  std::unique_ptr<RecordingEngine> engine_;
  std::unique_ptr<AdmissionService> admission_;
  std::unique_ptr<DeploymentActions> actions_;
};

TEST_F(DeploymentActionsTest, RollbackRedeploysTheTargetsDeployNodeAloneWithItsVersion) {
  const std::string sha1 = testing::sha_of('1');
  auto v1 = deployed("Staging", "staging-1111111", sha1);
  auto v2 = deployed("Staging", "staging-2222222", testing::sha_of('2'));
  ASSERT_EQ(deployments_->current(project_.id, "Staging")->value().deployment_id, v2.id);

  auto done = actions_->rollback(rollback_to(v1, "Staging"));
  ASSERT_TRUE(done.ok()) << done.error().to_string();

  // The new deployment row: pending, restoring v1's version, commit, image
  // and artifact, by the same strategy.
  const store::DeploymentRecord& d = done->deployment;
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.rollback_of, v1.id);
  EXPECT_EQ(d.environment, "Staging");
  EXPECT_EQ(d.version, "staging-1111111");
  EXPECT_EQ(d.commit_sha, sha1);
  EXPECT_EQ(d.image_tag, "staging-1111111");
  EXPECT_EQ(d.artifact_id, v1.artifact_id);
  EXPECT_EQ(d.strategy, "blue_green");
  EXPECT_EQ(d.node_id, "deploy");
  EXPECT_EQ(d.deployed_by, "user-ops");
  EXPECT_EQ(d.reason, "v2 answers 500");
  EXPECT_EQ(d.execution_id, done->execution.id);
  EXPECT_EQ(deployments_->find(d.id)->execution_id, done->execution.id);

  // The execution: one node, the target's deploy node without needs or
  // condition, v1's ref and commit, the original workspace source.
  ASSERT_EQ(engine_->submitted.size(), 1u);
  const engine::NewExecution& n = engine_->submitted[0];
  ASSERT_TRUE(n.pipeline.has_value());
  ASSERT_EQ(n.pipeline->nodes.size(), 1u);
  const pipeline::Node& node = n.pipeline->nodes[0];
  EXPECT_EQ(node.id, "deploy");
  EXPECT_EQ(node.type, pipeline::NodeType::kDeploy);
  EXPECT_TRUE(node.needs.empty());
  EXPECT_FALSE(node.condition.has_value());
  EXPECT_EQ(node.environment, "Staging");
  ASSERT_EQ(node.steps.size(), 1u);
  EXPECT_EQ(node.steps[0].run, "./deploy.sh");
  EXPECT_EQ(n.pipeline->name, "rollback to staging-1111111");
  EXPECT_EQ(n.trigger_type, "rollback");
  EXPECT_EQ(n.started_by, "user-ops");
  EXPECT_EQ(n.environment, "Staging");
  EXPECT_EQ(n.branch, "main");
  EXPECT_EQ(n.commit_sha, sha1);
  EXPECT_EQ(n.workspace.kind, engine::WorkspaceSource::Kind::kGit);
  EXPECT_EQ(n.workspace.git_url, "/srv/git/demo.git");

  const Json& m = n.metadata["deployment"];
  EXPECT_EQ(m["id"], d.id);
  EXPECT_EQ(m["kind"], "rollback");
  EXPECT_EQ(m["rollback_of"], v1.id);
  EXPECT_EQ(m["version"], "staging-1111111");
  EXPECT_EQ(m["commit_sha"], sha1);
  EXPECT_EQ(m["image_tag"], "staging-1111111");
  EXPECT_EQ(m["artifact_id"], v1.artifact_id);
  EXPECT_EQ(m["reason"], "v2 answers 500");
  EXPECT_EQ(n.metadata["image_tag"], "staging-1111111");
  EXPECT_EQ(n.metadata["replicas"], 3);

  // Admitted on the one path, as a rollback by that person.
  EXPECT_EQ(done->execution.governance_status, "allowed");
  EXPECT_EQ(done->governance.value("status", ""), "allowed");
  auto request = execution_request_from_json(done->execution.metadata["governance_request"]);
  ASSERT_TRUE(request.ok()) << request.error().to_string();
  EXPECT_EQ(request->trigger, governance::TriggerKind::kRollback);
  EXPECT_EQ(request->requested_by, "user-ops");
  EXPECT_EQ(request->requester_role, auth::Role::kOperator);
  EXPECT_EQ(request->ref_kind, governance::RefKind::kBranch);
  EXPECT_EQ(request->ref_name, "main");
  EXPECT_EQ(request->commit_sha, sha1);
}

TEST_F(DeploymentActionsTest, RollbackTargetOfAnotherEnvironmentIsRefusedNamingTheField) {
  auto v1 = deployed("Staging", "staging-1111111", testing::sha_of('1'));
  const Counts before = counts();
  auto done = actions_->rollback(rollback_to(v1, "Production", auth::Role::kAdmin));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::kValidation);
  EXPECT_EQ(done.error().field, "environment");
  EXPECT_NE(done.error().message.find("was deployed to Staging, not Production"),
            std::string::npos)
      << done.error().message;
  EXPECT_TRUE(engine_->submitted.empty());
  EXPECT_EQ(counts(), before);
}

TEST_F(DeploymentActionsTest, RollbackTargetOfAnotherProjectIsRefusedNamingTheField) {
  store::ProjectFields f;
  f.name = "other";
  auto other = projects_->create_project(f, "creator-id");
  ASSERT_TRUE(other.ok()) << other.error().to_string();
  auto theirs = deployed("Staging", "staging-3333333", testing::sha_of('3'), "success", other->id);
  const Counts before = counts();

  RollbackCommand c = rollback_to(theirs, "Staging");
  c.project_id = project_.id;
  auto done = actions_->rollback(c);
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::kValidation);
  EXPECT_EQ(done.error().field, "deployment_id");
  EXPECT_NE(done.error().message.find("another project"), std::string::npos);
  EXPECT_TRUE(engine_->submitted.empty());
  EXPECT_EQ(counts(), before);
}

TEST_F(DeploymentActionsTest, UnknownRollbackTargetIsNotFoundNamingTheField) {
  for (const std::string& id : {new_uuid(), std::string("not-a-uuid")}) {
    RollbackCommand c;
    c.target_deployment_id = id;
    c.environment = "Staging";
    c.actor = "user-ops";
    c.role = auth::Role::kAdmin;
    auto done = actions_->rollback(c);
    ASSERT_FALSE(done.ok()) << id;
    EXPECT_EQ(done.error().code, ErrorCode::kNotFound) << id;
    EXPECT_EQ(done.error().field, "deployment_id") << id;
    EXPECT_NE(done.error().message.find(id), std::string::npos) << done.error().message;
  }
  EXPECT_TRUE(engine_->submitted.empty());
}

TEST_F(DeploymentActionsTest, RollbackToAVersionThatNeverSucceededIsRefused) {
  auto broken = deployed("Staging", "staging-4444444", testing::sha_of('4'), "rolled_back");
  const Counts before = counts();
  auto done = actions_->rollback(rollback_to(broken, "Staging"));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::kValidation);
  EXPECT_EQ(done.error().field, "deployment_id");
  EXPECT_NE(done.error().message.find("is rolled_back"), std::string::npos)
      << done.error().message;
  EXPECT_EQ(counts(), before);
}

TEST_F(DeploymentActionsTest, LockedEnvironmentRefusesTheRollbackAndWritesNothing) {
  auto v1 = deployed("Staging", "staging-1111111", testing::sha_of('1'));
  store::EnvironmentStore envs(*db_, clock_);
  ASSERT_TRUE(envs.lock(project_.id, "Staging", "incident 42 under investigation", "user-lead").ok());
  const Counts before = counts();

  auto done = actions_->rollback(rollback_to(v1, "Staging"));
  ASSERT_FALSE(done.ok());
  // Exactly the refusal a POST /api/v1/executions gets: 409 quoting the lock.
  EXPECT_EQ(done.error().code, ErrorCode::kConflict);
  EXPECT_NE(done.error().message.find("incident 42 under investigation"), std::string::npos)
      << done.error().message;
  EXPECT_TRUE(engine_->submitted.empty());
  EXPECT_EQ(counts(), before);
}

TEST_F(DeploymentActionsTest, RollbackNeedsTheEnvironmentsRole) {
  auto v1 = deployed("Staging", "staging-1111111", testing::sha_of('1'));
  const Counts before = counts();
  auto done = actions_->rollback(rollback_to(v1, "Staging", auth::Role::kViewer));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(counts(), before);
}

TEST_F(DeploymentActionsTest, AdoptsTheRowTheDeployHandlerCreatedFirst) {
  auto v1 = deployed("Staging", "staging-1111111", testing::sha_of('1'));
  // The engine's deploy handler may run before the action inserts the row:
  // it then creates the row itself from metadata.deployment.
  engine_->on_submit = [&](const store::ExecutionRecord& e) -> Status {
    const Json& m = e.metadata["deployment"];
    store::DeploymentRecord d;
    d.id = m["id"];
    d.execution_id = e.id;
    d.node_id = "deploy";
    d.project_id = project_.id;
    d.environment = "Staging";
    d.version = m["version"];
    d.status = "running";
    auto created = deployments_->create(d);
    return created ? Status{} : Status{created.error()};
  };
  int audited = 0;
  RollbackCommand c = rollback_to(v1, "Staging");
  c.audit = [&](store::SqlSession&, const store::DeploymentRecord& row) -> Status {
    ++audited;
    EXPECT_EQ(row.status, "running");
    return {};
  };
  auto done = actions_->rollback(c);
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_EQ(done->deployment.status, "running");
  EXPECT_EQ(done->deployment.id, engine_->submitted[0].metadata["deployment"]["id"]);
  EXPECT_EQ(audited, 1);
}

TEST_F(DeploymentActionsTest, PromotionShipsTheSameVersionToTheNextEnvironment) {
  const std::string sha = testing::sha_of('5');
  auto staged = deployed("Staging", "staging-5555555", sha);
  unlock("PreProd");  // locked by default
  auto done = actions_->promote(promotion_of(staged, "PreProd", auth::Role::kOperator));
  ASSERT_TRUE(done.ok()) << done.error().to_string();

  const store::DeploymentRecord& d = done->deployment;
  EXPECT_EQ(d.environment, "PreProd");
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.version, "staging-5555555");
  EXPECT_EQ(d.commit_sha, sha);
  EXPECT_EQ(d.artifact_id, staged.artifact_id);
  EXPECT_TRUE(d.rollback_of.empty());
  EXPECT_NE(d.reason.find("promoted from Staging"), std::string::npos) << d.reason;

  ASSERT_EQ(engine_->submitted.size(), 1u);
  const engine::NewExecution& n = engine_->submitted[0];
  EXPECT_EQ(n.trigger_type, "promotion");
  EXPECT_EQ(n.environment, "PreProd");
  ASSERT_EQ(n.pipeline->nodes.size(), 1u);
  EXPECT_EQ(n.pipeline->nodes[0].environment, "PreProd");
  EXPECT_EQ(n.metadata["deployment"]["kind"], "promotion");
  EXPECT_EQ(n.metadata["deployment"]["promoted_from"], staged.id);
  EXPECT_FALSE(n.metadata.contains("replicas"));  // another environment has its own
  auto request = execution_request_from_json(done->execution.metadata["governance_request"]);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->trigger, governance::TriggerKind::kPromotion);
  EXPECT_EQ(request->environment, "PreProd");
  // PreProd needs an approval: held, with its deployment row waiting.
  EXPECT_EQ(done->execution.governance_status, "pending_approval");
}

TEST_F(DeploymentActionsTest, PromotionToAnUnknownOrTheSameEnvironmentIsRefusedNamingTheField) {
  auto staged = deployed("Staging", "staging-5555555", testing::sha_of('5'));
  const Counts before = counts();
  for (const char* target : {"Prodution", "Staging", ""}) {
    auto done = actions_->promote(promotion_of(staged, target));
    ASSERT_FALSE(done.ok()) << target;
    EXPECT_EQ(done.error().code, ErrorCode::kValidation) << target;
    EXPECT_EQ(done.error().field, "to_environment") << target;
  }
  EXPECT_NE(actions_->promote(promotion_of(staged, "Prodution")).error().message.find("no environment 'Prodution'"),
            std::string::npos);
  EXPECT_TRUE(engine_->submitted.empty());
  EXPECT_EQ(counts(), before);
}

TEST_F(DeploymentActionsTest, PromotionOutOfLifecycleOrderIsRefusedByAdmission) {
  auto staged = deployed("Staging", "staging-5555555", testing::sha_of('5'));
  unlock("PreProd");
  // PreProd comes after Development, where this commit never ran.
  ASSERT_TRUE(deployments_->set_lifecycle(project_.id, {{0, "Development", 0}, {1, "PreProd", 0}})
                  .ok());
  const Counts before = counts();
  auto done = actions_->promote(promotion_of(staged, "PreProd"));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::kConflict);
  EXPECT_NE(done.error().message.find("Development"), std::string::npos) << done.error().message;
  EXPECT_TRUE(engine_->submitted.empty());
  EXPECT_EQ(counts(), before);
}

TEST_F(DeploymentActionsTest, PromotingAFailedDeploymentIsRefused) {
  auto failed = deployed("Staging", "staging-6666666", testing::sha_of('6'), "failed");
  auto done = actions_->promote(promotion_of(failed, "PreProd"));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::kValidation);
  EXPECT_EQ(done.error().field, "deployment_id");
  EXPECT_TRUE(engine_->submitted.empty());
}

}  // namespace
}  // namespace opz::trigger
