// Walks EVERY registered route x EVERY role and checks the answer against the
// one policy table (auth/policy.h): a role outside the action's roles gets
// 403, a role inside never does (whatever else the handler answers to an
// empty request); no token gets 401. A route without a policy action must be
// on the short public list below, so adding a route without a policy entry
// fails this test.
#include <gtest/gtest.h>

#include <set>

#include "api/api_fixture.h"
#include "auth/password.h"
#include "auth/policy.h"

namespace opz::api {
namespace {

const std::set<std::string> kPublicRoutes = {
    "GET /healthz",         "GET /readyz",          "GET /metrics",
    "GET /api/v1/version",  "POST /api/v1/auth/login",
    "POST /api/v1/webhooks/github", "POST /api/v1/webhooks/github/{project_id}",
    "POST /functions/v1/github-webhook",
    // Remote agents authenticate with their own agent token (api/agent_api.cc).
    "POST /api/v1/agents/register", "POST /api/v1/agents/poll",
    "POST /api/v1/agents/jobs/{id}/heartbeat", "POST /api/v1/agents/jobs/{id}/logs",
    "POST /api/v1/agents/jobs/{id}/complete",
};

class PolicyRoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    for (auto role : {"viewer", "operator", "admin"}) tokens_[role] = token_for(role);
  }

  // Fills every {param} with a syntactically valid id.
  static std::string concrete_path(const std::string& pattern) {
    std::string out;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '{') {
        out += "00000000-0000-4000-8000-000000000000";
        i = pattern.find('}', i);
      } else {
        out.push_back(pattern[i]);
      }
    }
    return out;
  }

  http::Response call(const http::RouteInfo& route, const std::string& token) {
    auto m = router_.match(route.method, concrete_path(route.pattern));
    EXPECT_TRUE(m.found()) << route.method << " " << route.pattern;
    http::Request req;
    req.method = route.method;
    req.path = concrete_path(route.pattern);
    req.path_params = m.params;
    if (!token.empty()) req.headers.add("Authorization", "Bearer " + token);
    req.headers.add("Content-Type", "application/json");
    req.body = "{}";
    return (*m.handler)(req);
  }

  std::map<std::string, std::string> tokens_;
};

TEST_F(PolicyRoutesTest, EveryRouteHasAPolicyOrIsDeclaredPublic) {
  auto routes = router_.routes();
  ASSERT_GT(routes.size(), 20u);
  for (const auto& r : routes) {
    const std::string key = r.method + " " + r.pattern;
    if (r.options.action.empty()) {
      EXPECT_TRUE(kPublicRoutes.count(key) || r.pattern.rfind("/functions/v1/", 0) == 0)
          << key << " has no policy action and is not a declared public route";
    } else {
      EXPECT_NE(auth::find_policy(r.options.action), nullptr)
          << key << " names unknown action " << r.options.action;
    }
  }
}

TEST_F(PolicyRoutesTest, EveryRouteTimesEveryRoleMatchesThePolicyTable) {
  int checked = 0;
  for (const auto& r : router_.routes()) {
    if (r.options.action.empty()) continue;
    // No credentials: 401, whatever the role table says.
    EXPECT_EQ(call(r, "").status, 401) << r.method << " " << r.pattern;
    for (const auto& [role_name, token] : tokens_) {
      auto role = *auth::parse_role(role_name);
      const bool allowed = auth::is_allowed(r.options.action, role);
      auto res = call(r, token);
      if (allowed) {
        EXPECT_NE(res.status, 403) << role_name << " " << r.method << " " << r.pattern << ": "
                                   << res.body;
        EXPECT_NE(res.status, 401) << role_name << " " << r.method << " " << r.pattern;
      } else {
        EXPECT_EQ(res.status, 403) << role_name << " " << r.method << " " << r.pattern << ": "
                                   << res.body;
        EXPECT_NE(res.body.find("\"forbidden\""), std::string::npos) << res.body;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 60);
}

TEST_F(PolicyRoutesTest, SeedRbacMatrixRowsHold) {
  // 000 §7.2: viewers view executions but cannot start them; operators approve;
  // only admins manage user roles.
  EXPECT_TRUE(auth::is_allowed("executions.read", auth::Role::kViewer));
  EXPECT_FALSE(auth::is_allowed("executions.start", auth::Role::kViewer));
  EXPECT_TRUE(auth::is_allowed("executions.start", auth::Role::kOperator));
  EXPECT_TRUE(auth::is_allowed("approvals.vote", auth::Role::kOperator));
  EXPECT_FALSE(auth::is_allowed("approvals.vote", auth::Role::kViewer));
  EXPECT_FALSE(auth::is_allowed("users.manage", auth::Role::kOperator));
  EXPECT_TRUE(auth::is_allowed("users.manage", auth::Role::kAdmin));
  EXPECT_FALSE(auth::is_allowed("locks.manage", auth::Role::kViewer));
  // Notifications are everyone's own; project webhooks are admin-only.
  EXPECT_TRUE(auth::is_allowed("notifications.read", auth::Role::kViewer));
  EXPECT_FALSE(auth::is_allowed("project_webhooks.manage", auth::Role::kOperator));
  EXPECT_TRUE(auth::is_allowed("project_webhooks.manage", auth::Role::kAdmin));
}

TEST_F(PolicyRoutesTest, GovernanceActionsFollowTheMatrix) {
  // Everyone reads environments, windows and the stop; only admins change
  // environment rules, freeze windows and the emergency stop; locks are
  // operator-or-admin and narrowed by the handler (next test).
  for (auto action : {"environments.read", "freeze_windows.read", "emergency_stop.read"})
    EXPECT_TRUE(auth::is_allowed(action, auth::Role::kViewer)) << action;
  for (auto action : {"environments.manage", "freeze_windows.manage", "emergency_stop.manage"}) {
    EXPECT_FALSE(auth::is_allowed(action, auth::Role::kOperator)) << action;
    EXPECT_TRUE(auth::is_allowed(action, auth::Role::kAdmin)) << action;
  }
  EXPECT_TRUE(auth::find_policy("locks.manage")->scoped);
}

TEST_F(PolicyRoutesTest, OperatorsManageNonProductionLocksOnly) {
  auto org = projects_->create_organization("Org", "org", "");
  ASSERT_TRUE(org.ok());
  store::ProjectFields f;
  f.name = "Shop";
  auto project = projects_->create_project(f, "");
  ASSERT_TRUE(project.ok()) << project.error().to_string();
  auto lock = [&](const std::string& method, const std::string& env, const std::string& role) {
    const std::string path = "/api/v1/projects/" + project->id + "/environments/" + env + "/lock";
    auto m = router_.match(method, path);
    EXPECT_TRUE(m.found()) << path;
    http::Request req;
    req.method = method;
    req.path = path;
    req.path_params = m.params;
    req.headers.add("Authorization", "Bearer " + tokens_[role]);
    req.headers.add("Content-Type", "application/json");
    req.body = R"({"reason": "release 1.4"})";
    return (*m.handler)(req).status;
  };
  EXPECT_EQ(lock("PUT", "Production", "operator"), 403);
  EXPECT_EQ(lock("DELETE", "Production", "operator"), 403);
  EXPECT_EQ(lock("PUT", "Staging", "viewer"), 403);
  EXPECT_EQ(lock("PUT", "Staging", "operator"), 200);
  EXPECT_EQ(lock("DELETE", "Staging", "operator"), 200);
  EXPECT_EQ(lock("PUT", "Production", "admin"), 200);
  EXPECT_EQ(lock("PUT", "production", "admin"), 404);  // names are exact
}

}  // namespace
}  // namespace opz::api
