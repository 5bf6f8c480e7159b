// Issue 13's per-user dashboards through the real server: each user's
// layouts (one default, never another user's), their preferences (defaults,
// merge, allowed modes) and widget metrics (operators record, everyone reads).
#include <gtest/gtest.h>

#include <string>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

class DashboardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_.set_token(server_.create_user_and_login("alice@example.com", "viewer"));
    bob_.set_token(server_.create_user_and_login("bob@example.com", "operator"));
  }
  static std::vector<std::string> default_names(const HttpClient& c) {
    std::vector<std::string> out;
    const json listed = c.get("/api/v1/dashboard-layouts").json();
    for (const auto& l : listed["items"])
      if (l["is_default"] == true) out.push_back(l["name"]);
    return out;
  }

  ServerProcess server_;
  HttpClient alice_{server_.base_url()};
  HttpClient bob_{server_.base_url()};
};

TEST_F(DashboardsTest, EachUserKeepsTheirOwnLayoutsWithOneDefault) {
  auto none = alice_.get("/api/v1/dashboard-layouts");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json(), json::parse(R"({"items": []})"));

  const json grid = {{"widgets", {{{"type", "active_executions"}, {"x", 0}, {"y", 0}}}}};
  auto first = alice_.post("/api/v1/dashboard-layouts", json{{"name", "Ops"}, {"layout", grid}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["is_default"], true);  // the first layout is the default
  EXPECT_EQ(first.json()["layout"], grid);
  auto second = alice_.post("/api/v1/dashboard-layouts",
                            json{{"name", "Release"}, {"layout", json::object()},
                                 {"is_default", true}});
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(default_names(alice_), std::vector<std::string>{"Release"});
  const std::string first_id = first.json()["id"];

  // Bob sees none of Alice's layouts and cannot touch them.
  EXPECT_EQ(bob_.get("/api/v1/dashboard-layouts").json()["items"].size(), 0u);
  EXPECT_EQ(bob_.put("/api/v1/dashboard-layouts/" + first_id, json{{"name", "Mine"}}).status,
            404);
  EXPECT_EQ(bob_.del("/api/v1/dashboard-layouts/" + first_id).status, 404);
  auto his = bob_.post("/api/v1/dashboard-layouts", json{{"name", "Bob"}, {"layout", grid}});
  ASSERT_EQ(his.status, 201);
  EXPECT_EQ(his.json()["is_default"], true);
  EXPECT_EQ(default_names(alice_), std::vector<std::string>{"Release"});
  EXPECT_EQ(alice_.get("/api/v1/dashboard-layouts/").status, 404);

  auto renamed = alice_.put("/api/v1/dashboard-layouts/" + first_id,
                            json{{"name", "Ops 2"}, {"is_default", true}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["layout"], grid);  // kept: not given
  EXPECT_EQ(default_names(alice_), std::vector<std::string>{"Ops 2"});
  auto unset = alice_.put("/api/v1/dashboard-layouts/" + first_id, json{{"is_default", false}});
  EXPECT_EQ(unset.status, 422) << unset.body;

  // Deleting the default makes the remaining layout the default.
  EXPECT_EQ(alice_.del("/api/v1/dashboard-layouts/" + first_id).status, 204);
  EXPECT_EQ(default_names(alice_), std::vector<std::string>{"Release"});
  EXPECT_EQ(default_names(bob_), std::vector<std::string>{"Bob"});
}

TEST_F(DashboardsTest, BadLayoutsAreRefusedNamingTheField) {
  auto array = alice_.post("/api/v1/dashboard-layouts",
                           json{{"name", "x"}, {"layout", json::array({1, 2})}});
  EXPECT_EQ(array.status, 422) << array.body;
  EXPECT_NE(array.body.find("layout"), std::string::npos);
  auto nameless = alice_.post("/api/v1/dashboard-layouts", json{{"layout", json::object()}});
  EXPECT_EQ(nameless.status, 422) << nameless.body;
  EXPECT_NE(nameless.body.find("name"), std::string::npos);
  auto huge = alice_.post("/api/v1/dashboard-layouts",
                          json{{"name", "big"}, {"layout", {{"blob", std::string(70000, 'x')}}}});
  EXPECT_EQ(huge.status, 422) << huge.body.substr(0, 300);
  EXPECT_NE(huge.body.find("layout"), std::string::npos);
  auto unknown = alice_.post("/api/v1/dashboard-layouts",
                             json{{"name", "x"}, {"layout", json::object()}, {"owner", "bob"}});
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_TRUE(alice_.get("/api/v1/dashboard-layouts").json()["items"].empty());
}

TEST_F(DashboardsTest, PreferencesHaveDefaultsMergeAndCheckTheMode) {
  auto defaults = alice_.get("/api/v1/user-preferences");
  ASSERT_EQ(defaults.status, 200) << defaults.body;
  EXPECT_EQ(defaults.json()["default_mode"], "control-tower");
  EXPECT_EQ(defaults.json()["ui_preferences"], json::object());

  auto bad = alice_.put("/api/v1/user-preferences", json{{"default_mode", "cockpit"}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("default_mode"), std::string::npos);
  EXPECT_EQ(alice_.put("/api/v1/user-preferences", json{{"ui_preferences", "dark"}}).status, 422);

  ASSERT_EQ(alice_.put("/api/v1/user-preferences",
                       json{{"default_mode", "governance"},
                            {"ui_preferences", {{"theme", "dark"}, {"sidebar", "open"}}}})
                .status,
            200);
  auto merged = alice_.put("/api/v1/user-preferences",
                           json{{"ui_preferences", {{"sidebar", nullptr}, {"density", 2}}}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(merged.json()["default_mode"], "governance");
  EXPECT_EQ(merged.json()["ui_preferences"], json({{"theme", "dark"}, {"density", 2}}));
  EXPECT_EQ(alice_.get("/api/v1/user-preferences").json()["ui_preferences"],
            json({{"theme", "dark"}, {"density", 2}}));
  // Bob's are his own.
  EXPECT_EQ(bob_.get("/api/v1/user-preferences").json()["default_mode"], "control-tower");
}

TEST_F(DashboardsTest, OperatorsRecordWidgetMetricsEveryoneReadsThem) {
  const json metric = {{"widget_type", "gauge"},
                       {"metric_name", "success_rate_24h"},
                       {"metric_value", 0.97},
                       {"dimensions", {{"environment", "Production"}}}};
  EXPECT_EQ(alice_.post("/api/v1/widget-metrics", metric).status, 403);
  auto stored = bob_.post("/api/v1/widget-metrics", metric);
  ASSERT_EQ(stored.status, 201) << stored.body;
  EXPECT_EQ(stored.json()["metric_value"], 0.97);
  ASSERT_EQ(bob_.post("/api/v1/widget-metrics",
                      json{{"widget_type", "counter"}, {"metric_name", "active"},
                           {"metric_value", 3}})
                .status,
            201);
  // JSON has no infinity: a number too large for a double is refused by the
  // parser (400) before the handler's finite check (422) could see it.
  auto infinite = bob_.request("POST", "/api/v1/widget-metrics",
                               R"({"widget_type":"gauge","metric_name":"x","metric_value":1e999})");
  EXPECT_EQ(infinite.status, 400) << infinite.body;
  EXPECT_NE(infinite.body.find("overflow"), std::string::npos) << infinite.body;
  auto text = bob_.post("/api/v1/widget-metrics",
                        json{{"widget_type", "gauge"}, {"metric_name", "x"},
                             {"metric_value", "high"}});
  EXPECT_EQ(text.status, 422) << text.body;

  auto gauges = alice_.get("/api/v1/widget-metrics?widget_type=gauge");
  ASSERT_EQ(gauges.status, 200) << gauges.body;
  ASSERT_EQ(gauges.json()["items"].size(), 1u);
  EXPECT_EQ(gauges.json()["items"][0]["dimensions"]["environment"], "Production");
  EXPECT_EQ(alice_.get("/api/v1/widget-metrics").json()["items"].size(), 2u);
  EXPECT_EQ(alice_.get("/api/v1/widget-metrics?since=2200-01-01T00:00:00Z").json()["items"].size(),
            0u);
  EXPECT_EQ(alice_.get("/api/v1/widget-metrics?since=yesterday").status, 422);
  EXPECT_EQ(alice_.get("/api/v1/widget-metrics?limit=0").status, 422);
}

}  // namespace
}  // namespace opz::testing
