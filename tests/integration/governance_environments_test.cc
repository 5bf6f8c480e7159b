// Environments, locks, freeze windows and the emergency stop against the real
// `opzenix serve` (issue 8): a new project's defaults, role rules on every
// mutation, 422s naming the field, the seeds' §2.2 step-5 SQL reading the
// lock, and an audit row for every change.
#include <gtest/gtest.h>

#include "support/database_probe.h"
#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;

class GovernanceEnvironmentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ServerProcess::Options{});
    admin_token_ = server_->create_user_and_login("admin@example.com", "admin");
    operator_token_ = server_->create_user_and_login("operator@example.com", "operator");
    viewer_token_ = server_->create_user_and_login("viewer@example.com", "viewer");
    auto p = as(admin_token_).post("/api/v1/projects", json{{"name", "Governed"}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_id_ = p.json()["id"];
  }
  static void TearDownTestSuite() { delete server_; }

  static HttpClient as(const std::string& token) {
    HttpClient c(server_->base_url());
    c.set_token(token);
    return c;
  }
  static HttpClient admin() { return as(admin_token_); }
  static HttpClient op() { return as(operator_token_); }
  static HttpClient viewer() { return as(viewer_token_); }
  static std::string envs() { return "/api/v1/projects/" + project_id_ + "/environments"; }
  static json find_env(const std::string& name) {
    auto r = viewer().get(envs());
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.json();
    for (const auto& e : body["items"])
      if (e["name"] == name) return e;
    return nullptr;
  }
  static int64_t audits(const std::string& action) {
    return webhooks::count_rows(*server_, "audit_logs",
                                "action = " + webhooks::sq(action));
  }
  // The seeds' §2.2 step 5 query, verbatim, on the server's database (either
  // backend), printed the way the sqlite3 tool prints it.
  static std::string seed_lock_query() {
    return query_lines(*server_,
                       "SELECT is_locked, lock_reason, required_role, requires_approval "
                       "FROM environment_locks WHERE environment = 'Production' AND "
                       "project_id = '" + project_id_ + "'");
  }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_token_, operator_token_, viewer_token_, project_id_;
};

TEST_F(GovernanceEnvironmentsTest, ANewProjectListsTheFourDefaultsWithTheSeedRules) {
  auto r = viewer().get(envs());
  ASSERT_EQ(r.status, 200) << r.body;
  const json items = r.json()["items"];
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0]["name"], "Development");
  EXPECT_EQ(items[0]["is_locked"], false);
  EXPECT_EQ(items[0]["auto_deploy"], true);
  EXPECT_EQ(items[1]["name"], "Staging");
  EXPECT_EQ(items[1]["required_role"], "operator");
  EXPECT_EQ(items[2]["name"], "PreProd");
  EXPECT_EQ(items[2]["required_approvals"], 1);
  const json prod = items[3];
  EXPECT_EQ(prod["name"], "Production");
  EXPECT_EQ(prod["required_role"], "admin");
  EXPECT_EQ(prod["requires_approval"], true);
  EXPECT_EQ(prod["required_approvals"], 2);
  EXPECT_EQ(prod["wait_timer_seconds"], 300);
  EXPECT_EQ(prod["allowed_tags"], json::array({"v*"}));
  EXPECT_TRUE(prod["freeze_windows"].is_array());
  EXPECT_EQ(viewer().get("/api/v1/projects/00000000-0000-4000-8000-000000000000/environments")
                .status,
            404);
}

TEST_F(GovernanceEnvironmentsTest, PatchIsAdminOnlyValidatedAndReadBack) {
  const std::string path = envs() + "/PreProd";
  EXPECT_EQ(op().patch(path, json{{"wait_timer_seconds", 60}}).status, 403);
  EXPECT_EQ(viewer().patch(path, json{{"wait_timer_seconds", 60}}).status, 403);
  const int64_t before = audits("environment.updated");
  auto ok = admin().patch(path, json{{"wait_timer_seconds", 60},
                                     {"required_approvals", 2},
                                     {"allowed_branches", json::array({"release/*"})},
                                     {"restrict_refs", true}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  json env = find_env("PreProd");
  EXPECT_EQ(env["wait_timer_seconds"], 60);
  EXPECT_EQ(env["required_approvals"], 2);
  EXPECT_EQ(env["allowed_branches"], json::array({"release/*"}));
  EXPECT_EQ(audits("environment.updated"), before + 1);

  struct Bad {
    json body;
    std::string field;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{{"required_approvals", 11}}, "required_approvals"},
           {{{"wait_timer_seconds", -1}}, "wait_timer_seconds"},
           {{{"allowed_branches", json::array({""})}}, "allowed_branches[0]"},
           {{{"queue_mode", "random"}}, "queue_mode"},
           {{{"required_role", "root"}}, "required_role"},
           {{{"name", "Production\u200b"}}, "name"},
           {{{"name", "Pr\u043Eduction"}}, "name"},
           {{{"reviewers", json::array({json{{"kind", "role"}, {"id", "admin"}},
                                        json{{"kind", "user"}, {"id", "nobody"}}})}},
            "reviewers[1].id"},
           {{{"reviewers", json::array({json{{"kind", "role"}, {"id", "viewer"}}})}},
            "reviewers[0].id"},
           {{{"is_locked", false}}, "is_locked"},
       }) {
    auto r = admin().patch(path, bad.body);
    EXPECT_EQ(r.status, 422) << bad.body << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], bad.field) << r.body;
  }
  EXPECT_EQ(find_env("PreProd")["wait_timer_seconds"], 60);  // nothing half-written
  EXPECT_EQ(admin().patch(envs() + "/Nowhere", json{{"auto_deploy", true}}).status, 404);
  EXPECT_EQ(admin().patch(envs() + "/preprod", json{{"auto_deploy", true}}).status, 404);
}

