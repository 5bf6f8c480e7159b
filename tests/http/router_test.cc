#include "http/router.h"

#include <gtest/gtest.h>

#include <set>

namespace opz::http {
namespace {

// A handler that answers with its own name, so a test sees which one matched.
Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

std::string call(const RouteMatch& m) {
  Request req;
  return (*m.handler)(req).body;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router.add("GET", "/api/v1/executions", named("list")).ok());
    ASSERT_TRUE(router
                    .add("POST", "/api/v1/executions", named("create"),
                         RouteOptions{"execution.create", 1024})
                    .ok());
    ASSERT_TRUE(router.add("GET", "/api/v1/executions/{id}", named("get")).ok());
    ASSERT_TRUE(router.add("DELETE", "/api/v1/executions/{id}", named("delete")).ok());
    ASSERT_TRUE(router.add("GET", "/api/v1/executions/stats", named("stats")).ok());
    ASSERT_TRUE(
        router.add("GET", "/api/v1/executions/{id}/nodes/{node_id}/logs", named("logs")).ok());
    ASSERT_TRUE(router.add("GET", "/", named("root")).ok());
  }
  Router router;
};

TEST_F(RouterTest, LiteralRoute) {
  auto m = router.match("GET", "/api/v1/executions");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "list");
  EXPECT_EQ(m.pattern, "/api/v1/executions");
  EXPECT_TRUE(m.params.empty());
}

TEST_F(RouterTest, RootRoute) {
  auto m = router.match("GET", "/");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "root");
}

TEST_F(RouterTest, ParametersAreCaptured) {
  auto m = router.match("GET", "/api/v1/executions/e-1/nodes/build/logs");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "logs");
  EXPECT_EQ(m.pattern, "/api/v1/executions/{id}/nodes/{node_id}/logs");
  EXPECT_EQ(m.params.at("id"), "e-1");
  EXPECT_EQ(m.params.at("node_id"), "build");
}

TEST_F(RouterTest, LiteralBeatsParameter) {
  auto m = router.match("GET", "/api/v1/executions/stats");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "stats");
  auto p = router.match("GET", "/api/v1/executions/stat");
  ASSERT_TRUE(p.found());
  EXPECT_EQ(call(p), "get");
  EXPECT_EQ(p.params.at("id"), "stat");
}

TEST_F(RouterTest, BacktracksFromLiteralToParameter) {
  // "stats" is a literal leaf, but ".../stats/nodes/x/logs" only exists under {id}.
  auto m = router.match("GET", "/api/v1/executions/stats/nodes/x/logs");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "logs");
  EXPECT_EQ(m.params.at("id"), "stats");
}

TEST_F(RouterTest, ParametersArePercentDecodedAfterSplitting) {
  auto m = router.match("GET", "/api/v1/executions/a%2Fb%20c/nodes/n%7B1%7D/logs");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.params.at("id"), "a/b c");
  EXPECT_EQ(m.params.at("node_id"), "n{1}");
}

TEST_F(RouterTest, LiteralsMatchDecodedSegments) {
  auto m = router.match("GET", "/api/v1/%65xecutions");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "list");
}

TEST_F(RouterTest, MalformedEscapeMatchesNothing) {
  EXPECT_EQ(router.match("GET", "/api/v1/executions/%zz").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/executions/abc%").kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, TrailingSlashIsSignificant) {
  EXPECT_EQ(router.match("GET", "/api/v1/executions/").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/executions/e1/").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1//executions").kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, ParametersRejectEmptyAndDotSegments) {
  EXPECT_EQ(router.match("GET", "/api/v1/executions/./nodes/x/logs").kind,
            RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/executions/../nodes/x/logs").kind,
            RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/executions/e1/nodes/%2E%2E/logs").kind,
            RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/executions//nodes/x/logs").kind,
            RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router.match("GET", "/nope").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/executions/e1/nodes").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "relative").kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodListsAllowedWithHead) {
  auto m = router.match("PUT", "/api/v1/executions");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "HEAD", "POST"}));
  EXPECT_EQ(m.allow_header(), "GET, HEAD, POST");
  EXPECT_EQ(m.pattern, "/api/v1/executions");
  EXPECT_EQ(m.handler, nullptr);
}

TEST_F(RouterTest, MethodsAreCaseSensitive) {
  EXPECT_EQ(router.match("get", "/api/v1/executions").kind, RouteMatch::Kind::kMethodNotAllowed);
}

TEST_F(RouterTest, HeadUsesGetHandler) {
  auto m = router.match("HEAD", "/api/v1/executions/e9");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "get");
  EXPECT_EQ(m.params.at("id"), "e9");
}

TEST_F(RouterTest, ExplicitHeadRouteWins) {
  ASSERT_TRUE(router.add("HEAD", "/api/v1/executions", named("head")).ok());
  auto m = router.match("HEAD", "/api/v1/executions");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "head");
}

