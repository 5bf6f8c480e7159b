// Connection checks without a network: what each type sends and how each
// answer is judged.
#include "api/connection_checks.h"

#include <gtest/gtest.h>

namespace opz::api {
namespace {

store::ConnectionRecord connection(const std::string& type, Json config) {
  store::ConnectionRecord c;
  c.type = type;
  c.config = std::move(config);
  return c;
}

std::string header(const github::HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "";
}

github::HttpResponse answer(long status, std::map<std::string, std::string> headers = {}) {
  github::HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

TEST(ConnectionChecks, EachTypeSendsItsRequest) {
  auto registry = plan_check(connection("registry", {{"url", "https://r.example/"}, {"username", "bot"}}), "pw");
  ASSERT_TRUE(registry);
  EXPECT_EQ(registry->url, "https://r.example/v2/");
  EXPECT_EQ(header(*registry, "Authorization"), "Basic Ym90OnB3");
  auto github = plan_check(connection("github", Json::object()), "ghp_x");
  ASSERT_TRUE(github);
  EXPECT_EQ(github->url, "https://api.github.com/user");
  EXPECT_EQ(header(*github, "Authorization"), "Bearer ghp_x");
  EXPECT_FALSE(plan_check(connection("github", Json::object()), ""));
  auto otel = plan_check(connection("otel", {{"url", "https://otel.example:4318"}}), "");
  ASSERT_TRUE(otel);
  EXPECT_EQ(otel->method, "POST");
  EXPECT_EQ(otel->url, "https://otel.example:4318/v1/traces");
  EXPECT_EQ(otel->body, R"({"resourceSpans":[]})");
  EXPECT_EQ(header(*otel, "Authorization"), "");
  auto http = plan_check(connection("http", {{"url", "https://x.example/health?full=1"}}), "");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->url, "https://x.example/health?full=1");
}

TEST(ConnectionChecks, AnswersAreJudgedPerType) {
  EXPECT_EQ(judge_check("http", answer(302)).status, "healthy");
  EXPECT_EQ(judge_check("http", answer(500)).status, "unhealthy");
  EXPECT_EQ(judge_check("registry", answer(200)).status, "healthy");
  EXPECT_EQ(judge_check("registry", answer(401, {{"www-authenticate", "Bearer realm=x"}})).status,
            "degraded");
  EXPECT_EQ(judge_check("registry", answer(401)).status, "unhealthy");
  EXPECT_EQ(judge_check("otel", answer(200)).status, "healthy");
  EXPECT_EQ(judge_check("otel", answer(404)).status, "unhealthy");
  const auto all = judge_check(
      "github", answer(200, {{"x-oauth-scopes", "admin:repo_hook, repo, workflow, gist"}}));
  EXPECT_EQ(all.status, "healthy");
  const auto some = judge_check("github", answer(200, {{"x-oauth-scopes", "repo"}}));
  EXPECT_EQ(some.status, "degraded");
  EXPECT_EQ(some.message, "token accepted but lacks scopes: workflow, admin:repo_hook");
  EXPECT_EQ(judge_check("github", answer(200)).status, "healthy");  // fine-grained: none reported
  EXPECT_EQ(judge_check("github", answer(401)).status, "unhealthy");
  const auto none = judge_check("http", Result<github::HttpResponse>(Error::validation(
                                            "config.url resolves to 10.0.0.1, a private address", "config.url")));
  EXPECT_EQ(none.status, "unhealthy");
  EXPECT_NE(none.message.find("private"), std::string::npos);
}

}  // namespace
}  // namespace opz::api
