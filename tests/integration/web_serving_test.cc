// The web UI served by the real `opzenix serve --web-dir DIR`: the app at /,
// client routes answered with the same HTML, hashed assets cached for good,
// unmatched API paths still the JSON 404; without a build, a page saying how
// to make one.
#include <gtest/gtest.h>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

constexpr const char* kIndex = "<!doctype html><html><body><div id=\"root\"></div></body></html>";
constexpr const char* kScript = "console.log('opzenix');";

class WebServingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    web_ = new TempDir();
    web_->write("index.html", kIndex);
    web_->write("assets/app-abc123.js", kScript);
    server_ = new ServerProcess(ServerProcess::Options{{}, {"--web-dir", web_->str()}, {}});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete web_;
  }
  static HttpClient client() { return HttpClient(server_->base_url()); }

  static TempDir* web_;
  static ServerProcess* server_;
};

TempDir* WebServingTest::web_ = nullptr;
ServerProcess* WebServingTest::server_ = nullptr;

TEST_F(WebServingTest, RootAnswersTheApp) {
  const HttpResult r = client().get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kIndex);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "no-cache");
}

TEST_F(WebServingTest, ClientRoutesAnswerTheSameHtml) {
  const HttpResult r = client().get("/executions/123");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kIndex);
  EXPECT_EQ(r.header("cache-control"), "no-cache");
}

TEST_F(WebServingTest, HashedAssetsAreImmutable) {
  const HttpResult r = client().get("/assets/app-abc123.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kScript);
  EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
  const HttpResult again =
      client().request("GET", "/assets/app-abc123.js", "", {"If-None-Match: " + r.header("etag")});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(WebServingTest, UnmatchedApiPathsStayJson404) {
  const HttpResult r = client().get("/api/v1/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()["error"]["code"], "not_found") << r.body;
  EXPECT_EQ(client().get("/healthz").status, 200);  // the API's own routes still win
}

TEST_F(WebServingTest, TraversalIsRefused) {
  const HttpResult r = client().get("/assets/..%2f..%2f..%2fetc%2fpasswd");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("root:"), std::string::npos);
}

TEST(WebServingWithoutBuild, RootSaysHowToBuildTheUi) {
  TempDir empty;
  ServerProcess server(ServerProcess::Options{{}, {"--web-dir", empty.str()}, {}});
  const HttpResult r = HttpClient(server.base_url()).get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("make web"), std::string::npos) << r.body;
  EXPECT_EQ(HttpClient(server.base_url()).get("/healthz").status, 200);
}

}  // namespace
}  // namespace opz::testing
