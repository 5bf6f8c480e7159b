// The real `opzenix serve` on an ephemeral loopback port with a temp data dir:
// health, readiness, metrics (checked by promtool), auth, users, projects, the
// error shape for every kind of bad input, and graceful shutdown.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "support/database_probe.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    admin_token_ = server_->create_user_and_login("admin@example.com", "admin");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  HttpClient admin() const {
    HttpClient c(server_->base_url());
    c.set_token(admin_token_);
    return c;
  }
  // Row count of a table, read from the server's database (either backend).
  static int64_t count_rows(const std::string& table) {
    return opz::testing::count_rows(*server_, table);
  }
  static void expect_error(const HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.body;
    ASSERT_TRUE(j.contains("error")) << r.body;
    EXPECT_EQ(j["error"].value("code", ""), code) << r.body;
    EXPECT_FALSE(j["error"].value("message", "").empty()) << r.body;
  }

  static ServerProcess* server_;
  static std::string admin_token_;
};

ServerProcess* ServerTest::server_ = nullptr;
std::string ServerTest::admin_token_;

TEST_F(ServerTest, HealthReadinessAndRequestIds) {
  HttpClient c(server_->base_url());
  auto h = c.get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json()["status"], "ok");
  EXPECT_FALSE(h.header("x-request-id").empty());
  auto r = c.request("GET", "/readyz", "", {"X-Request-Id: trace-123"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-request-id"), "trace-123");
}

TEST_F(ServerTest, MetricsPassPromtool) {
  HttpClient c(server_->base_url());
  c.get("/healthz");
  auto m = c.get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("opzenix_http_requests_total"), std::string::npos);
  EXPECT_NE(m.body.find("opzenix_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("opzenix_build_info"), std::string::npos);
  if (access("/usr/bin/promtool", X_OK) != 0) GTEST_SKIP() << "promtool not installed";
  TempDir d;
  auto file = d.write("metrics.txt", m.body);
  auto r = run_command({"/bin/sh", "-c", "/usr/bin/promtool check metrics < " + file});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(ServerTest, LoginRejectsWrongCredentials) {
  HttpClient c(server_->base_url());
  expect_error(c.post("/api/v1/auth/login",
                      nlohmann::json{{"email", "admin@example.com"}, {"password", "wrong-pass"}}),
               401, "unauthorized");
  expect_error(c.post("/api/v1/auth/login",
                      nlohmann::json{{"email", "nobody@example.com"}, {"password", "whatever1"}}),
               401, "unauthorized");
  expect_error(c.get("/api/v1/projects"), 401, "unauthorized");
  HttpClient bad(server_->base_url());
  bad.set_token("opzs_not-a-real-token");
  expect_error(bad.get("/api/v1/projects"), 401, "unauthorized");
}

TEST_F(ServerTest, AdminCreatesUsersAndRolesAreEnforced) {
  auto r = admin().post("/api/v1/users", nlohmann::json{{"email", "op@example.com"},
                                                        {"password", "operator-pass"},
                                                        {"role", "operator"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["role"], "operator");
  EXPECT_FALSE(r.json().contains("password_hash"));
  auto dup = admin().post("/api/v1/users", nlohmann::json{{"email", "OP@example.com"},
                                                          {"password", "operator-pass"}});
  expect_error(dup, 409, "conflict");

  HttpClient c(server_->base_url());
  auto login = c.post("/api/v1/auth/login",
                      nlohmann::json{{"email", "op@example.com"}, {"password", "operator-pass"}});
  ASSERT_EQ(login.status, 200);
  HttpClient op(server_->base_url());
  op.set_token(login.json()["token"]);
  expect_error(op.post("/api/v1/users", nlohmann::json{{"email", "x@example.com"},
                                                       {"password", "whatever-pass"}}),
               403, "forbidden");
  EXPECT_EQ(op.get("/api/v1/auth/me").json()["role"], "operator");
  // A new user without a role is a viewer (the seeds' handle_new_user).
  auto v = admin().post("/api/v1/users", nlohmann::json{{"email", "viewer@example.com"},
                                                        {"password", "viewer-pass"}});
  EXPECT_EQ(v.json()["role"], "viewer");
}

TEST_F(ServerTest, ProjectsCrudAndPagination) {
  auto created = admin().post("/api/v1/projects",
                              nlohmann::json{{"name", "Payments API"},
                                             {"github_repo_url", "https://github.com/acme/pay"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  EXPECT_EQ(created.json()["slug"], "payments-api");
  auto got = admin().get("/api/v1/projects/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["github_repo_url"], "https://github.com/acme/pay");
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(admin().post("/api/v1/projects", nlohmann::json{{"name", "p" + std::to_string(i)}})
                  .status,
              201);
  auto page1 = admin().get("/api/v1/projects?limit=4");
  ASSERT_EQ(page1.status, 200);
  EXPECT_EQ(page1.json()["items"].size(), 4u);
  ASSERT_TRUE(page1.json()["next_cursor"].is_string());
  auto page2 = admin().get("/api/v1/projects?limit=4&cursor=" +
                           page1.json()["next_cursor"].get<std::string>());
  ASSERT_EQ(page2.status, 200);
  EXPECT_GE(page2.json()["items"].size(), 2u);
  EXPECT_NE(page1.json()["items"][0]["id"], page2.json()["items"][0]["id"]);

  auto patched = admin().patch("/api/v1/projects/" + id, nlohmann::json{{"description", "money"}});
  EXPECT_EQ(patched.json()["description"], "money");
  EXPECT_EQ(admin().del("/api/v1/projects/" + id).status, 204);
  expect_error(admin().get("/api/v1/projects/" + id), 404, "not_found");
}

// Project lists are served from the response cache: every write shows at
// once, and a warm cache never lets an unauthenticated or forbidden caller in.
TEST_F(ServerTest, CachedListsShowEveryWriteAndStillCheckTheCaller) {
  auto before = admin().get("/api/v1/projects");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(admin().get("/api/v1/projects").body, before.body);  // warm
  HttpClient anonymous(server_->base_url());
  expect_error(anonymous.get("/api/v1/projects"), 401, "unauthorized");
  auto created = admin().post("/api/v1/projects", nlohmann::json{{"name", "Cache Probe"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto after = admin().get("/api/v1/projects");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.json()["items"].size(), before.json()["items"].size() + 1);
  EXPECT_EQ(after.json()["items"][0]["name"], "Cache Probe");
  const std::string id = created.json()["id"];
  ASSERT_EQ(admin().get("/api/v1/projects/" + id).json()["description"], "");
  ASSERT_EQ(admin().patch("/api/v1/projects/" + id, nlohmann::json{{"description", "d2"}}).status,
            200);
  EXPECT_EQ(admin().get("/api/v1/projects/" + id).json()["description"], "d2");
}

TEST_F(ServerTest, BadInputGetsPreciseErrorsAndChangesNothing) {
  const int64_t before = count_rows("projects");
  auto malformed = admin().request("POST", "/api/v1/projects", "{\"name\": \"x\",}");
  expect_error(malformed, 400, "malformed");
  EXPECT_NE(malformed.json()["error"]["message"].get<std::string>().find("byte"), std::string::npos);

  expect_error(admin().request("POST", "/api/v1/projects", "name=x",
                               {"Content-Type: text/plain"}),
               415, "unsupported_media_type");
  auto wrong_type = admin().post("/api/v1/projects", nlohmann::json{{"name", 42}});
  expect_error(wrong_type, 422, "validation_failed");
  EXPECT_EQ(wrong_type.json()["error"]["field"], "name");
  auto unknown = admin().post("/api/v1/projects", nlohmann::json{{"name", "a"}, {"nmae", "b"}});
  expect_error(unknown, 422, "validation_failed");
  EXPECT_EQ(unknown.json()["error"]["field"], "nmae");
  expect_error(admin().post("/api/v1/projects", std::string(11u << 20, 'x')), 413,
               "payload_too_large");
  expect_error(admin().get("/api/v1/nope"), 404, "not_found");
  auto m = admin().request("DELETE", "/api/v1/projects", "");
  expect_error(m, 405, "method_not_allowed");
  EXPECT_NE(m.header("allow").find("GET"), std::string::npos);
  expect_error(admin().get("/api/v1/projects/%27%20OR%201=1%20--"), 404, "not_found");

  // SQL-looking strings in every filter are data, never SQL.
  for (const char* q : {"'; DROP TABLE projects; --", "\" OR 1=1 --", "%' OR '1'='1"}) {
    std::string enc;
    for (unsigned char ch : std::string(q)) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      enc += buf;
    }
    auto r = admin().get("/api/v1/projects?q=" + enc + "&organization_id=" + enc);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["items"].size(), 0u);
    auto a = admin().get("/api/v1/audit-logs?action=" + enc + "&resource_type=" + enc);
    EXPECT_EQ(a.status, 200) << a.body;
  }
  expect_error(admin().get("/api/v1/projects?limit=abc"), 422, "validation_failed");
  expect_error(admin().get("/api/v1/projects?cursor=zz"), 422, "validation_failed");
  EXPECT_EQ(count_rows("projects"), before);
  EXPECT_EQ(HttpClient(server_->base_url()).get("/healthz").status, 200);
}

TEST_F(ServerTest, ApiTokensAreShownOnceAndRevocable) {
  auto t = admin().post("/api/v1/tokens", nlohmann::json{{"name", "ci"}});
  ASSERT_EQ(t.status, 201) << t.body;
  const std::string token = t.json()["token"];
  HttpClient c(server_->base_url());
  c.set_token(token);
  EXPECT_EQ(c.get("/api/v1/projects").status, 200);
  auto list = admin().get("/api/v1/tokens");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(token), std::string::npos) << "the token must not be listed";
  EXPECT_EQ(admin().del("/api/v1/tokens/" + t.json()["id"].get<std::string>()).status, 204);
  // The authenticator caches tokens for 2 s.
  long status = 0;
  for (int i = 0; i < 40 && status != 401; ++i) {
    status = c.get("/api/v1/projects").status;
    if (status != 401) usleep(100 * 1000);
  }
  EXPECT_EQ(status, 401);
}

TEST_F(ServerTest, AuditTrailRecordsChanges) {
  ASSERT_EQ(admin().post("/api/v1/projects", nlohmann::json{{"name", "audited"}}).status, 201);
  auto a = admin().get("/api/v1/audit-logs?action=project.created");
  ASSERT_EQ(a.status, 200);
  ASSERT_GE(a.json()["items"].size(), 1u);
  EXPECT_EQ(a.json()["items"][0]["resource_type"], "project");
}

TEST(ServerLifecycle, SigtermExitsZeroAndRestartKeepsData) {
  TempDir dir;
  ServerProcess::Options o;
  o.data_dir = dir.str();
  ServerProcess s(o);
  std::string token = s.create_user_and_login("a@example.com", "admin");
  HttpClient c(s.base_url());
  c.set_token(token);
  ASSERT_EQ(c.post("/api/v1/projects", nlohmann::json{{"name", "kept"}}).status, 201);
  EXPECT_EQ(s.stop(15), 0);
  s.restart();
  HttpClient c2(s.base_url());
  c2.set_token(token);
  auto list = c2.get("/api/v1/projects");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["items"][0]["name"], "kept");
  EXPECT_EQ(s.stop(2), 0);  // SIGINT too
}

TEST(ServerCli, UserCreateOnAFreshDirectoryAndMigrate) {
  TempDir dir;
  auto r = run_command({opzenix_binary(), "user", "create", "--data-dir", dir.str() + "/new",
                        "--email", "root@example.com", "--role", "admin"},
                       "s3cret-password\n");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("created admin root@example.com"), std::string::npos);
  auto again = run_command({opzenix_binary(), "user", "create", "--data-dir", dir.str() + "/new",
                            "--email", "root@example.com", "--role", "admin"},
                           "s3cret-password\n");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("already exists"), std::string::npos);
  auto m = run_command({opzenix_binary(), "db", "migrate", "--data-dir", dir.str() + "/new"});
  EXPECT_EQ(m.exit_code, 0);
  EXPECT_NE(m.out.find("up to date"), std::string::npos);
  auto help = run_command({opzenix_binary(), "serve", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* opt : {"--listen", "--data-dir", "--config", "--log-format", "--max-body"})
    EXPECT_NE(help.out.find(opt), std::string::npos) << opt;
}

}  // namespace
}  // namespace opz::testing
