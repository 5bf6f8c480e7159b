// PostgREST-style reads (issue 15) through the real server: the seed's status
// check `GET /rest/v1/executions?id=eq.<uuid>&select=*` with `apikey` (a
// session token and a personal API token), the filter grammar, select, order,
// limit/offset, Range and Prefer: count=exact with Content-Range, the row
// policies (audit_logs: admins all, others their own; credentials never
// listed), schemas by Accept-Profile, 405 for writes, and an injection corpus
// in every position: never a 500, never extra rows, the table intact.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

// Percent-encodes a query value (libcurl's escaping: all but A-Z a-z 0-9 - . _ ~).
std::string enc(const std::string& s) {
  char* escaped = curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

class RestReadsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    admin_ = server_->create_user_and_login("admin@example.com", "admin");
    viewer_ = server_->create_user_and_login("viewer@example.com", "viewer");
    HttpClient a(server_->base_url());
    a.set_token(admin_);
    auto token = a.post("/api/v1/tokens", json{{"name", "rest script"}});
    ASSERT_EQ(token.status, 201) << token.body;
    api_token_ = token.json()["token"];
    HttpClient v(server_->base_url());
    v.set_token(viewer_);
    ASSERT_EQ(v.post("/api/v1/tokens", json{{"name", "viewer script"}}).status, 201);
    for (const char* branch : {"main", "dev", "release/1.0", "feature/x"}) {
      json start{{"pipeline_yaml", "name: rest-run\nnodes:\n  build:\n    type: build\n"
                                   "    run: echo hi\n"},
                 {"environment", "Development"},
                 {"branch", branch}};
      // One commit hash among NULLs, for the nulls placement of order=.
      if (std::string(branch) == "main") start["commit_sha"] = std::string(40, 'a');
      auto r = a.post("/api/v1/executions", start);
      ASSERT_EQ(r.status, 201) << r.body;
      ids_[branch] = r.json()["id"];
    }
    for (const auto& [branch, id] : ids_) wait_finished(a, id);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static void wait_finished(const HttpClient& a, const std::string& id) {
    for (int i = 0; i < 600; ++i) {
      const std::string st = a.get("/api/v1/executions/" + id).json().value("status", "");
      if (st == "success" || st == "failed") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution " << id << " did not finish";
  }

  // GET with the seeds' apikey header.
  static HttpResult get(const std::string& path, std::vector<std::string> headers = {},
                        const std::string& token = admin_) {
    HttpClient c(server_->base_url());
    if (!token.empty()) headers.push_back("apikey: " + token);
    return c.request("GET", path, "", headers);
  }

  // The branches of the suite's executions a filter selects, sorted.
  static std::set<std::string> branches(const std::string& filter) {
    auto r = get("/rest/v1/executions?" + mine() + "&select=branch&" + filter);
    EXPECT_EQ(r.status, 200) << filter << ": " << r.body;
    std::set<std::string> out;
    for (const json& row : r.json()) {
      EXPECT_EQ(row.size(), 1u) << row.dump();
      out.insert(row.value("branch", "<null>"));
    }
    return out;
  }

  // The filter selecting the suite's four executions.
  static std::string mine() {
    std::string in = "id=in.(";
    for (const auto& [branch, id] : ids_) in += id + ",";
    in.back() = ')';
    return in;
  }

  static void expect_postgrest_error(const HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    const json body = r.json();
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body.value("code", ""), code) << r.body;
    EXPECT_TRUE(body.contains("message") && body.contains("details") && body.contains("hint"))
        << r.body;
  }

  static ServerProcess* server_;
  static std::string admin_, viewer_, api_token_;
  static std::map<std::string, std::string> ids_;
};

ServerProcess* RestReadsTest::server_ = nullptr;
std::string RestReadsTest::admin_, RestReadsTest::viewer_, RestReadsTest::api_token_;
std::map<std::string, std::string> RestReadsTest::ids_;

