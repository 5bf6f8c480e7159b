// The advisory scan with configured rule settings (issue 13), driven by a
// ManualClock: a project's own window and threshold decide what it finds,
// other projects keep the global settings, and each advisory opened or
// resolved writes one notification per admin and operator in the scan's
// transaction.
#include <gtest/gtest.h>

#include "api/api_fixture.h"
#include "api/scheduled_checks.h"
#include "core/time_format.h"
#include "store/advisory_store.h"
#include "store/ops_metrics_store.h"

namespace opz::api {
namespace {

class AdvisoryScanTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    clock_.set(parse_time("2026-02-12T17:30:00Z").value());
    admin_ = token_for("admin");
    operator_ = token_for("operator");
    viewer_ = token_for("viewer");
  }
  // Samples of one metric `ago` before now.
  void ingest(const std::string& project, const std::string& metric, double value,
              std::chrono::seconds ago) {
    store::OpsMetricsStore metrics(*db_, clock_);
    ASSERT_TRUE(metrics.insert(project, format_time(clock_.now() - ago), {{metric, value}}).ok());
  }
  int put_rule(const std::string& rule, const Json& body) {
    return call_route("PUT", "/api/v1/advisory-rules/" + rule, bearer(admin_), body.dump())
        .status;
  }
  int64_t scan() {
    auto n = run_advisory_scan(*ctx_);
    EXPECT_TRUE(n.ok()) << n.error().to_string();
    return n.ok() ? *n : -1;
  }
  std::vector<std::string> open_rules(const std::string& project) {
    std::vector<std::string> out;
    auto open = store::AdvisoryStore(*db_, clock_).list(project, "open");  // named: *temporary would dangle
    EXPECT_TRUE(open.ok());
    if (!open.ok()) return out;
    for (const auto& a : *open) out.push_back(a.rule);
    return out;
  }
  // Notification types written for everyone, oldest first.
  std::vector<std::string> notified() {
    std::vector<std::string> out;
    auto rows = db_->read([](store::SqlSession& s) {
      return s.query("SELECT type, target FROM notification_events ORDER BY created_at, type");
    });
    for (const auto& r : *rows) out.push_back(r["type"].as_text());
    return out;
  }

  std::string admin_, operator_, viewer_;
};

TEST_F(AdvisoryScanTest, AProjectsOwnWindowAndThresholdDecideWhatItFinds) {
  const std::string tight = create_project("tight");
  const std::string usual = create_project("usual");
  // 5 restarts two minutes ago in both projects: over the default 3 in 5 minutes.
  ingest(tight, "pod_restarts", 5, std::chrono::seconds(120));
  ingest(usual, "pod_restarts", 5, std::chrono::seconds(120));
  // `tight` looks at the last minute only.
  ASSERT_EQ(put_rule("pod_restarts", Json{{"window_seconds", 60}, {"project_id", tight}}), 200);
  EXPECT_EQ(scan(), 1);
  EXPECT_TRUE(open_rules(tight).empty());
  EXPECT_EQ(open_rules(usual), std::vector<std::string>{"pod_restarts"});

  // A global threshold of 10 clears `usual`; `tight` inherits it too.
  ASSERT_EQ(put_rule("pod_restarts", Json{{"threshold", 10}}), 200);
  EXPECT_EQ(scan(), 0);
  EXPECT_TRUE(open_rules(usual).empty());
  ingest(tight, "pod_restarts", 7, std::chrono::seconds(10));  // 7 in the last minute: <= 10
  EXPECT_EQ(scan(), 0);
  EXPECT_TRUE(open_rules(tight).empty());
}

TEST_F(AdvisoryScanTest, OpenedAndResolvedAdvisoriesNotifyAdminsAndOperatorsOnce) {
  const std::string p = create_project();
  ingest(p, "rpc_p95_ms", 900, std::chrono::seconds(30));
  EXPECT_EQ(scan(), 1);
  EXPECT_EQ(notified(), (std::vector<std::string>{"advisory_opened", "advisory_opened"}));
  EXPECT_EQ(scan(), 0);
  EXPECT_EQ(notified().size(), 2u);  // still open: nobody is told again

  clock_.advance(std::chrono::minutes(6));  // the slow sample leaves the 5-minute window
  EXPECT_EQ(scan(), 0);
  EXPECT_TRUE(open_rules(p).empty());
  EXPECT_EQ(notified(), (std::vector<std::string>{"advisory_opened", "advisory_opened",
                                                  "advisory_resolved", "advisory_resolved"}));
}

TEST_F(AdvisoryScanTest, AViewerCannotChangeRulesAndBadValuesNameTheField) {
  auto viewer = call_route("PUT", "/api/v1/advisory-rules/error_rate", bearer(viewer_),
                           R"({"threshold": 2})");
  EXPECT_EQ(viewer.status, 403);
  auto severity = call_route("PUT", "/api/v1/advisory-rules/error_rate", bearer(admin_),
                             R"({"severity": "page-everyone"})");
  EXPECT_EQ(severity.status, 422);
  EXPECT_NE(severity.body.find("\"field\":\"severity\""), std::string::npos) << severity.body;
  auto unknown = call_route("PUT", "/api/v1/advisory-rules/error_rate", bearer(admin_),
                            R"({"treshold": 2})");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  auto listed = call_route("GET", "/api/v1/advisory-rules", bearer(viewer_));
  ASSERT_EQ(listed.status, 200);
  Json items = Json::parse(listed.body)["items"];
  for (const auto& i : items) EXPECT_EQ(i["source"], "default") << i.dump();
}

}  // namespace
}  // namespace opz::api