TEST_F(GovernanceEnvironmentsTest, AddAndRenameRefuseLookAlikes) {
  auto added = admin().post(envs(), json{{"name", "  QA  "}, {"required_role", "operator"}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()["name"], "QA");
  EXPECT_EQ(added.json()["position"], 4);
  EXPECT_EQ(admin().post(envs(), json{{"name", "Production "}}).status, 409);
  EXPECT_EQ(admin().post(envs(), json{{"name", "qa"}}).status, 409);
  EXPECT_EQ(op().post(envs(), json{{"name", "Ops"}}).status, 403);
  auto renamed = admin().patch(envs() + "/QA", json{{"name", "Quality"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_FALSE(find_env("Quality").is_null());
  EXPECT_TRUE(find_env("QA").is_null());
  EXPECT_EQ(audits("environment.created"), 1);
}

TEST_F(GovernanceEnvironmentsTest, LocksFollowTheRoleMatrixAndTheSeedSqlReadsThem) {
  EXPECT_EQ(op().put(envs() + "/Production/lock", json{{"reason", "mine"}}).status, 403);
  EXPECT_EQ(viewer().put(envs() + "/Staging/lock", json{{"reason", "x"}}).status, 403);
  EXPECT_GE(audits("environment.lock_refused"), 1);
  auto staging = op().put(envs() + "/Staging/lock", json{{"reason", "db migration"}});
  ASSERT_EQ(staging.status, 200) << staging.body;
  EXPECT_EQ(staging.json()["is_locked"], true);
  EXPECT_EQ(op().del(envs() + "/Staging/lock").status, 200);
  EXPECT_EQ(admin().put(envs() + "/Staging/lock", json::object()).status, 422);
  EXPECT_EQ(admin().put(envs() + "/Nowhere/lock", json{{"reason", "x"}}).status, 404);

  auto prod = admin().put(envs() + "/Production/lock", json{{"reason", "Release 2.0 freeze"}});
  ASSERT_EQ(prod.status, 200) << prod.body;
  json env = find_env("Production");
  EXPECT_EQ(env["is_locked"], true);
  EXPECT_EQ(env["lock_reason"], "Release 2.0 freeze");
  EXPECT_FALSE(env["locked_by"].is_null());
  EXPECT_EQ(seed_lock_query(), "1|Release 2.0 freeze|admin|1\n");

  EXPECT_EQ(op().del(envs() + "/Production/lock").status, 403);
  auto unlocked = admin().del(envs() + "/Production/lock");
  ASSERT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_EQ(unlocked.json()["is_locked"], false);
  EXPECT_FALSE(unlocked.json()["unlocked_by"].is_null());
  EXPECT_FALSE(unlocked.json()["unlocked_at"].is_null());
  EXPECT_EQ(seed_lock_query(), "0||admin|1\n");
  EXPECT_EQ(audits("environment.locked"), 2);
  EXPECT_EQ(audits("environment.unlocked"), 2);
}

TEST_F(GovernanceEnvironmentsTest, FreezeWindowsAreValidatedAndListed) {
  const std::string path = envs() + "/Development/freeze-windows";
  EXPECT_EQ(op().post(path, json{{"start", "2031-01-01T00:00"}, {"end", "2031-01-02T00:00"},
                                 {"reason", "x"}})
                .status,
            403);
  auto abs = admin().post(path, json{{"start", "2031-01-01T00:00"},
                                     {"end", "2031-01-02T00:00"},
                                     {"timezone", "Europe/Berlin"},
                                     {"reason", "new year"}});
  ASSERT_EQ(abs.status, 201) << abs.body;
  const std::string abs_id = abs.json()["id"];
  auto cron = admin().post(path, json{{"cron", "0 18 * * FRI"},
                                      {"duration", "2h"},
                                      {"timezone", "America/New_York"},
                                      {"reason", "friday evenings"}});
  ASSERT_EQ(cron.status, 201) << cron.body;
  EXPECT_EQ(cron.json()["duration_seconds"], 7200);
  auto weekly = admin().post(envs() + "/Staging/freeze-windows",
                             json{{"weekdays", json::array({"sat", "sun"})},
                                  {"start_time", "00:00"},
                                  {"end_time", "23:59"},
                                  {"reason", "weekend"}});
  ASSERT_EQ(weekly.status, 201) << weekly.body;
  auto project_wide = admin().post("/api/v1/projects/" + project_id_ + "/freeze-windows",
                                   json{{"start", "2031-06-01T00:00"},
                                        {"end", "2031-06-02T00:00"},
                                        {"reason", "audit day"}});
  ASSERT_EQ(project_wide.status, 201) << project_wide.body;

  struct Bad {
    json body;
    std::string field;
    long status = 422;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{{"start", "2031-02-01T00:00"}, {"end", "2031-02-02T00:00"},
             {"timezone", "Mars/Olympus"}, {"reason", "x"}}, "timezone"},
           {{{"start", "2031-02-02T00:00"}, {"end", "2031-02-01T00:00"}, {"reason", "x"}}, "end"},
           {{{"cron", "61 * * * *"}, {"duration", "1h"}, {"reason", "x"}}, "cron.minute"},
           {{{"cron", "0 1 * * *"}, {"duration", "soon"}, {"reason", "x"}}, "duration"},
           {{{"start", "2031-01-01T12:00"}, {"end", "2031-01-03T00:00"},
             {"timezone", "Europe/Berlin"}, {"reason", "overlap"}}, "start", 409},
       }) {
    auto r = admin().post(path, bad.body);
    EXPECT_EQ(r.status, bad.status) << bad.body << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], bad.field) << r.body;
  }
  auto listed = viewer().get(path);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["items"].size(), 2u);  // nothing half-written
  EXPECT_EQ(find_env("Development")["freeze_windows"].size(), 3u);  // + project-wide
  EXPECT_EQ(find_env("Staging")["freeze_windows"].size(), 2u);

  EXPECT_EQ(admin().del(envs() + "/Staging/freeze-windows/" + abs_id).status, 404);
  EXPECT_EQ(admin().del(path + "/" + abs_id).status, 204);
  EXPECT_EQ(viewer().get(path).json()["items"].size(), 1u);
  EXPECT_EQ(audits("freeze_window.created"), 4);
  EXPECT_EQ(audits("freeze_window.deleted"), 1);
}

