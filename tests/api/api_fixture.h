// ApiFixture: the API tests' fixture. A fresh migrated database (the store
// tests' MigratedDbTest), the stores and services an ApiContext needs, and
// every route registered on router_ — without sockets: tests match a route
// and call its handler. configure() lets a test set what its routes need in
// the context (the event hub, say) before they are registered.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "api/api_context.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "auth/token.h"
#include "http/router.h"
#include "store/migrated_db_test.h"
#include "store/project_store.h"
#include "store/user_store.h"
#include "telemetry/metrics.h"

namespace opz::api {

class ApiFixture : public store::MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    if (HasFatalFailure()) return;
    users_ = std::make_unique<store::UserStore>(*db_, clock_);
    projects_ = std::make_unique<store::ProjectStore>(*db_, clock_);
    authn_ = std::make_unique<auth::Authenticator>(*users_, clock_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    ctx_ = std::unique_ptr<ApiContext>(new ApiContext{*db_, clock_, *users_, *projects_, *authn_,
                                                      *audit_, metrics_, nullptr, "test", nullptr});
    configure(*ctx_);
    if (HasFatalFailure()) return;
    ASSERT_TRUE(register_all_routes(router_, *ctx_).ok());
  }

  // Called before the routes are registered.
  virtual void configure(ApiContext&) {}

  // A new user "<role>@example.com" with `role` and a personal API token;
  // answers the token ("" after a failed expectation).
  std::string token_for(const std::string& role) {
    auto u = users_->create(role + "@example.com", role, "x", role);
    EXPECT_TRUE(u.ok());
    if (!u.ok()) return {};
    std::string token = auth::generate_token(auth::TokenKind::kApiToken);
    EXPECT_TRUE(users_->create_api_token(u->id, "t", auth::hash_token(token),
                                         auth::token_prefix(token), std::nullopt)
                    .ok());
    return token;
  }

  // Calls the handler of the route `method path` matches with the request the
  // transport would hand it: path parameters filled, `query`, `headers`, and
  // a body (sent as application/json when not empty). Fails the test when no
  // route matches.
  http::Response call_route(const std::string& method, const std::string& path,
                            const std::map<std::string, std::string>& headers = {},
                            const std::string& body = "",
                            std::map<std::string, std::string> query = {}) {
    auto m = router_.match(method, path);
    EXPECT_TRUE(m.found()) << method << " " << path;
    if (!m.found()) return http::Response{};
    http::Request req;
    req.method = method;
    req.path = path;
    req.path_params = m.params;
    req.query = std::move(query);
    for (const auto& [name, value] : headers) req.headers.add(name, value);
    if (!body.empty()) {
      req.headers.add("Content-Type", "application/json");
      req.body = body;
    }
    return (*m.handler)(req);
  }
  static std::map<std::string, std::string> bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  std::unique_ptr<store::UserStore> users_;
  std::unique_ptr<store::ProjectStore> projects_;
  std::unique_ptr<auth::Authenticator> authn_;
  std::unique_ptr<audit::AuditLog> audit_;
  telemetry::MetricsRegistry metrics_;
  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
};

}  // namespace opz::api
