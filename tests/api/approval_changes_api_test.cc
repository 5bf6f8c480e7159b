// The approval routes' issue-11 additions, through the registered handlers:
// every item says whether the caller may approve (and names the voters), and
// GET /api/v1/approvals/{id}/changes lists the commits between the current
// deployment and the requested one from the engine's local git mirror.
#include <gtest/gtest.h>

#include "api/api_fixture.h"
#include "engine/workspace.h"
#include "store/approval_store.h"
#include "store/deployment_store.h"
#include "support/server_process.h"
#include "trigger/git_repo_fixture.h"

namespace opz::api {
namespace {

class ApprovalChangesApiTest : public ApiFixture {
 protected:
  void configure(ApiContext& ctx) override { ctx.data_dir = dir_.str() + "/data"; }

  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    for (auto role : {"viewer", "operator", "admin"}) {
      tokens_[role] = token_for(role);
      ids_[role] = users_->find_by_email(std::string(role) + "@example.com")->id;
    }
    project_ = create_project("shop");
  }

  void add_execution(const std::string& id, const std::string& sha, const std::string& starter,
                     const Json& workspace) {
    ASSERT_TRUE(db_->write([&](store::SqlSession& s) -> Status {
                     OPZ_TRY_STATUS(s.exec(
                         "INSERT INTO executions (id, name, project_id, commit_hash, started_by, "
                         "metadata, created_at, updated_at) VALUES ($1, 'x', $2, $3, $4, $5, "
                         "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                         {id, project_, sha, starter, dump_json(Json{{"workspace", workspace}})}));
                     return {};
                   }).ok());
  }

  std::string request_for(const std::string& execution, const std::string& starter) {
    store::ApprovalRecord a;
    a.execution_id = execution;
    a.environment = "Production";
    a.required_approvals = 2;
    a.requested_by = starter;
    auto created = store::ApprovalStore(*db_, clock_).create(a);
    EXPECT_TRUE(created.ok()) << created.error().to_string();
    return created.ok() ? created->id : "";
  }

  void deployed(const std::string& version, const std::string& sha) {
    store::DeploymentStore deployments(*db_, clock_);
    store::DeploymentRecord d;
    d.project_id = project_;
    d.environment = "Production";
    d.version = version;
    d.commit_sha = sha;
    auto row = deployments.create(d);
    ASSERT_TRUE(row.ok()) << row.error().to_string();
    ASSERT_TRUE(deployments.succeed(row->id).ok());
    clock_.advance(std::chrono::seconds(1));
  }

  http::Response call(const std::string& method, const std::string& path,
                      const std::string& role, const std::string& body = "") {
    return call_route(method, path, bearer(tokens_[role]), body);
  }
  Json json_of(const http::Response& r) { return Json::parse(r.body); }

  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::string> ids_;
  std::string project_;
};

TEST_F(ApprovalChangesApiTest, EachItemSaysWhetherTheCallerMayApproveAndNamesTheVoters) {
  add_execution("e1", "abc123", ids_["admin"], Json{{"kind", "none"}});
  const std::string id = request_for("e1", ids_["admin"]);

  auto as_viewer = json_of(call("GET", "/api/v1/approvals/" + id, "viewer"));
  EXPECT_EQ(as_viewer["can_vote"], false);
  EXPECT_EQ(as_viewer["cannot_vote_reason"], "Only operators and admins can approve");

  auto as_starter = json_of(call("GET", "/api/v1/approvals", "admin"))["items"][0];
  EXPECT_EQ(as_starter["id"], id);
  EXPECT_EQ(as_starter["can_vote"], false);
  EXPECT_EQ(as_starter["cannot_vote_reason"],
            "You started this execution: self-approval is not allowed in Production");

  auto as_operator = json_of(call("GET", "/api/v1/approvals/" + id, "operator"));
  EXPECT_EQ(as_operator["can_vote"], true);
  EXPECT_TRUE(as_operator["cannot_vote_reason"].is_null());

  auto voted = call("POST", "/api/v1/approvals/" + id + "/votes", "operator", R"({"vote": true})");
  ASSERT_EQ(voted.status, 201) << voted.body;
  Json after = json_of(voted);
  EXPECT_EQ(after["can_vote"], false);
  EXPECT_EQ(after["cannot_vote_reason"], "You already approved");
  ASSERT_EQ(after["votes"].size(), 1u);
  EXPECT_EQ(after["votes"][0]["user_id"], ids_["operator"]);
  EXPECT_EQ(after["votes"][0]["email"], "operator@example.com");
  EXPECT_EQ(after["votes"][0]["full_name"], "operator");
}

TEST_F(ApprovalChangesApiTest, ChangesListTheCommitsBetweenTheCurrentDeploymentAndTheRequest) {
  trigger::testing::GitRepo repo;
  const std::string c1 = repo.commit_and_push("main", "a.txt", "1");
  const std::string c2 = repo.commit_and_push("main", "b.txt", "2");
  const std::string c3 = repo.commit_and_push("main", "c.txt", "3");
  const std::string c4 = repo.commit_and_push("main", "d.txt", "4");
  // The engine's mirror of the repository, where the first checkout puts it.
  auto clone = opz::testing::run_command(
      {"git", "clone", "--quiet", "--mirror", repo.url(),
       engine::mirror_dir(dir_.str() + "/data", repo.url())});
  ASSERT_EQ(clone.exit_code, 0) << clone.err;
  deployed("v1", c1);
  deployed("v2", c2);
  add_execution("e1", c4, ids_["admin"], Json{{"kind", "git"}, {"url", repo.url()}});
  const std::string id = request_for("e1", ids_["admin"]);

  auto res = call("GET", "/api/v1/approvals/" + id + "/changes", "viewer");
  ASSERT_EQ(res.status, 200) << res.body;
  Json c = json_of(res);
  EXPECT_EQ(c["environment"], "Production");
  EXPECT_EQ(c["project_id"], project_);
  EXPECT_EQ(c["target"]["commit_sha"], c4);
  EXPECT_TRUE(c["target"]["version"].is_null());
  EXPECT_EQ(c["current"]["version"], "v2");
  EXPECT_EQ(c["current"]["commit_sha"], c2);
  EXPECT_TRUE(c["current"]["deployed_at"].is_string());
  EXPECT_TRUE(c["commits_error"].is_null()) << c["commits_error"];
  EXPECT_EQ(c["commits_truncated"], false);
  ASSERT_EQ(c["commits"].size(), 2u);
  EXPECT_EQ(c["commits"][0]["sha"], c4);
  EXPECT_EQ(c["commits"][0]["subject"], "change d.txt");
  EXPECT_EQ(c["commits"][0]["author"], "Test");
  EXPECT_TRUE(c["commits"][0]["date"].is_string());
  EXPECT_EQ(c["commits"][1]["sha"], c3);
}

TEST_F(ApprovalChangesApiTest, WithoutAMirrorOrADeploymentTheCommitsSayWhy) {
  add_execution("e1", "abc123", ids_["admin"],
                Json{{"kind", "git"}, {"url", "https://example.invalid/shop.git"}});
  const std::string id = request_for("e1", ids_["admin"]);
  Json nothing = json_of(call("GET", "/api/v1/approvals/" + id + "/changes", "viewer"));
  EXPECT_TRUE(nothing["current"].is_null());
  EXPECT_EQ(nothing["commits"], Json::array());
  EXPECT_EQ(nothing["commits_error"], "Nothing is deployed to Production yet");

  deployed("v1", "def456");
  auto res = call("GET", "/api/v1/approvals/" + id + "/changes", "viewer");
  ASSERT_EQ(res.status, 200) << res.body;
  Json no_mirror = json_of(res);
  EXPECT_EQ(no_mirror["current"]["version"], "v1");
  EXPECT_EQ(no_mirror["commits"], Json::array());
  EXPECT_EQ(no_mirror["commits_error"],
            "There is no local mirror of https://example.invalid/shop.git yet (the first "
            "checkout makes it)");
}

TEST_F(ApprovalChangesApiTest, AnUnknownRequestIs404) {
  EXPECT_EQ(call("GET", "/api/v1/approvals/00000000-0000-4000-8000-000000000000/changes",
                 "viewer")
                .status,
            404);
}

}  // namespace
}  // namespace opz::api