TEST_F(RouterTest, RouteOptionsAreReturned) {
  auto m = router.match("POST", "/api/v1/executions");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.options->action, "execution.create");
  EXPECT_EQ(m.options->max_body, 1024u);
  auto g = router.match("GET", "/api/v1/executions");
  EXPECT_TRUE(g.options->action.empty());
  EXPECT_FALSE(g.options->max_body.has_value());
}

TEST_F(RouterTest, DifferentParameterNamesAtSamePosition) {
  ASSERT_TRUE(router.add("GET", "/api/v1/executions/{execution}/summary", named("summary")).ok());
  auto m = router.match("GET", "/api/v1/executions/e5/summary");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.params.at("execution"), "e5");
  EXPECT_EQ(m.params.count("id"), 0u);
}

TEST_F(RouterTest, RoutesListsEverythingInOrder) {
  auto routes = router.routes();
  ASSERT_EQ(routes.size(), 7u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/v1/executions");
  EXPECT_EQ(routes[1].method, "POST");
  EXPECT_EQ(routes[1].options.action, "execution.create");
  // Every listed route matches itself when parameters are filled in.
  for (const auto& r : routes) {
    std::string path = r.pattern;
    for (size_t b; (b = path.find('{')) != std::string::npos;) {
      path.replace(b, path.find('}', b) - b + 1, "x1");
    }
    auto m = router.match(r.method, path);
    EXPECT_TRUE(m.found()) << r.method << " " << path;
    EXPECT_EQ(m.pattern, r.pattern);
  }
}

TEST(RouterAdd, RejectsBadPatterns) {
  Router r;
  for (const char* bad :
       {"", "api", "/a//b", "/a/", "/{}", "/{1x}", "/a{id}", "/{id", "/{a-b}", "/x/{id}/y/{id}"}) {
    auto s = r.add("GET", bad, named("x"));
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::kValidation) << bad;
  }
  EXPECT_TRUE(r.routes().empty());
}

TEST(RouterAdd, RejectsBadMethodAndEmptyHandler) {
  Router r;
  EXPECT_FALSE(r.add("get", "/a", named("x")).ok());
  EXPECT_FALSE(r.add("", "/a", named("x")).ok());
  EXPECT_FALSE(r.add("G T", "/a", named("x")).ok());
  EXPECT_FALSE(r.add("GET", "/a", Handler{}).ok());
}

TEST(RouterAdd, DuplicateIsConflict) {
  Router r;
  ASSERT_TRUE(r.add("GET", "/a/{id}", named("x")).ok());
  auto s = r.add("GET", "/a/{id}", named("y"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  // Same shape, another parameter name: still the same route.
  EXPECT_FALSE(r.add("GET", "/a/{other}", named("z")).ok());
  EXPECT_TRUE(r.add("POST", "/a/{id}", named("p")).ok());
  EXPECT_EQ(r.routes().size(), 2u);
}

TEST(RouterMove, MatchesAfterMove) {
  Router a;
  ASSERT_TRUE(a.add("GET", "/x/{id}", named("x")).ok());
  Router b = std::move(a);
  auto m = b.match("GET", "/x/1");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(call(m), "x");
}

TEST_F(RouterTest, FallbackTakesUnmatchedGetAndHeadOutsideReservedPrefixes) {
  router.set_fallback(named("app"), {"/api", "/metrics"});
  for (const char* method : {"GET", "HEAD"}) {
    auto m = router.match(method, "/executions/abc");
    ASSERT_TRUE(m.found()) << method;
    EXPECT_EQ(call(m), "app");
    EXPECT_EQ(m.pattern, "*");
  }
  EXPECT_EQ(call(router.match("GET", "/apiary")), "app");
  EXPECT_EQ(call(router.match("GET", "/metricsx/y")), "app");
}

TEST_F(RouterTest, FallbackKeepsRoutes404And405) {
  router.set_fallback(named("app"), {"/api", "/metrics"});
  EXPECT_EQ(call(router.match("GET", "/")), "root");  // a route wins
  // Reserved: unmatched API paths stay 404.
  EXPECT_EQ(router.match("GET", "/api/v1/nope").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/metrics").kind, RouteMatch::Kind::kNotFound);
  // Other methods never fall back.
  EXPECT_EQ(router.match("POST", "/executions/abc").kind, RouteMatch::Kind::kNotFound);
  // A path with routes but not this method is still 405.
  EXPECT_EQ(router.match("POST", "/api/v1/executions/e-1").kind,
            RouteMatch::Kind::kMethodNotAllowed);
}

TEST(RouterFallback, NoneSetMeansNotFound) {
  Router r;
  EXPECT_EQ(r.match("GET", "/anything").kind, RouteMatch::Kind::kNotFound);
}

}  // namespace
}  // namespace opz::http
