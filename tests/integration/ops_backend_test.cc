// Issue 15's ops.* backend through the real server: a build queued with
// POST /functions/v1/ops-trigger-build is run by the server's build queue
// runner through the engine, and its status follows the execution in the RPCs
// (/rest/v1/rpc/list_projects, project_branches), GET /api/ops/projects and
// the ops_builds view; a build queued before a restart runs after it; bad
// input answers 4xx naming what is wrong.
#include <gtest/gtest.h>

#include "integration/ops_backend_fixture.h"
#include "support/database_probe.h"

namespace opz::testing {
namespace {

class OpsBackendTest : public OpsBackendFixture {
 protected:
  // A project whose main branch builds in Development with `echo`.
  std::string buildable_project(const std::string& name = "Production ERP") {
    const std::string id =
        create_project({{"name", name}, {"runtime_version", "19.0"}, {"default_branch", "main"}});
    give_pipeline(id);
    map_branches(id, {{"main", "Development"}, {"release/*", "Production"}});
    return id;
  }

  // One value of the ops_builds view, read from the server's database
  // (either backend): "(no row)", "(null)" or its text.
  std::string build_column(const std::string& build_id, const std::string& column) const {
    const std::string sql = "SELECT " + column + " FROM ops_builds WHERE id = $1";
    auto rows = query_database(*server_, sql, {build_id});
    EXPECT_TRUE(rows.ok()) << sql << ": " << (rows.ok() ? "" : rows.error().to_string());
    if (!rows.ok() || rows->empty()) return "(no row)";
    const store::SqlValue& value = (*rows)[0][0];
    return value.is_null() ? "(null)" : value.as_text();
  }
};

TEST_F(OpsBackendTest, TriggeredBuildRunsThroughTheEngineAndItsStatusFollowsTheExecution) {
  const std::string project = buildable_project();
  json before = project_row(project);
  ASSERT_TRUE(before.is_object());
  EXPECT_EQ(before["runtime_version"], "19.0");
  EXPECT_EQ(before["slug"], "production-erp");
  EXPECT_EQ(before["branch_count"], 2);
  EXPECT_TRUE(before["last_build_status"].is_null());

  auto queued = admin().post("/functions/v1/ops-trigger-build", json{{"project_id", project}});
  ASSERT_EQ(queued.status, 202) << queued.body;
  EXPECT_EQ(queued.json()["status"], "queued");
  const std::string build = queued.json()["build_id"];

  json done = wait_for_last_build(project, "success");
  EXPECT_FALSE(done["last_build_at"].is_null());

  // The build is an ordinary execution: named, on the default branch, in the
  // environment main maps to, admitted by governance, its echo in the log.
  const std::string execution = build_column(build, "execution_id");
  auto e = admin().get("/api/v1/executions/" + execution);
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.json()["status"], "success");
  EXPECT_EQ(e.json()["branch"], "main");
  EXPECT_EQ(e.json()["environment"], "Development");
  EXPECT_EQ(e.json()["project_id"], project);
  EXPECT_EQ(e.json()["governance_status"], "allowed");
  auto logs = admin().get("/api/v1/executions/" + execution + "/nodes/build/logs");
  ASSERT_EQ(logs.status, 200) << logs.body;
  EXPECT_NE(logs.body.find("built"), std::string::npos) << logs.body;
  EXPECT_EQ(build_column(build, "status"), "success");
  EXPECT_NE(build_column(build, "finished_at"), "(null)");

  // The seed's ops.builds through the PostgREST reads.
  auto builds = ops_table("builds", "id=eq." + build + "&select=*");
  ASSERT_EQ(builds.status, 200) << builds.body;
  ASSERT_EQ(builds.json().size(), 1u) << builds.body;
  const json b = builds.json()[0];
  EXPECT_EQ(b["status"], "success");
  EXPECT_EQ(b["trigger"], "manual");
  EXPECT_EQ(b["project_id"], project);
  EXPECT_EQ(b["execution_id"], execution);
  EXPECT_FALSE(b["branch_id"].is_null());
  EXPECT_FALSE(b["finished_at"].is_null());

  auto branches = rpc("project_branches", {{"project_id", project}});
  ASSERT_EQ(branches.status, 200) << branches.body;
  ASSERT_EQ(branches.json().size(), 2u) << branches.body;
  const json main = branches.json()[0];
  EXPECT_EQ(main["name"], "main");
  EXPECT_EQ(main["stage"], "development");
  EXPECT_EQ(main["is_production"], false);
  EXPECT_EQ(main["last_build_status"], "success");
  const json release = branches.json()[1];
  EXPECT_EQ(release["name"], "release/*");
  EXPECT_EQ(release["is_production"], true);
  EXPECT_TRUE(release["last_build_status"].is_null());

  auto page = admin().get("/api/ops/projects");
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_TRUE(page.json()["projects"].is_array());
  EXPECT_EQ(page.json()["projects"][0]["last_build_status"], "success");
}

TEST_F(OpsBackendTest, AFailingCommandFailsTheBuildAndAProjectWithoutAPipelineIsRefused) {
  const std::string failing = create_project({{"name", "failing"}});
  give_pipeline(failing, "echo broken; exit 3");
  map_branches(failing, {{"main", "Development"}});
  auto a = admin().post("/functions/v1/ops-trigger-build", json{{"project_id", failing}});
  ASSERT_EQ(a.status, 202) << a.body;
  wait_for_last_build(failing, "failed");

  const std::string bare = create_project({{"name", "bare"}});
  auto b = admin().post("/functions/v1/ops-trigger-build",
                        json{{"project_id", bare}, {"branch", "develop"}});
  ASSERT_EQ(b.status, 202) << b.body;
  wait_for_last_build(bare, "failed");
  const std::string build = b.json()["build_id"];
  EXPECT_EQ(build_column(build, "execution_id"), "(null)");
  auto queue = ops_table("run_queue", "id=eq." + build);
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.json().size(), 1u) << queue.body;
  EXPECT_EQ(queue.json()[0]["status"], "failed");
  EXPECT_NE(queue.json()[0]["error"].get<std::string>().find("has no pipeline"), std::string::npos)
      << queue.body;
}

