// The /rest/v1 row cap (db-max-rows, PostgREST's name) and the reads' place
// on the handler pool, through the real server: 1,005 ingested ops.metrics
// rows answer 1,000 by default, whatever the limit or Range asks; a smaller
// limit stands; Prefer: count=exact still counts every row (206 and
// Content-Range 0-999/1005); a server started with --db-max-rows 10 answers
// 10, RPCs included. Row objects keep the select's key order (the table's for
// `*`) in the raw body. With one HTTP I/O thread, large reads running
// concurrently with /healthz and /readyz all answer correctly.
#include <gtest/gtest.h>

#include <ctime>
#include <future>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr const char* kIngestToken = "row-cap-ingest-token";

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A server with `extra_args`, an admin, one project and `samples` ingested
// metric rows (metric names load_0 .. load_<n-1>).
struct CappedServer {
  explicit CappedServer(std::vector<std::string> extra_args, int samples) {
    ServerProcess::Options o;
    o.env["OPS_INGEST_TOKEN"] = kIngestToken;
    o.extra_args = std::move(extra_args);
    server = std::make_unique<ServerProcess>(std::move(o));
    admin = server->create_user_and_login("admin@example.com", "admin");
    HttpClient a(server->base_url());
    a.set_token(admin);
    auto p = a.post("/api/v1/projects", json{{"name", "Capped"}});
    EXPECT_EQ(p.status, 201) << p.body;
    project = p.json().value("id", "");
    json batch = json::array();
    for (int i = 0; i < samples; ++i)
      batch.push_back({{"metric", "load_" + std::to_string(i)}, {"value", i}});
    auto r = HttpClient(server->base_url())
                 .request("POST", "/functions/v1/ops-metrics-ingest",
                          json{{"project_id", project}, {"ts", utc_now()}, {"samples", batch}}.dump(),
                          {std::string("x-ops-ingest-token: ") + kIngestToken});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().value("inserted", -1), samples) << r.body;
  }

  // GET of ops.metrics rows of the project with the apikey header.
  HttpResult metrics(const std::string& query, std::vector<std::string> headers = {}) const {
    headers.push_back("apikey: " + admin);
    headers.push_back("Accept-Profile: ops");
    return HttpClient(server->base_url())
        .request("GET", "/rest/v1/metrics?project_id=eq." + project + "&" + query, "", headers);
  }

  std::unique_ptr<ServerProcess> server;
  std::string admin;
  std::string project;
};

class RestRowCapTest : public ::testing::Test {
 protected:
  // One HTTP I/O thread: a read that held it would hold every other request.
  static void SetUpTestSuite() { default_ = new CappedServer({"--http-threads", "1"}, 1005); }
  static void TearDownTestSuite() {
    delete default_;
    default_ = nullptr;
  }
  static CappedServer* default_;
};

CappedServer* RestRowCapTest::default_ = nullptr;

TEST_F(RestRowCapTest, ByDefaultNoReadAnswersMoreThan1000Rows) {
  auto all = default_->metrics("select=id&order=id");
  ASSERT_EQ(all.status, 200) << all.body.substr(0, 300);
  EXPECT_EQ(all.json().size(), 1000u);
  EXPECT_EQ(all.header("content-range"), "0-999/*");

  // A larger limit or Range is cut to the cap.
  EXPECT_EQ(default_->metrics("select=id&limit=5000").json().size(), 1000u);
  auto ranged = default_->metrics("select=id", {"Range-Unit: items", "Range: 0-4999"});
  EXPECT_EQ(ranged.json().size(), 1000u);
  EXPECT_EQ(ranged.header("content-range"), "0-999/*");

  // A limit below the cap stands.
  auto seven = default_->metrics("select=id&limit=7");
  EXPECT_EQ(seven.status, 200);
  EXPECT_EQ(seven.json().size(), 7u);
  EXPECT_EQ(seven.header("content-range"), "0-6/*");

  // The cap counts from the offset: the last 5 rows.
  auto tail = default_->metrics("select=metric&order=value&offset=1000");
  EXPECT_EQ(tail.json().size(), 5u);
  EXPECT_EQ(tail.header("content-range"), "1000-1004/*");
  EXPECT_EQ(tail.json()[4]["metric"], "load_1004");
}

TEST_F(RestRowCapTest, CountExactStillCountsEveryRow) {
  auto counted = default_->metrics("select=id", {"Prefer: count=exact"});
  EXPECT_EQ(counted.status, 206);  // fewer rows than the total, as PostgREST answers
  EXPECT_EQ(counted.header("content-range"), "0-999/1005");
  EXPECT_EQ(counted.json().size(), 1000u);

  auto limited = default_->metrics("select=id&limit=7", {"Prefer: count=exact"});
  EXPECT_EQ(limited.status, 206);
  EXPECT_EQ(limited.header("content-range"), "0-6/1005");

  auto last = default_->metrics("select=id&offset=1000", {"Prefer: count=exact"});
  EXPECT_EQ(last.status, 206);
  EXPECT_EQ(last.header("content-range"), "1000-1004/1005");
}

