// The outbound guard through the real server (issue 12 "Outbound calls are
// guarded"): with no allow-list, URLs pointing at loopback in any spelling
// (and local repositories) are refused when they are saved, 422 naming the
// field; a webhook saved while loopback was allowed is refused when it is
// called after the allow-list went away — audited as outbound.refused — and
// the listener it points at never sees a connection.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "net/accept_counter.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

ServerProcess::Options closed_options(const std::string& data_dir = {}) {
  ServerProcess::Options o;
  o.data_dir = data_dir;
  o.outbound_allow = "";
  return o;
}

HttpClient as(const ServerProcess& server, const std::string& token) {
  HttpClient c(server.base_url());
  c.set_token(token);
  return c;
}

void expect_refused(const HttpResult& r, const std::string& field, const std::string& words) {
  EXPECT_EQ(r.status, 422) << r.body;
  const json body = r.json();
  EXPECT_EQ(body["error"].value("field", ""), field) << r.body;
  EXPECT_NE(r.body.find(words), std::string::npos) << r.body;
}

TEST(OutboundGuardServer, UrlsPointingInsideAreRefusedWhenSavedNamingTheField) {
  net::testing::AcceptCounter listener;
  const std::string port = std::to_string(listener.port());
  ServerProcess server(closed_options());
  const std::string admin = server.create_user_and_login("admin@example.com", "admin");
  HttpClient api = as(server, admin);

  expect_refused(api.post("/api/v1/projects",
                          json{{"name", "a"}, {"git_url", "http://2130706433:" + port + "/r.git"}}),
                 "git_url", "127.0.0.1, a loopback address");
  expect_refused(api.post("/api/v1/projects", json{{"name", "b"}, {"git_url", "/srv/git/r.git"}}),
                 "git_url", "local repository");
  expect_refused(api.post("/api/v1/projects",
                          json{{"name", "c"}, {"github_repo_url", "https://[::ffff:7f00:1]/a/b"}}),
                 "github_repo_url", "loopback");
  expect_refused(api.post("/api/v1/projects",
                          json{{"name", "d"}, {"git_url", "http://169.254.169.254/latest"}}),
                 "git_url", "cloud metadata");

  auto project = api.post("/api/v1/projects", json{{"name", "ok"}});
  ASSERT_EQ(project.status, 201) << project.body;
  const std::string pid = project.json()["id"];
  json integration{{"repository_owner", "acme"},
                   {"repository_name", "app"},
                   {"webhook_secret", "a-webhook-secret"},
                   {"token", "ghp_not_for_loopback"}};
  for (const std::string& base : {"http://0x7f.1:" + port, "http://[::1]:" + port,
                                  "http://localhost:" + port, "http://0.0.0.0:" + port,
                                  "http://user@127.0.0.1:" + port}) {
    integration["api_base_url"] = base;
    expect_refused(api.put("/api/v1/projects/" + pid + "/github", integration), "api_base_url",
                   "refused unless the outbound-allow list names it");
  }
  integration["api_base_url"] = "http://example.com\\@127.0.0.1:" + port;
  EXPECT_EQ(api.put("/api/v1/projects/" + pid + "/github", integration).status, 422);
  expect_refused(api.post("/api/v1/projects/" + pid + "/webhooks",
                          json{{"url", "http://127.1:" + port + "/hook"}, {"secret", "s3cret-hook"}}),
                 "url", "loopback");
  EXPECT_EQ(listener.accepted(), 0);
}

TEST(OutboundGuardServer, ACallToARefusedAddressIsAuditedAndNeverConnected) {
  net::testing::AcceptCounter listener;
  TempDir data;
  std::string pid;
  std::string user_id;
  {
    // Saved while the admin allowed loopback...
    ServerProcess::Options open;
    open.data_dir = data.str();
    ServerProcess server(open);
    HttpClient api = as(server, server.create_user_and_login("admin@example.com", "admin"));
    auto project = api.post("/api/v1/projects", json{{"name", "hooked"}});
    ASSERT_EQ(project.status, 201) << project.body;
    pid = project.json()["id"];
    auto hook = api.post("/api/v1/projects/" + pid + "/webhooks",
                         json{{"url", "http://127.0.0.1:" + std::to_string(listener.port()) + "/hook"},
                              {"secret", "s3cret-hook"},
                              {"events", json::array({"guard_test"})}});
    ASSERT_EQ(hook.status, 201) << hook.body;
    user_id = api.get("/api/v1/auth/me").json()["id"];
  }
  // ...and called after the allow-list was taken away.
  ServerProcess server(closed_options(data.str()));
  HttpClient api = as(server, server.create_user_and_login("admin2@example.com", "admin"));
  auto sent = api.post("/functions/v1/notify-event",
                       json{{"type", "guard_test"}, {"target", user_id}, {"project_id", pid}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  json refusals;
  for (int i = 0; i < 500; ++i) {
    refusals = api.get("/api/v1/audit-logs?action=outbound.refused").json()["items"];
    if (!refusals.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(refusals.empty()) << "no outbound.refused audit row";
  EXPECT_EQ(refusals[0]["resource_id"], "127.0.0.1");
  EXPECT_EQ(refusals[0]["details"]["field"], "url");
  EXPECT_NE(refusals[0]["details"]["reason"].get<std::string>().find("loopback"), std::string::npos);
  EXPECT_EQ(listener.accepted(), 0);
}

}  // namespace
}  // namespace opz::testing