TEST_F(OpsBackendTest, ABuildQueuedBeforeARestartRunsAfterIt) {
  const std::string project = buildable_project();
  ASSERT_EQ(server_->stop(), 0);
  // Queued while no server ran (as if it had stopped before draining).
  auto queued = exec_database(
      *server_,
      "INSERT INTO ops_run_queue (id, project_id, branch, trigger, status, requested_by, "
      "created_at) VALUES ('0a000000-0000-4000-8000-0000000000b1', $1, 'main', 'manual', "
      "'queued', (SELECT id FROM profiles LIMIT 1), $2)",
      {project, "2026-01-01T00:00:00.000Z"});
  ASSERT_TRUE(queued.ok()) << queued.error().to_string();
  ASSERT_EQ(*queued, 1);

  server_->restart();
  wait_for_last_build(project, "success");
  EXPECT_EQ(build_column("0a000000-0000-4000-8000-0000000000b1", "status"), "success");
}

TEST_F(OpsBackendTest, TheRpcsFollowPostgrestConventionsAndErrors) {
  const std::string project = buildable_project();
  HttpClient anonymous(server_->base_url());
  auto list = [&](const std::vector<std::string>& headers) {
    return anonymous.request("POST", "/rest/v1/rpc/list_projects", "", headers);
  };
  // An empty body, Bearer or apikey, with or without the profile.
  EXPECT_EQ(list({"Authorization: Bearer " + admin_token_}).status, 200);
  EXPECT_EQ(list({"apikey: " + admin_token_, "Content-Profile: ops"}).status, 200);
  EXPECT_EQ(list({}).status, 401);
  auto wrong_schema = list({"apikey: " + admin_token_, "Content-Profile: public"});
  EXPECT_EQ(wrong_schema.status, 406) << wrong_schema.body;
  EXPECT_EQ(wrong_schema.json()["code"], "PGRST106");

  // GET with query arguments, and Accept-Profile.
  auto got = anonymous.request("GET", "/rest/v1/rpc/project_branches?project_id=" + project, "",
                               {"apikey: " + admin_token_, "Accept-Profile: ops"});
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json().size(), 2u);

  auto unknown = rpc("drop_everything");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.json()["code"], "PGRST202");
  for (const char* key : {"code", "message", "details", "hint"})
    EXPECT_TRUE(unknown.json().contains(key)) << key;
  auto extra = rpc("list_projects", {{"org_id", "x"}});
  EXPECT_EQ(extra.status, 404) << extra.body;
  EXPECT_EQ(extra.json()["code"], "PGRST202");

  auto missing = rpc("project_branches");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(missing.json()["details"], "project_id");
  auto not_uuid = rpc("project_branches", {{"project_id", "1' OR '1'='1"}});
  EXPECT_EQ(not_uuid.status, 400) << not_uuid.body;
  EXPECT_EQ(not_uuid.json()["code"], "22P02");
  auto absent = rpc("project_branches", {{"project_id", "0a000000-0000-4000-8000-00000000dead"}});
  EXPECT_EQ(absent.status, 200) << absent.body;
  EXPECT_EQ(absent.json(), json::array());
  auto bad_json =
      anonymous.request("POST", "/rest/v1/rpc/list_projects", "{nope", {"apikey: " + admin_token_});
  EXPECT_EQ(bad_json.status, 400) << bad_json.body;
  EXPECT_EQ(bad_json.json()["code"], "PGRST102");
}

TEST_F(OpsBackendTest, TriggerBuildRefusesBadInputNamingTheField) {
  const std::string project = buildable_project();
  auto field_of = [](const HttpResult& r) { return r.json()["error"].value("field", ""); };
  auto missing = admin().post("/functions/v1/ops-trigger-build", json::object());
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(field_of(missing), "project_id");
  auto unknown = admin().post("/functions/v1/ops-trigger-build",
                              json{{"project_id", "0a000000-0000-4000-8000-00000000dead"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  auto sha = admin().post("/functions/v1/ops-trigger-build",
                          json{{"project_id", project}, {"commit_sha", "not-hex"}});
  EXPECT_EQ(sha.status, 422) << sha.body;
  EXPECT_EQ(field_of(sha), "commit_sha");
  auto branch = admin().post("/functions/v1/ops-trigger-build",
                             json{{"project_id", project}, {"branch", "bad..name"}});
  EXPECT_EQ(branch.status, 422) << branch.body;
  EXPECT_EQ(field_of(branch), "branch");
  auto extra = admin().post("/functions/v1/ops-trigger-build",
                            json{{"project_id", project}, {"priority", 1}});
  EXPECT_EQ(extra.status, 422) << extra.body;

  HttpClient viewer(server_->base_url());
  viewer.set_token(server_->create_user_and_login("viewer@example.com", "viewer"));
  auto refused = viewer.post("/functions/v1/ops-trigger-build", json{{"project_id", project}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(viewer.get("/api/ops/projects").status, 200);            // reading is for everyone
  EXPECT_TRUE(project_row(project)["last_build_status"].is_null());  // nothing was queued
}

}  // namespace
}  // namespace opz::testing
