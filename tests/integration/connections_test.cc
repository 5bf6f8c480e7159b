// Connections through the real server (issue 12 "Connections"): created with
// a sealed secret that is never answered, checked against local recording
// servers (allow-listed loopback) — http, registry (/v2/ with auth), github
// (/user and its scopes), otel (an empty OTLP export) — each check stored in
// connection_health_events; the seed's public alias answers the status only;
// bad input is refused naming the field and stores nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/time_format.h"

#include "support/fake_http_server.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

class ConnectionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    admin_ = server_->create_user_and_login("admin@example.com", "admin");
    viewer_ = server_->create_user_and_login("viewer@example.com", "viewer");
    operator_ = server_->create_user_and_login("operator@example.com", "operator");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static HttpClient as(const std::string& token) {
    HttpClient c(server_->base_url());
    c.set_token(token);
    return c;
  }
  static std::string create(const json& body) {
    auto r = as(admin_).post("/api/v1/connections", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  static json check(const std::string& id) {
    auto r = as(admin_).post("/api/v1/connections/" + id + "/check", json::object());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_;
  static inline std::string viewer_;
  static inline std::string operator_;
};

TEST_F(ConnectionsTest, AnHttpConnectionIsCheckedAndItsSecretNeverAnswered) {
  FakeHttpServer target;
  target.set_handler([](const RecordedRequest&) { return CannedResponse::json(204, ""); });
  auto created = as(admin_).post(
      "/api/v1/connections",
      json{{"type", "http"}, {"name", "status page"},
           {"config", {{"url", target.base_url() + "/status"}}}, {"secret", "s3cret-value-42"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("s3cret-value-42"), std::string::npos);
  EXPECT_EQ(created.json()["has_secret"], true);
  EXPECT_EQ(created.json()["status"], "pending");
  const std::string id = created.json()["id"];

  const json result = check(id);
  EXPECT_EQ(result["status"], "healthy") << result.dump();
  EXPECT_EQ(result["connection_id"], id);
  EXPECT_GE(result["response_time_ms"].get<int64_t>(), 0);
  EXPECT_FALSE(result["checked_at"].get<std::string>().empty());
  ASSERT_EQ(target.request_count(), 1u);
  EXPECT_EQ(target.last_request().path, "/status");
  EXPECT_EQ(target.last_request().header("authorization"), "Bearer s3cret-value-42");

  auto one = as(viewer_).get("/api/v1/connections/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["status"], "active");
  EXPECT_EQ(one.json()["validated"], true);
  ASSERT_EQ(one.json()["recent_checks"].size(), 1u);
  EXPECT_EQ(one.json()["recent_checks"][0]["status"], "healthy");
  EXPECT_EQ(one.body.find("s3cret-value-42"), std::string::npos);
  auto list = as(viewer_).get("/api/v1/connections");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(id), std::string::npos);
  EXPECT_EQ(list.body.find("s3cret-value-42"), std::string::npos);
  EXPECT_EQ(as(viewer_).post("/api/v1/connections/" + id + "/check", json::object()).status, 403);
  // Operators may check a connection, not remove it.
  EXPECT_EQ(as(operator_).post("/api/v1/connections/" + id + "/check", json::object()).status, 200);
  EXPECT_EQ(as(operator_).del("/api/v1/connections/" + id).status, 403);

  EXPECT_EQ(as(admin_).del("/api/v1/connections/" + id).status, 204);
  EXPECT_EQ(as(viewer_).get("/api/v1/connections/" + id).status, 404);
}

TEST_F(ConnectionsTest, ARegistryAnsweringUnauthorizedIsReachableButDegraded) {
  FakeHttpServer registry;
  registry.set_handler([](const RecordedRequest&) {
    CannedResponse r = CannedResponse::json(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})");
    r.headers.push_back({"WWW-Authenticate", "Basic realm=\"registry\""});
    return r;
  });
  const std::string id = create(json{{"type", "registry"}, {"name", "registry"},
                                     {"config", {{"url", registry.base_url()}, {"username", "bot"}}},
                                     {"secret", "registry-password"}});
  const json result = check(id);
  EXPECT_EQ(result["status"], "degraded") << result.dump();
  EXPECT_NE(result["message"].get<std::string>().find("unauthorized"), std::string::npos);
  EXPECT_EQ(registry.last_request().path, "/v2/");
  EXPECT_EQ(registry.last_request().header("authorization"),
            "Basic Ym90OnJlZ2lzdHJ5LXBhc3N3b3Jk");  // bot:registry-password
  EXPECT_EQ(as(admin_).get("/api/v1/connections/" + id).json()["status"], "degraded");
}

TEST_F(ConnectionsTest, AGithubTokenIsCheckedForTheScopesOpzenixNeeds) {
  FakeHttpServer github;
  github.set_handler([](const RecordedRequest& r) {
    CannedResponse c = CannedResponse::json(r.path == "/user" ? 200 : 404, R"({"login":"bot"})");
    c.headers.push_back({"X-OAuth-Scopes", "repo, workflow"});
    return c;
  });
  const std::string id = create(json{{"type", "github"}, {"name", "github"},
                                     {"config", {{"url", github.base_url()}}},
                                     {"secret", "ghp_token_for_check"}});
  const json result = check(id);
  EXPECT_EQ(result["status"], "degraded") << result.dump();
  EXPECT_NE(result["message"].get<std::string>().find("admin:repo_hook"), std::string::npos);
  EXPECT_EQ(github.last_request().path, "/user");
  EXPECT_EQ(github.last_request().header("authorization"), "Bearer ghp_token_for_check");
  EXPECT_EQ(result["message"].get<std::string>().find("ghp_token_for_check"), std::string::npos);
}

TEST_F(ConnectionsTest, AnOtelEndpointGetsAnEmptyExportAndThePublicAliasAnswersStatusOnly) {
  FakeHttpServer collector;
  collector.set_handler([](const RecordedRequest&) { return CannedResponse::json(200, "{}"); });
  const std::string id = create(json{{"type", "otel"}, {"name", "collector"},
                                     {"config", {{"url", collector.base_url()}}}});
  HttpClient anonymous(server_->base_url());
  auto r = anonymous.post("/functions/v1/connection-health-check", json{{"connection_id", id}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "healthy");
  EXPECT_TRUE(r.json().contains("response_time_ms"));
  EXPECT_TRUE(r.json().contains("checked_at"));
  EXPECT_FALSE(r.json().contains("message"));
  EXPECT_EQ(collector.last_request().method, "POST");
  EXPECT_EQ(collector.last_request().path, "/v1/traces");
  EXPECT_EQ(json::parse(collector.last_request().body), json({{"resourceSpans", json::array()}}));
  auto stored = as(admin_).get("/api/v1/connections/" + id).json()["recent_checks"];
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["status"], "healthy");
  EXPECT_EQ(anonymous.post("/functions/v1/connection-health-check",
                           json{{"connection_id", "00000000-0000-4000-8000-000000000000"}})
                .status,
            404);
}

TEST_F(ConnectionsTest, BadInputIsRefusedNamingTheFieldAndNothingIsStored) {
  const size_t before = as(admin_).get("/api/v1/connections").json()["items"].size();
  struct Bad {
    json body;
    std::string field;
  };
  const std::vector<Bad> cases = {
      {{{"type", "ftp"}, {"name", "x"}, {"config", {{"url", "https://example.com"}}}}, "type"},
      {{{"type", "http"}, {"name", "x"}, {"config", {{"url", "http://169.254.169.254/"}}}},
       "config.url"},
      {{{"type", "http"}, {"name", "x"}, {"config", {{"url", "http://10.0.0.1/"}}}}, "config.url"},
      {{{"type", "http"}, {"name", "x"}, {"config", {{"url", "ftp://example.com/"}}}}, "config.url"},
      {{{"type", "http"}, {"name", "x"}, {"config", json::object()}}, "config.url"},
      {{{"type", "http"}, {"name", "x"}, {"config", {{"url", "https://example.com"}, {"token", "t"}}}},
       "config.token"},
      {{{"type", "github"}, {"name", "x"}}, "secret"},
      {{{"type", "http"}, {"config", {{"url", "https://example.com"}}}}, "name"},
  };
  for (const Bad& c : cases) {
    auto r = as(admin_).post("/api/v1/connections", c.body);
    EXPECT_EQ(r.status, 422) << c.body.dump() << " -> " << r.body;
    EXPECT_EQ(r.json()["error"].value("field", ""), c.field) << r.body;
  }
  EXPECT_EQ(as(admin_).get("/api/v1/connections").json()["items"].size(), before);
}


TEST_F(ConnectionsTest, TheSeedsValidationFunctionsCheckWithoutStoringAnything) {
  FakeHttpServer otel;
  otel.set_handler([](const RecordedRequest&) { return CannedResponse::json(200, "{}"); });
  const size_t before = as(admin_).get("/api/v1/connections").json()["items"].size();

  auto valid = as(operator_).post("/functions/v1/validate-otel", json{{"url", otel.base_url()}});
  ASSERT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(valid.json()["valid"], true) << valid.body;
  EXPECT_EQ(valid.json()["status"], "healthy");
  EXPECT_EQ(otel.last_request().path, "/v1/traces");

  // The outbound guard answers for an unsaved URL as for a saved one.
  auto metadata = as(operator_).post("/functions/v1/validate-registry",
                                     json{{"url", "http://169.254.169.254/"}});
  EXPECT_EQ(metadata.status, 422) << metadata.body;
  EXPECT_EQ(metadata.json()["error"]["field"], "url");
  auto no_token = as(operator_).post("/functions/v1/github-validate-connection", json::object());
  EXPECT_EQ(no_token.status, 422) << no_token.body;
  EXPECT_EQ(no_token.json()["error"]["field"], "token");
  EXPECT_EQ(as(viewer_).post("/functions/v1/validate-otel", json{{"url", otel.base_url()}}).status,
            403);

  auto aks = as(admin_).post("/functions/v1/aks-validate", json::object());
  EXPECT_EQ(aks.status, 501) << aks.body;
  EXPECT_NE(aks.json()["error"]["message"].get<std::string>().find("generic http connection"),
            std::string::npos);
  EXPECT_EQ(as(admin_).get("/api/v1/connections").json()["items"].size(), before);
}

TEST_F(ConnectionsTest, TheSeedsCreateEnvironmentAddsOneToTheProject) {
  auto project = as(admin_).post("/api/v1/projects", json{{"name", "Env seed alias"}});
  ASSERT_EQ(project.status, 201) << project.body;
  const std::string id = project.json()["id"];
  auto created = as(admin_).post("/functions/v1/create-environment",
                                 json{{"project_id", id}, {"name", "QA"}, {"required_approvals", 1}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["name"], "QA");
  auto envs = as(viewer_).get("/api/v1/projects/" + id + "/environments").json()["items"];
  EXPECT_EQ(envs.back()["name"], "QA") << envs.dump();
  auto missing = as(admin_).post("/functions/v1/create-environment", json{{"name", "QA2"}});
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(missing.json()["error"]["field"], "project_id");
  EXPECT_EQ(as(operator_)
                .post("/functions/v1/create-environment", json{{"project_id", id}, {"name", "QA3"}})
                .status,
            403);
}


// The server checks every connection by itself (connection-check-interval)
// and scans for advisories (advisory-scan-interval), without being asked.
TEST(ScheduledChecks, ConnectionsAreCheckedAndAdvisoriesScannedOnTheirSchedule) {
  ServerProcess::Options options;
  options.extra_args = {"--connection-check-interval", "1s", "--advisory-scan-interval", "1s",
                        "--ops-ingest-token", "ingest-token-for-the-schedule-test"};
  ServerProcess server(options);
  const std::string admin = server.create_user_and_login("admin@example.com", "admin");
  HttpClient api(server.base_url());
  api.set_token(admin);
  FakeHttpServer target;
  target.set_handler([](const RecordedRequest&) { return CannedResponse::json(200, "{}"); });
  auto created = api.post("/api/v1/connections",
                          json{{"type", "http"}, {"name", "scheduled"},
                               {"config", {{"url", target.base_url() + "/health"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  auto project = api.post("/api/v1/projects", json{{"name", "Scheduled scan"}});
  ASSERT_EQ(project.status, 201) << project.body;
  const std::string project_id = project.json()["id"];
  HttpClient ingest(server.base_url());
  auto in = ingest.request(
      "POST", "/functions/v1/ops-metrics-ingest",
      json{{"project_id", project_id},
           {"ts", format_time(std::chrono::system_clock::now())},
           {"samples", json::array({{{"metric", "error_rate_pct"}, {"value", 7.5}}})}}
          .dump(),
      {"x-ops-ingest-token: ingest-token-for-the-schedule-test"});
  ASSERT_EQ(in.status, 200) << in.body;

  json checks, advisories;
  for (int i = 0; i < 100; ++i) {  // bounded: 10 s
    checks = api.get("/api/v1/connections/" + id).json()["recent_checks"];
    advisories = api.get("/api/v1/projects/" + project_id + "/advisories?status=open").json()["items"];
    if (!checks.empty() && !advisories.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(checks.empty()) << "no scheduled connection check";
  EXPECT_EQ(checks[0]["status"], "healthy") << checks.dump();
  EXPECT_GE(target.request_count(), 1u);
  ASSERT_FALSE(advisories.empty()) << "no scheduled advisory scan";
  EXPECT_EQ(advisories[0]["rule"], "error_rate") << advisories.dump();
}

}  // namespace
}  // namespace opz::testing