TEST_F(RestReadsTest, TheSeedsStatusCheckWithSessionAndApiTokens) {
  const std::string id = ids_["main"];
  HttpClient a(server_->base_url());
  a.set_token(admin_);
  const json detail = a.get("/api/v1/executions/" + id).json();
  for (const std::string& token : {admin_, api_token_}) {
    auto r = get("/rest/v1/executions?id=eq." + id + "&select=*", {}, token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("content-range"), "0-0/*");
    const json rows = r.json();
    ASSERT_TRUE(rows.is_array());
    ASSERT_EQ(rows.size(), 1u) << r.body;
    // Every field of GET /api/v1/executions/{id} that is a column: same name, same value.
    int compared = 0;
    for (const char* k : {"id", "name", "project_id", "flow_template_id", "status", "environment",
                          "branch", "commit_hash", "progress", "governance_status",
                          "blocked_reason", "started_by", "trigger_type", "parent_execution_id",
                          "rerun_checkpoint_id", "cancel_reason", "metadata", "started_at",
                          "completed_at", "created_at", "updated_at"}) {
      ASSERT_TRUE(detail.contains(k)) << k;
      ASSERT_TRUE(rows[0].contains(k)) << k;
      // /api/v1 renders a few NULL text columns as "" (commit_hash); PostgREST,
      // and so /rest/v1, renders NULL as null.
      if (rows[0][k].is_null() && detail[k] == "") continue;
      EXPECT_EQ(rows[0][k], detail[k]) << k;
      ++compared;
    }
    EXPECT_GE(compared, 19);
  }
  // Authorization: Bearer works the same; no credentials: 401 in PostgREST's shape.
  HttpClient bearer(server_->base_url());
  bearer.set_token(api_token_);
  EXPECT_EQ(bearer.get("/rest/v1/executions?id=eq." + id).json().size(), 1u);
  auto anonymous = get("/rest/v1/executions?id=eq." + id, {}, "");
  expect_postgrest_error(anonymous, 401, "PGRST301");
  expect_postgrest_error(get("/rest/v1/executions", {}, "opz_not_a_token"), 401, "PGRST301");
}

TEST_F(RestReadsTest, EveryFilterOperator) {
  using S = std::set<std::string>;
  EXPECT_EQ(branches(""), (S{"main", "dev", "release/1.0", "feature/x"}));
  EXPECT_EQ(branches("branch=eq.main"), S{"main"});
  EXPECT_EQ(branches("branch=neq.main"), (S{"dev", "release/1.0", "feature/x"}));
  EXPECT_EQ(branches("branch=gt.feature/x"), (S{"main", "release/1.0"}));
  EXPECT_EQ(branches("branch=gte.main"), (S{"main", "release/1.0"}));
  EXPECT_EQ(branches("branch=lt.feature/x"), S{"dev"});
  EXPECT_EQ(branches("branch=lte.feature/x"), (S{"dev", "feature/x"}));
  EXPECT_EQ(branches("branch=like.release*"), S{"release/1.0"});
  EXPECT_EQ(branches("branch=like.MAIN"), S{});
  EXPECT_EQ(branches("branch=ilike.MAIN"), S{"main"});
  EXPECT_EQ(branches("branch=ilike.*E*"), (S{"dev", "release/1.0", "feature/x"}));
  EXPECT_EQ(branches("branch=in.(main,dev)"), (S{"main", "dev"}));
  EXPECT_EQ(branches("branch=in.(%22release/1.0%22,nope)"), S{"release/1.0"});
  EXPECT_EQ(branches("cancel_reason=is.null").size(), 4u);
  EXPECT_EQ(branches("branch=is.null"), S{});
  EXPECT_EQ(branches("branch=not.eq.main"), (S{"dev", "release/1.0", "feature/x"}));
  EXPECT_EQ(branches("branch=not.in.(main,dev)"), (S{"release/1.0", "feature/x"}));
  EXPECT_EQ(branches("or=(branch.eq.main,branch.eq.dev)"), (S{"main", "dev"}));
  EXPECT_EQ(branches("or=(branch.eq.main,and(branch.like.*e*,branch.not.like.f*))"),
            (S{"main", "dev", "release/1.0"}));
  EXPECT_EQ(branches("and=(branch.gte.dev,or(branch.eq.main,branch.eq.feature/x))"),
            (S{"main", "feature/x"}));
  EXPECT_EQ(branches("not.or=(branch.eq.main,branch.eq.dev)"), (S{"release/1.0", "feature/x"}));
  EXPECT_EQ(branches("branch=gt.a&branch=lt.f"), S{"dev"});
  // A boolean column: is.true / is.false / eq.false.
  auto nodes = get("/rest/v1/execution_nodes?execution_id=eq." + ids_["main"] +
                   "&log_truncated=is.false&select=node_id,log_truncated");
  ASSERT_EQ(nodes.status, 200) << nodes.body;
  EXPECT_EQ(nodes.json(), json::parse(R"([{"log_truncated":false,"node_id":"build"}])"));
  EXPECT_EQ(get("/rest/v1/execution_nodes?execution_id=eq." + ids_["main"] +
                "&log_truncated=is.true").json(),
            json::array());
}

