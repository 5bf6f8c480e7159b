// Issue 13 through the real server: seed 003's curl examples for the ops
// functions ("Test Edge Functions") with only the host and project changed,
// the tokens coming from OPS_INGEST_TOKEN / OPS_ADVISORY_SCAN_TOKEN, and the
// DORA route answering its documented shape.
#include <gtest/gtest.h>

#include <string>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

TEST(OpsFunctionsIntegrationTest, SeedCurlExamplesWork) {
  ServerProcess::Options options;
  options.env["OPS_INGEST_TOKEN"] = "0123456789abcdef";
  options.env["OPS_ADVISORY_SCAN_TOKEN"] = "fedcba9876543210";
  // The seed's sample time (2026-02-12T17:30:00Z) is accepted however old it
  // is by now: the allowed skew into the past is configurable.
  options.extra_args = {"--ops-ingest-max-past", "3650d"};
  ServerProcess server(options);
  HttpClient admin(server.base_url());
  admin.set_token(server.create_user_and_login("admin@example.com", "admin"));
  auto project = admin.post("/api/v1/projects", json{{"name", "Production ERP"}});
  ASSERT_EQ(project.status, 201) << project.body;
  const std::string pid = project.json()["id"];

  HttpClient anonymous(server.base_url());
  const std::string seed_body = R"({
    "project_id": ")" + pid + R"(",
    "ts": "2026-02-12T17:30:00Z",
    "samples": [
      {"metric": "cpu_pct", "value": 45.2},
      {"metric": "mem_mb", "value": 1024}
    ]
  })";
  auto inserted = anonymous.request("POST", "/functions/v1/ops-metrics-ingest", seed_body,
                                    {"content-type: application/json",
                                     "x-ops-ingest-token: 0123456789abcdef"});
  ASSERT_EQ(inserted.status, 200) << inserted.body;
  EXPECT_EQ(inserted.json(), json::parse(R"({"inserted": 2})"));

  auto refused = anonymous.request("POST", "/functions/v1/ops-metrics-ingest", seed_body,
                                   {"content-type: application/json",
                                    "x-ops-ingest-token: wrong"});
  EXPECT_EQ(refused.status, 401) << refused.body;

  auto scanned = anonymous.request("POST", "/functions/v1/ops-advisory-scan", "",
                                   {"content-type: application/json",
                                    "x-ops-advisory-token: fedcba9876543210"});
  ASSERT_EQ(scanned.status, 200) << scanned.body;
  EXPECT_EQ(scanned.json(), json::parse(R"({"advisories_created": 0})"));

  auto dora = admin.get("/api/v1/projects/" + pid + "/dora?window=30d&environment=Production");
  ASSERT_EQ(dora.status, 200) << dora.body;
  for (const char* key : {"deployment_frequency", "lead_time_seconds", "change_failure_rate",
                          "time_to_restore_seconds", "window", "environment", "series", "weekly_series"})
    EXPECT_TRUE(dora.json().contains(key)) << key;
  EXPECT_EQ(dora.json()["window"], "30d");
  EXPECT_EQ(dora.json()["deployment_frequency"], 0);
}

TEST(OpsFunctionsIntegrationTest, WithoutTokensTheFunctionsSayHowToEnableThem) {
  ServerProcess server;
  HttpClient anonymous(server.base_url());
  auto res = anonymous.request("POST", "/functions/v1/ops-metrics-ingest", "{}",
                               {"x-ops-ingest-token: anything"});
  EXPECT_EQ(res.status, 503) << res.body;
  EXPECT_NE(res.body.find("OPS_INGEST_TOKEN"), std::string::npos) << res.body;
}

}  // namespace
}  // namespace opz::testing
