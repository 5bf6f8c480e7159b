#include "http/static_site.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace opz::http {
namespace {

constexpr const char* kIndex = "<!doctype html><title>app</title>";
constexpr const char* kApp = "console.log('app')";

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir.write("site/index.html", kIndex);
    dir.write("site/assets/app-abc123.js", kApp);
    dir.write("site/assets/style-1.css", "body{}");
    dir.write("site/favicon.ico", "ico");
    dir.write("site/manifest.webmanifest", "{}");
    dir.write("secret.txt", "outside the root");
  }

  std::string root() const { return (dir.path() / "site").string(); }

  static Request get(std::string path, std::string if_none_match = {}) {
    Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.target = r.path;
    if (!if_none_match.empty()) r.headers.set("If-None-Match", std::move(if_none_match));
    return r;
  }

  Response serve(std::string path) const { return StaticSite(root()).serve(get(std::move(path))); }

  testing::TempDir dir;
};

TEST_F(StaticSiteTest, IndexIsServedAtTheRootWithoutCaching) {
  const Response r = serve("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kIndex);
  EXPECT_EQ(r.headers.get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.headers.get("Cache-Control"), "no-cache");
  EXPECT_FALSE(r.headers.get("ETag").empty());
  EXPECT_EQ(serve("/index.html").body, kIndex);
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableWithTheirType) {
  const Response js = serve("/assets/app-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, kApp);
  EXPECT_EQ(js.headers.get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(serve("/assets/style-1.css").headers.get("Content-Type"), "text/css; charset=utf-8");
  // Files outside /assets/ are revalidated.
  const Response ico = serve("/favicon.ico");
  EXPECT_EQ(ico.headers.get("Content-Type"), "image/x-icon");
  EXPECT_EQ(ico.headers.get("Cache-Control"), "no-cache");
  EXPECT_EQ(serve("/manifest.webmanifest").headers.get("Content-Type"),
            "application/manifest+json");
}

TEST_F(StaticSiteTest, ContentTypesByExtension) {
  EXPECT_EQ(content_type_for("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.png"), "image/png");
  EXPECT_EQ(content_type_for("a.json"), "application/json");
  EXPECT_EQ(content_type_for("a.js.map"), "application/json");
  EXPECT_EQ(content_type_for("f.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("blob"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.d/blob"), "application/octet-stream");
}

TEST_F(StaticSiteTest, MatchingEtagAnswers304WithoutBody) {
  const StaticSite site(root());
  const std::string etag(site.serve(get("/assets/app-abc123.js")).headers.get("ETag"));
  const Response again = site.serve(get("/assets/app-abc123.js", etag));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers.get("ETag"), etag);
  EXPECT_EQ(site.serve(get("/assets/app-abc123.js", "\"other\", W/" + etag)).status, 304);
  EXPECT_EQ(site.serve(get("/assets/app-abc123.js", "\"other\"")).status, 200);
  // A changed file has another tag.
  dir.write("site/assets/app-abc123.js", "console.log('changed, longer')");
  EXPECT_EQ(site.serve(get("/assets/app-abc123.js", etag)).status, 200);
}

TEST_F(StaticSiteTest, ClientRoutesFallBackToIndex) {
  for (const char* path : {"/executions/abc", "/executions/", "/assets", "/login"}) {
    const Response r = serve(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kIndex) << path;
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-cache") << path;
  }
}

TEST_F(StaticSiteTest, AMissingAssetIs404NotTheIndex) {
  const Response r = serve("/assets/app-old999.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body, kIndex);
}

TEST_F(StaticSiteTest, TraversalIsRefused) {
  // req.path is percent-decoded, so "..%2f" arrives as "../".
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html",
                           "/assets/..", "/..\\secret.txt"}) {
    const Response r = serve(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << path;
  }
  EXPECT_EQ(serve(std::string("/index.html\0.js", 15)).status, 404);
}

TEST_F(StaticSiteTest, SymlinksLeavingTheRootAreRefused) {
  std::filesystem::create_symlink(dir.path() / "secret.txt", dir.path() / "site" / "leak.txt");
  std::filesystem::create_directory_symlink(dir.path(), dir.path() / "site" / "assets" / "up");
  EXPECT_EQ(serve("/leak.txt").status, 404);
  EXPECT_EQ(serve("/assets/up/secret.txt").status, 404);
  // A link that stays inside the root is fine.
  std::filesystem::create_symlink(dir.path() / "site" / "index.html",
                                  dir.path() / "site" / "home.html");
  EXPECT_EQ(serve("/home.html").body, kIndex);
}

TEST_F(StaticSiteTest, WithoutABuildEveryPathAnswersTheNotBuiltPage) {
  for (const std::string& root : {std::string(), dir.str() + "/missing", dir.str()}) {
    const StaticSite site(root);  // dir itself has no index.html
    EXPECT_FALSE(site.has_app()) << root;
    const Response r = site.serve(get("/"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.get("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("make web"), std::string::npos);
  }
}

}  // namespace
}  // namespace opz::http