TEST_F(RestReadsTest, SelectOrderLimitOffsetRangeAndCount) {
  auto r = get("/rest/v1/executions?" + mine() + "&select=id,where:branch&order=branch.desc");
  ASSERT_EQ(r.status, 200) << r.body;
  const json rows = r.json();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (json{{"id", ids_["release/1.0"]}, {"where", "release/1.0"}}));
  EXPECT_EQ(rows[3]["where"], "dev");

  // Nulls: only main has a commit hash. PostgreSQL's defaults: nulls last
  // ascending, first descending; nullsfirst/nullslast override them.
  auto order = [](const std::string& o) {
    std::vector<std::string> out;
    for (const json& row : get("/rest/v1/executions?" + mine() + "&select=branch&order=" + o).json())
      out.push_back(row["branch"]);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(order("commit_hash.asc,branch"), (V{"main", "dev", "feature/x", "release/1.0"}));
  EXPECT_EQ(order("commit_hash.asc.nullsfirst,branch"),
            (V{"dev", "feature/x", "release/1.0", "main"}));
  EXPECT_EQ(order("commit_hash.desc,branch.desc"), (V{"release/1.0", "feature/x", "dev", "main"}));
  EXPECT_EQ(order("commit_hash.desc.nullslast,branch.desc"),
            (V{"main", "release/1.0", "feature/x", "dev"}));

  auto page = get("/rest/v1/executions?" + mine() + "&select=branch&order=branch&limit=2&offset=1");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-range"), "1-2/*");
  EXPECT_EQ(page.json(), json::parse(R"([{"branch":"feature/x"},{"branch":"main"}])"));

  auto counted = get("/rest/v1/executions?" + mine() + "&select=branch&order=branch&limit=2",
                     {"Prefer: count=exact"});
  EXPECT_EQ(counted.status, 206) << counted.body;
  EXPECT_EQ(counted.header("content-range"), "0-1/4");

  auto whole = get("/rest/v1/executions?" + mine() + "&select=branch", {"Prefer: count=exact"});
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.header("content-range"), "0-3/4");

  auto ranged = get("/rest/v1/executions?" + mine() + "&select=branch&order=branch",
                    {"Range-Unit: items", "Range: 2-3", "Prefer: count=exact"});
  EXPECT_EQ(ranged.status, 206);
  EXPECT_EQ(ranged.header("content-range"), "2-3/4");
  EXPECT_EQ(ranged.json(), json::parse(R"([{"branch":"main"},{"branch":"release/1.0"}])"));

  auto empty = get("/rest/v1/executions?name=eq.nothing-here", {"Prefer: count=exact"});
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.header("content-range"), "*/0");
  EXPECT_EQ(empty.json(), json::array());

  expect_postgrest_error(get("/rest/v1/executions?" + mine() + "&offset=10",
                             {"Prefer: count=exact"}),
                         416, "PGRST103");
  expect_postgrest_error(get("/rest/v1/executions?limit=-1"), 400, "PGRST100");
  expect_postgrest_error(get("/rest/v1/executions?limit=ten"), 400, "PGRST100");
}