TEST_F(RestRowCapTest, RowKeysComeInTheSelectsOrderInTheRawBody) {
  auto r = default_->metrics("select=value,metric,row_id:id&order=value&limit=1");
  ASSERT_EQ(r.status, 200) << r.body;
  const size_t id = r.json()[0]["row_id"].get<size_t>();
  EXPECT_EQ(r.body, R"([{"value":0.0,"metric":"load_0","row_id":)" + std::to_string(id) + "}]");

  // `*`: the table's column order (docs/rest.md; store/rest_catalog.cc), not sorted.
  auto star = default_->metrics("order=value&limit=1");
  ASSERT_EQ(star.status, 200) << star.body;
  size_t at = 0;
  for (const char* key : {"id", "project_id", "metric", "value", "ts", "created_at"}) {
    const size_t next = star.body.find(std::string("\"") + key + "\":", at);
    ASSERT_NE(next, std::string::npos) << key << " after offset " << at << ": " << star.body;
    at = next;
  }

  // One object (object+json) keeps the order too.
  auto one = default_->metrics("select=metric,id&order=value&limit=1",
                               {"Accept: application/vnd.pgrst.object+json"});
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.body.rfind(R"({"metric":"load_0","id":)", 0), 0u) << one.body;
}

TEST_F(RestRowCapTest, LargeReadsDoNotHoldTheIoThread) {
  // Four full reads of 1,000 rows and the health checks at once; every one
  // answers, and answers right.
  std::vector<std::future<HttpResult>> reads;
  for (int i = 0; i < 4; ++i)
    reads.push_back(std::async(std::launch::async, [] {
      return default_->metrics("order=value", {"Prefer: count=exact"});
    }));
  HttpClient anyone(default_->server->base_url());
  for (int i = 0; i < 5; ++i) {
    auto health = anyone.get("/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json().value("status", ""), "ok");
    auto ready = anyone.get("/readyz");
    EXPECT_EQ(ready.status, 200) << ready.body;
  }
  for (auto& f : reads) {
    const HttpResult r = f.get();
    EXPECT_EQ(r.status, 206) << r.body.substr(0, 300);
    EXPECT_EQ(r.header("content-range"), "0-999/1005");
    const json rows = r.json();
    ASSERT_EQ(rows.size(), 1000u);
    EXPECT_EQ(rows[999]["metric"], "load_999");
  }
}

TEST(RestRowCapConfigured, ACapOf10CutsReadsAndRpcs) {
  CappedServer capped({"--db-max-rows", "10"}, 25);
  auto all = capped.metrics("select=id", {"Prefer: count=exact"});
  EXPECT_EQ(all.status, 206);
  EXPECT_EQ(all.json().size(), 10u);
  EXPECT_EQ(all.header("content-range"), "0-9/25");
  EXPECT_EQ(capped.metrics("select=id&limit=3").json().size(), 3u);
  EXPECT_EQ(capped.metrics("select=id&limit=30").json().size(), 10u);

  // The RPC's set is cut the same way: 12 projects, 10 rows.
  HttpClient a(capped.server->base_url());
  a.set_token(capped.admin);
  for (int i = 0; i < 11; ++i)
    ASSERT_EQ(a.post("/api/v1/projects", json{{"name", "More " + std::to_string(i)}}).status, 201);
  auto rpc = a.request("POST", "/rest/v1/rpc/list_projects", "{}", {"apikey: " + capped.admin});
  ASSERT_EQ(rpc.status, 200) << rpc.body;
  EXPECT_EQ(rpc.json().size(), 10u);
  auto rpc_get = a.request("GET", "/rest/v1/rpc/list_projects", "", {"apikey: " + capped.admin});
  ASSERT_EQ(rpc_get.status, 200) << rpc_get.body;
  EXPECT_EQ(rpc_get.json().size(), 10u);
}

TEST(RestRowCapConfigured, ACapOf1StillTellsOneRowFromMany) {
  CappedServer capped({"--db-max-rows", "1"}, 2);
  auto page = capped.metrics("select=id", {"Prefer: count=exact"});
  EXPECT_EQ(page.status, 206);
  EXPECT_EQ(page.json().size(), 1u);
  EXPECT_EQ(page.header("content-range"), "0-0/2");
  // object+json: two rows match, so no object, cap or not.
  const std::string object = "Accept: application/vnd.pgrst.object+json";
  auto many = capped.metrics("select=id", {object});
  EXPECT_EQ(many.status, 406) << many.body;
  EXPECT_EQ(many.json().value("code", ""), "PGRST116") << many.body;
  auto one = capped.metrics("select=metric&metric=eq.load_1", {object});
  EXPECT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.body, R"({"metric":"load_1"})");
}

}  // namespace
}  // namespace opz::testing
