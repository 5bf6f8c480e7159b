// Issue 13's advisories through the real server: rule settings configured
// globally and per project (GET/PUT /api/v1/advisory-rules, admin only,
// audited), then samples over the project's threshold -> scan -> one
// advisory, one notification per admin/operator and a signed webhook
// delivery -> scan again -> still one -> normal samples -> scan -> resolved,
// told the same ways.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "support/fake_http_server.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::wait_for;

constexpr const char* kIngestToken = "ingest-token-0123";
constexpr const char* kScanToken = "scan-token-456789";

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class AdvisoriesTest : public ::testing::Test {
 protected:
  static ServerProcess::Options options() {
    ServerProcess::Options o;
    o.env["OPS_INGEST_TOKEN"] = kIngestToken;
    o.env["OPS_ADVISORY_SCAN_TOKEN"] = kScanToken;
    o.extra_args = {"--advisory-scan-interval", "off"};  // only the scans this test calls
    return o;
  }
  void SetUp() override {
    admin_.set_token(server_.create_user_and_login("admin@example.com", "admin"));
    operator_.set_token(server_.create_user_and_login("op@example.com", "operator"));
    viewer_.set_token(server_.create_user_and_login("viewer@example.com", "viewer"));
    auto p = admin_.post("/api/v1/projects", json{{"name", "Advised"}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"];
  }
  HttpResult ingest(const json& samples) {
    return anonymous_.request(
        "POST", "/functions/v1/ops-metrics-ingest",
        json{{"project_id", project_}, {"ts", utc_now()}, {"samples", samples}}.dump(),
        {std::string("x-ops-ingest-token: ") + kIngestToken});
  }
  int64_t scan() {
    auto r = anonymous_.request("POST", "/functions/v1/ops-advisory-scan", "",
                                {std::string("x-ops-advisory-token: ") + kScanToken});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("advisories_created", int64_t{-1});
  }
  json advisories(const std::string& status) {
    return admin_.get("/api/v1/projects/" + project_ + "/advisories?status=" + status)
        .json()["items"];
  }
  // The caller's notifications of `type`.
  static json notifications(const HttpClient& c, const std::string& type) {
    json out = json::array();
    for (const auto& n : c.get("/api/v1/notifications").json().value("items", json::array()))
      if (n["type"] == type) out.push_back(n);
    return out;
  }
  static json rule_of(const json& items, const std::string& rule) {
    for (const auto& i : items)
      if (i["rule"] == rule) return i;
    return json();
  }

  ServerProcess server_{options()};
  HttpClient anonymous_{server_.base_url()};
  HttpClient admin_{server_.base_url()};
  HttpClient operator_{server_.base_url()};
  HttpClient viewer_{server_.base_url()};
  std::string project_;
};

TEST_F(AdvisoriesTest, RulesAreConfiguredGloballyAndPerProjectByAdminsOnly) {
  auto listed = viewer_.get("/api/v1/advisory-rules");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["items"].size(), 9u);
  json five = rule_of(listed.json()["items"], "http_5xx_rate");
  EXPECT_EQ(five["threshold"], 5.0);
  EXPECT_EQ(five["window_seconds"], 300);
  EXPECT_EQ(five["severity"], "critical");
  EXPECT_EQ(five["enabled"], true);
  EXPECT_EQ(five["source"], "default");
  EXPECT_EQ(five["metric"], "http_5xx_pct");

  EXPECT_EQ(operator_.put("/api/v1/advisory-rules/http_5xx_rate", json{{"threshold", 9}}).status,
            403);
  EXPECT_EQ(admin_.put("/api/v1/advisory-rules/cpu_hot", json{{"threshold", 9}}).status, 404);
  auto bad = admin_.put("/api/v1/advisory-rules/http_5xx_rate", json{{"threshold", 150}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("threshold"), std::string::npos) << bad.body;
  auto bad_window =
      admin_.put("/api/v1/advisory-rules/http_5xx_rate", json{{"window_seconds", "5m"}});
  EXPECT_EQ(bad_window.status, 422) << bad_window.body;
  EXPECT_NE(bad_window.body.find("window_seconds"), std::string::npos) << bad_window.body;
  auto bad_project = admin_.put("/api/v1/advisory-rules/http_5xx_rate",
                                json{{"threshold", 9}, {"project_id", "nope"}});
  EXPECT_EQ(bad_project.status, 422) << bad_project.body;

  auto global = admin_.put("/api/v1/advisory-rules/http_5xx_rate",
                           json{{"threshold", 8}, {"severity", "warning"}});
  ASSERT_EQ(global.status, 200) << global.body;
  EXPECT_EQ(global.json()["source"], "global");
  EXPECT_EQ(global.json()["threshold"], 8.0);
  auto project = admin_.put("/api/v1/advisory-rules/http_5xx_rate",
                            json{{"threshold", 12}, {"project_id", project_}});
  ASSERT_EQ(project.status, 200) << project.body;
  EXPECT_EQ(project.json()["source"], "project");
  EXPECT_EQ(project.json()["threshold"], 12.0);
  EXPECT_EQ(project.json()["severity"], "warning");  // inherited from the global setting

  EXPECT_EQ(rule_of(viewer_.get("/api/v1/advisory-rules").json()["items"],
                    "http_5xx_rate")["threshold"],
            8.0);
  json scoped = rule_of(
      viewer_.get("/api/v1/advisory-rules?project_id=" + project_).json()["items"],
      "http_5xx_rate");
  EXPECT_EQ(scoped["threshold"], 12.0);
  EXPECT_EQ(scoped["source"], "project");

  // null goes back to inheriting.
  auto cleared = admin_.put("/api/v1/advisory-rules/http_5xx_rate",
                            json{{"threshold", nullptr}, {"project_id", project_}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(cleared.json()["threshold"], 8.0);

  auto audit = admin_.get("/api/v1/audit-logs?resource_id=http_5xx_rate").json()["items"];
  ASSERT_EQ(audit.size(), 3u) << audit.dump();
  EXPECT_EQ(audit[0]["action"], "advisory_rule.updated");
}

TEST_F(AdvisoriesTest, AnAdvisoryOpensOnceNotifiesAndResolvesWhenTheConditionClears) {
  FakeHttpServer receiver;
  receiver.set_handler([](const RecordedRequest&) { return CannedResponse::json(200, "{}"); });
  auto hook = admin_.post("/api/v1/projects/" + project_ + "/webhooks",
                          json{{"url", receiver.base_url() + "/alerts"},
                               {"secret", "advisory-secret"},
                               {"events", {"advisory_opened", "advisory_resolved"}}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  // This project alerts on 5xx above 10% (the default is 5%).
  ASSERT_EQ(admin_.put("/api/v1/advisory-rules/http_5xx_rate",
                       json{{"threshold", 10}, {"project_id", project_}})
                .status,
            200);

  ASSERT_EQ(ingest(json::array({{{"metric", "http_5xx_pct"}, {"value", 8}}})).status, 200);
  EXPECT_EQ(scan(), 0);  // 8% is over the default, not over this project's 10%
  ASSERT_EQ(ingest(json::array({{{"metric", "http_5xx_pct"}, {"value", 40}}})).status, 200);
  EXPECT_EQ(scan(), 1);  // average 24%
  json open = advisories("open");
  ASSERT_EQ(open.size(), 1u) << open.dump();
  EXPECT_EQ(open[0]["rule"], "http_5xx_rate");
  EXPECT_EQ(open[0]["threshold"], 10.0);
  EXPECT_EQ(open[0]["title"], "HTTP 5xx above 10% over 5 minutes");

  for (const HttpClient* who : {&admin_, &operator_}) {
    json told = notifications(*who, "advisory_opened");
    ASSERT_EQ(told.size(), 1u) << told.dump();
    EXPECT_EQ(told[0]["payload"]["advisory_id"], open[0]["id"]);
    EXPECT_EQ(told[0]["payload"]["rule"], "http_5xx_rate");
    EXPECT_EQ(told[0]["project_id"], project_);
  }
  EXPECT_TRUE(notifications(viewer_, "advisory_opened").empty());
  ASSERT_TRUE(wait_for([&] { return receiver.request_count() >= 1; })) << server_.log();
  json delivered = json::parse(receiver.requests()[0].body);
  EXPECT_EQ(delivered["event"], "advisory_opened");
  EXPECT_EQ(delivered["payload"]["rule"], "http_5xx_rate");
  EXPECT_FALSE(receiver.requests()[0].header("x-opzenix-signature-256").empty());

  // Still over: no second advisory, no second notification.
  EXPECT_EQ(scan(), 0);
  EXPECT_EQ(advisories("open").size(), 1u);
  EXPECT_EQ(notifications(admin_, "advisory_opened").size(), 1u);

  // Normal samples bring the 5-minute average under 10%.
  json normal = json::array();
  for (int i = 0; i < 8; ++i) normal.push_back({{"metric", "http_5xx_pct"}, {"value", 0}});
  ASSERT_EQ(ingest(normal).status, 200);
  EXPECT_EQ(scan(), 0);
  EXPECT_TRUE(advisories("open").empty());
  json resolved = advisories("resolved");
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0]["id"], open[0]["id"]);
  EXPECT_FALSE(resolved[0]["resolved_at"].is_null());
  json told = notifications(operator_, "advisory_resolved");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0]["payload"]["status"], "resolved");
  ASSERT_TRUE(wait_for([&] { return receiver.request_count() >= 2; })) << server_.log();
  EXPECT_EQ(json::parse(receiver.requests()[1].body)["event"], "advisory_resolved");
  EXPECT_EQ(receiver.request_count(), 2u);
}

TEST_F(AdvisoriesTest, ADisabledRuleNeitherOpensNorKeepsAnAdvisory) {
  ASSERT_EQ(ingest(json::array({{{"metric", "pod_restarts"}, {"value", 5}}})).status, 200);
  EXPECT_EQ(scan(), 1);
  ASSERT_EQ(admin_.put("/api/v1/advisory-rules/pod_restarts", json{{"enabled", false}}).status,
            200);
  EXPECT_EQ(scan(), 0);
  EXPECT_TRUE(advisories("open").empty());
  ASSERT_EQ(admin_.put("/api/v1/advisory-rules/pod_restarts", json{{"enabled", true}}).status,
            200);
  EXPECT_EQ(scan(), 1);  // the restarts are still in the window
}

}  // namespace
}  // namespace opz::testing