TEST_F(RestReadsTest, SingleObjectAndHead) {
  auto one = get("/rest/v1/executions?id=eq." + ids_["dev"],
                 {"Accept: application/vnd.pgrst.object+json"});
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_TRUE(one.json().is_object());
  EXPECT_EQ(one.json()["branch"], "dev");
  expect_postgrest_error(get("/rest/v1/executions?" + mine(),
                             {"Accept: application/vnd.pgrst.object+json"}),
                         406, "PGRST116");
  expect_postgrest_error(get("/rest/v1/executions", {"Accept: text/csv"}), 406, "PGRST107");

  auto head = run_command({"curl", "-sS", "-I", "--noproxy", "*", "-H", "apikey: " + admin_, "-H",
                           "Prefer: count=exact",
                           server_->base_url() + "/rest/v1/executions?" + mine()});
  EXPECT_NE(head.out.find("200"), std::string::npos) << head.out << head.err;
  EXPECT_NE(head.out.find("0-3/4"), std::string::npos) << head.out;
}

TEST_F(RestReadsTest, RowPoliciesAndUnexposedTables) {
  auto me = get("/api/v1/auth/me", {}, viewer_);
  const std::string viewer_id = me.json().value("id", me.json().value("user_id", ""));
  ASSERT_FALSE(viewer_id.empty()) << me.body;

  auto all = get("/rest/v1/audit_logs?select=user_id", {"Prefer: count=exact"}, admin_);
  ASSERT_EQ(all.status, 200) << all.body;
  std::set<std::string> users;
  for (const json& row : all.json()) users.insert(row["user_id"].is_string() ? row["user_id"].get<std::string>() : "");
  EXPECT_TRUE(users.count(viewer_id)) << all.body;
  EXPECT_GT(users.size(), 1u);

  auto own = get("/rest/v1/audit_logs?select=user_id,action", {"Prefer: count=exact"}, viewer_);
  ASSERT_EQ(own.status, 200) << own.body;
  ASSERT_FALSE(own.json().empty());
  for (const json& row : own.json()) EXPECT_EQ(row["user_id"], viewer_id) << row.dump();
  // A filter naming someone else's rows cannot widen the viewer's scope.
  auto widened = get("/rest/v1/audit_logs?or=(user_id.neq." + viewer_id + ",user_id.is.null)",
                     {}, viewer_);
  EXPECT_EQ(widened.json(), json::array()) << widened.body;

  // Credentials are never exposed: the tables do not exist for /rest/v1, and
  // neither do the columns.
  for (const char* table : {"api_tokens", "sessions", "github_tokens", "secret_references",
                            "environment_configs", "sqlite_master"})
    expect_postgrest_error(get(std::string("/rest/v1/") + table), 404, "PGRST205");
  expect_postgrest_error(get("/rest/v1/profiles?select=password_hash"), 400, "42703");
  expect_postgrest_error(get("/rest/v1/connections?select=secret_sealed"), 400, "42703");
  auto profiles = get("/rest/v1/profiles", {}, viewer_);
  ASSERT_EQ(profiles.json().size(), 1u) << profiles.body;
  EXPECT_FALSE(profiles.json()[0].contains("password_hash"));
}

TEST_F(RestReadsTest, ProfilesSelectTheSchema) {
  auto orgs = get("/rest/v1/orgs", {"Accept-Profile: registry"});
  EXPECT_EQ(orgs.status, 200) << orgs.body;
  auto projects = get("/rest/v1/projects?select=id,org_id,repo_url", {"Accept-Profile: ops"});
  EXPECT_EQ(projects.status, 200) << projects.body;
  auto queue = get("/rest/v1/run_queue", {"Accept-Profile: ops"}, viewer_);
  EXPECT_EQ(queue.status, 200) << queue.body;
  for (const char* t : {"branches", "builds", "metrics", "advisories"})
    EXPECT_EQ(get(std::string("/rest/v1/") + t, {"Accept-Profile: ops"}).status, 200) << t;
  expect_postgrest_error(get("/rest/v1/projects?select=org_id"), 400, "42703");  // public.projects
  expect_postgrest_error(get("/rest/v1/executions", {"Accept-Profile: ops"}), 404, "PGRST205");
  expect_postgrest_error(get("/rest/v1/users", {"Accept-Profile: auth"}), 406, "PGRST106");
}