TEST_F(GovernanceEnvironmentsTest, EmergencyStopOnAndOff) {
  auto off = viewer().get("/api/v1/emergency-stop");
  ASSERT_EQ(off.status, 200);
  EXPECT_EQ(off.json()["active"], false);
  EXPECT_EQ(op().post("/api/v1/emergency-stop", json{{"reason", "x"}}).status, 403);
  EXPECT_EQ(admin().post("/api/v1/emergency-stop", json{{"mode", "cancel"}}).status, 422);
  EXPECT_EQ(admin().post("/api/v1/emergency-stop", json{{"reason", "x"}, {"mode", "halt"}})
                .json()["error"]["field"],
            "mode");
  auto on = admin().post("/api/v1/emergency-stop",
                         json{{"reason", "Incident 42"}, {"mode", "let_finish"}});
  ASSERT_EQ(on.status, 201) << on.body;
  auto state = viewer().get("/api/v1/emergency-stop").json();
  EXPECT_EQ(state["active"], true);
  EXPECT_EQ(state["reason"], "Incident 42");
  EXPECT_EQ(state["mode"], "let_finish");
  EXPECT_FALSE(state["by"].is_null());
  EXPECT_FALSE(state["since"].is_null());
  EXPECT_EQ(admin().post("/api/v1/emergency-stop", json{{"reason", "again"}}).status, 409);
  EXPECT_EQ(op().del("/api/v1/emergency-stop").status, 403);
  EXPECT_EQ(admin().del("/api/v1/emergency-stop").status, 200);
  EXPECT_EQ(viewer().get("/api/v1/emergency-stop").json()["active"], false);
  EXPECT_EQ(admin().del("/api/v1/emergency-stop").status, 409);
  EXPECT_EQ(audits("emergency_stop.activated"), 1);
  EXPECT_EQ(audits("emergency_stop.lifted"), 1);
}

}  // namespace
}  // namespace opz::testing
