#include "api/ops_build_request.h"

#include <gtest/gtest.h>

#include "api_fixture.h"
#include "core/ids.h"
#include "store/branch_mapping_store.h"
#include "store/flow_template_store.h"

namespace opz::api {
namespace {

class OpsBuildRequestTest : public ApiFixture {
 protected:
  void configure(ApiContext& ctx) override {
    templates_ = std::make_unique<store::FlowTemplateStore>(*db_, clock_);
    ctx.flow_templates = templates_.get();
  }

  std::string operator_id() {
    auto u = users_->create("op@example.com", "Op", "x", "operator");
    EXPECT_TRUE(u.ok());
    return u.ok() ? u->id : std::string();
  }

  std::string add_template(const std::string& project, const std::string& name) {
    store::FlowTemplateFields f;
    f.project_id = project;
    f.name = name;
    f.nodes = Json::parse(R"([{"id":"build","type":"build","data":{"run":"echo hi"}}])");
    f.edges = Json::array();
    auto t = templates_->create(f, "tester");
    EXPECT_TRUE(t.ok()) << t.error().to_string();
    return t.ok() ? t->id : std::string();
  }

  void map(const std::string& project, const std::string& pattern, const std::string& env) {
    store::BranchMappingRecord r;
    r.branch_pattern = pattern;
    r.environment = env;
    r.position = 1;
    r.image_tag_template = "{sha7}";
    ASSERT_TRUE(store::BranchMappingStore(*db_, clock_).replace(project, {r}).ok());
  }

  store::RunQueueRecord row(const std::string& project, const std::string& branch,
                            const std::string& requester) {
    store::RunQueueRecord q;
    q.id = new_uuid();
    q.project_id = project;
    q.branch = branch;
    q.requested_by = requester;
    return q;
  }

  std::unique_ptr<store::FlowTemplateStore> templates_;
};

TEST_F(OpsBuildRequestTest, RunsTheNewestTemplateInTheMappedEnvironmentAsTheRequester) {
  const std::string project = create_project("erp");
  add_template(project, "old");
  clock_.advance(std::chrono::seconds(1));
  const std::string newest = add_template(project, "new");
  map(project, "main", "Staging");
  const std::string op = operator_id();

  auto r = queued_build_request(*ctx_, row(project, "main", op));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->execution.flow_template_id, newest);
  EXPECT_EQ(r->execution.environment, "Staging");
  EXPECT_EQ(r->execution.branch, "main");
  EXPECT_EQ(r->execution.project_id, project);
  EXPECT_EQ(r->execution.started_by, op);
  EXPECT_EQ(r->execution.metadata["via"], "ops-trigger-build");
  EXPECT_FALSE(r->execution.metadata.contains("ci_only"));
  EXPECT_EQ(r->request.environment, "Staging");
  EXPECT_EQ(r->request.requested_by, op);
  EXPECT_EQ(r->request.requester_role, auth::Role::kOperator);
  EXPECT_EQ(r->request.ref_kind, governance::RefKind::kBranch);
  EXPECT_EQ(r->request.ref_name, "main");
}

TEST_F(OpsBuildRequestTest, WithoutATemplateTheRepositoryPipelineRuns) {
  store::ProjectFields f;
  f.name = "repo";
  f.git_url = "/srv/git/repo.git";
  ASSERT_TRUE(projects_->create_organization("Org", "org", "").ok());
  auto p = projects_->create_project(f, "tester");
  ASSERT_TRUE(p.ok());
  auto r = queued_build_request(*ctx_, row(p->id, "develop", operator_id()));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->execution.pipeline_from_repository);
  EXPECT_EQ(r->execution.workspace.git_url, "/srv/git/repo.git");
  EXPECT_EQ(r->execution.environment, "Development");  // the global 'develop' rule
}

TEST_F(OpsBuildRequestTest, ANonDeployableRuleBuildsCiOnly) {
  const std::string project = create_project();
  add_template(project, "ci");
  auto r = queued_build_request(*ctx_, row(project, "feature/login", operator_id()));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->execution.metadata["ci_only"], true);
}

TEST_F(OpsBuildRequestTest, RefusesWhatCannotBuildSayingWhy) {
  const std::string bare = create_project("bare");
  const std::string op = operator_id();
  auto none = queued_build_request(*ctx_, row(bare, "main", op));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kValidation);
  EXPECT_NE(none.error().message.find("has no pipeline"), std::string::npos);

  const std::string mapped = create_project("mapped");
  add_template(mapped, "t");
  map(mapped, "main", "Development");
  auto unmapped = queued_build_request(*ctx_, row(mapped, "hotfix", op));
  ASSERT_FALSE(unmapped.ok());
  EXPECT_EQ(unmapped.error().field, "branch");
  EXPECT_NE(unmapped.error().message.find("hotfix"), std::string::npos);

  auto gone = queued_build_request(*ctx_, row(mapped, "main", new_uuid()));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().field, "requested_by");
  auto no_project = queued_build_request(*ctx_, row(new_uuid(), "main", op));
  ASSERT_FALSE(no_project.ok());
  EXPECT_EQ(no_project.error().field, "project_id");
}

}  // namespace
}  // namespace opz::api