TEST_F(RestReadsTest, WritesAnswer405PointingToTheApi) {
  HttpClient c(server_->base_url());
  for (const char* method : {"POST", "PATCH", "PUT", "DELETE"}) {
    auto r = c.request(method, "/rest/v1/executions?id=eq." + ids_["main"], "{\"status\":\"failed\"}",
                       {"apikey: " + admin_});
    expect_postgrest_error(r, 405, "PGRST117");
    EXPECT_NE(r.json().value("hint", "").find("/api/v1"), std::string::npos) << r.body;
  }
  EXPECT_EQ(get("/rest/v1/executions?id=eq." + ids_["main"]).json()[0]["status"], "success");
}

TEST_F(RestReadsTest, InjectionCorpusInEveryPosition) {
  const std::vector<std::string> corpus = {
      "'", "\"", "';--", "' OR '1'='1", ") or 1=1", "1) OR (1=1", "x; DROP TABLE executions;--",
      "\\", "\\'", "%", "_", "*", "[a-z]", "?", "é✓漢字", "\xF0\x9F\x92\xA5", "\x01\x02",
      "%00", "\\0", "\\x00", std::string(5000, 'A'), "(", ")", ",", "(a,b", "a.b.c", "null",
      "eq.1", "\"quoted\"", "$1", "?1", ":name", "@p", "/*", "*/", "--", "\n\r\t"};
  const std::vector<std::string> ops = {"eq.", "neq.", "gt.", "gte.", "lt.", "lte.", "like.",
                                        "ilike.", "not.eq.", "in.(", "is."};
  int requests = 0;
  for (const std::string& evil : corpus) {
    for (const std::string& op : ops) {
      std::string value = op + evil + (op == "in.(" ? ")" : "");
      for (const char* column : {"branch", "progress", "metadata"}) {
        auto r = get("/rest/v1/executions?" + mine() + "&" + std::string(column) + "=" +
                     enc(value));
        ++requests;
        ASSERT_TRUE(r.status == 200 || r.status == 400) << column << "=" << value << ": "
                                                       << r.status << " " << r.body;
        if (r.status == 200) {
          // Comparisons and negations may match the suite's rows, never more
          // than them; equality, lists, is.* and patterns without wildcards match none.
          EXPECT_LE(r.json().size(), 4u);
          const bool wildcard = evil.find_first_of("*%_") != std::string::npos;
          if (op == "eq." || op == "in.(" || op == "is." ||
              ((op == "like." || op == "ilike.") && !wildcard)) {
            EXPECT_EQ(r.json().size(), 0u) << value;
          }
        }
      }
    }
    // As a column name, in select, in order and in a logic tree.
    for (const std::string& path :
         {"/rest/v1/executions?" + enc(evil) + "=eq.1", "/rest/v1/executions?select=" + enc(evil),
          "/rest/v1/executions?order=" + enc(evil),
          "/rest/v1/executions?or=(" + enc(evil) + ".eq.1,id.eq.x)",
          "/rest/v1/executions?or=(branch.eq." + enc(evil) + ",id.eq.x)",
          "/rest/v1/" + enc(evil)}) {
      auto r = get(path);
      ++requests;
      EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 404) << path << ": " << r.status
                                                                        << " " << r.body;
      if (r.status == 200 && path.find("or=(branch") != std::string::npos) {
        EXPECT_EQ(r.json().size(), 0u) << path;
      }
    }
  }
  EXPECT_GT(requests, 1000);
  auto intact = get("/rest/v1/executions?" + mine() + "&select=id", {"Prefer: count=exact"});
  EXPECT_EQ(intact.header("content-range"), "0-3/4");
  HttpClient a(server_->base_url());
  a.set_token(admin_);
  EXPECT_EQ(a.get("/api/v1/executions/" + ids_["main"]).status, 200);
  EXPECT_EQ(server_->log().find("internal"), std::string::npos);
}

}  // namespace
}  // namespace opz::testing
