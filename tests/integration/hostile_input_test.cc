// Hostile input at the edges, against the real `opzenix serve`: webhook
// payloads that lie about their repository, refs git would refuse, URLs taken
// from payloads, control characters in names, media types matched by prefix,
// and the memory that large bodies leave behind. Each case was once accepted.
#include <gtest/gtest.h>

#include <fstream>

#include "support/fake_http_server.h"
#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::hmac_sha256_header;
using webhooks::send_delivery;
using webhooks::wait_for;

constexpr const char* kSecret = "hostile-input-secret";

class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Stands for any address a payload could name: it must never be asked.
    payload_target_ = new FakeHttpServer();
    payload_target_->set_handler(
        [](const RecordedRequest&) { return CannedResponse::json(404, "{}"); });
    // The configured GitHub (API and, derived from it, the clone URL).
    github_ = new FakeHttpServer();
    github_->set_handler([](const RecordedRequest&) { return CannedResponse::json(404, "{}"); });
    server_ = new ServerProcess(ServerProcess::Options{});
    admin_token_ = server_->create_user_and_login("admin@example.com", "admin");
    // No git_url: the only URL the server may fetch is the integration's.
    auto p = admin().post("/api/v1/projects", json{{"name", "Hostile"}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_id_ = p.json()["id"];
    auto g = admin().put("/api/v1/projects/" + project_id_ + "/github",
                         json{{"repository_owner", "octo"},
                              {"repository_name", "demo"},
                              {"webhook_secret", kSecret},
                              {"api_base_url", github_->base_url()}});
    ASSERT_EQ(g.status, 200) << g.body;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete github_;
    delete payload_target_;
  }

  static HttpClient admin() {
    HttpClient c(server_->base_url());
    c.set_token(admin_token_);
    return c;
  }
  static HttpResult deliver(const std::string& event, const std::string& body,
                            const std::string& guid) {
    HttpClient c(server_->base_url());
    return send_delivery(c, "/api/v1/webhooks/github/" + project_id_, event, guid, body,
                         hmac_sha256_header(kSecret, body));
  }
  static json processed(const std::string& delivery_id) {
    return webhooks::processed_delivery(admin(), delivery_id);
  }
  static int64_t executions() {
    return webhooks::count_rows(*server_, "executions");
  }
  // A push whose payload points its clone_url at the payload target.
  static json push(const std::string& full_name, const std::string& ref) {
    json body = json::parse(
        webhooks::push_body(full_name, ref, std::string(40, '1'), std::string(40, 'a')));
    body["repository"]["clone_url"] = payload_target_->base_url() + "/evil.git";
    return body;
  }

  static inline FakeHttpServer* payload_target_ = nullptr;
  static inline FakeHttpServer* github_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_token_;
  static inline std::string project_id_;
};

// A body signed with this project's secret, about another repository.
TEST_F(HostileInputTest, ASignedPushForAnotherRepositoryIsIgnoredNotRun) {
  const int64_t before = executions();
  auto r = deliver("push", push("evil/other", "refs/heads/main").dump(), "other-repo-1");
  ASSERT_EQ(r.status, 202) << r.body;
  json row = processed(r.json()["delivery_id"]);
  EXPECT_EQ(row["outcome"], "ignored");
  EXPECT_NE(row["outcome_reason"].get<std::string>().find("'evil/other'"), std::string::npos)
      << row.dump();
  EXPECT_EQ(row["reason"], row["outcome_reason"]);
  EXPECT_EQ(r.json()["outcome"], "ignored");
  EXPECT_EQ(r.json()["reason"], row["outcome_reason"]);
  EXPECT_EQ(executions(), before);
}

TEST_F(HostileInputTest, RefsGitWouldRefuseStartNothing) {
  const int64_t before = executions();
  int n = 0;
  for (const std::string& ref :
       std::vector<std::string>{"main", "refs/tags/v1.0.0^{}", "refs/heads/a..b",
                                std::string("refs/heads/ma\0in", 16), "refs/tags/v1.lock"}) {
    auto r = deliver("push", push("octo/demo", ref).dump(), "bad-ref-" + std::to_string(++n));
    ASSERT_EQ(r.status, 202) << r.body;
    json row = processed(r.json()["delivery_id"]);
    EXPECT_EQ(row["outcome"], "ignored") << ref;
    EXPECT_FALSE(row["outcome_reason"].get<std::string>().empty());
  }
  EXPECT_EQ(executions(), before);

  // The API's branch and tag follow the same rules.
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"branch", "a..b"}, {"branch", std::string("ma\0in", 5)}, {"tag", "v1^{}"},
           {"branch", "-rf"}}) {
    auto r = admin().post("/api/v1/executions",
                          json{{"project_id", project_id_},
                               {"environment", "Development"},
                               {"pipeline_yaml", "nodes:\n  a: {run: 'true'}\n"},
                               {field, value}});
    EXPECT_EQ(r.status, 422) << field << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], field) << r.body;
  }
}

// Only configured URLs are fetched: a tag's create event from a project
// without git_url resolves the tag at the integration's repository, never
// at the payload's clone_url.
TEST_F(HostileInputTest, NoUrlFromAPayloadIsEverFetched) {
  json create = {{"ref", "v9.9.9"},
                 {"ref_type", "tag"},
                 {"repository", push("octo/demo", "refs/heads/main")["repository"]},
                 {"sender", {{"login", "mona"}}}};
  auto r = deliver("create", create.dump(), "create-evil-1");
  ASSERT_EQ(r.status, 202) << r.body;
  json row = processed(r.json()["delivery_id"]);
  EXPECT_NE(row["outcome"], "processed") << row.dump();
  auto pushed = deliver("push", push("octo/demo", "refs/tags/v9.9.8").dump(), "push-evil-1");
  ASSERT_EQ(pushed.status, 202);
  json started = processed(pushed.json()["delivery_id"]);
  if (started["outcome"] == "processed") {
    // The execution checks out from the integration's repository.
    json e = admin().get("/api/v1/executions/" + started["execution_id"].get<std::string>()).json();
    wait_for([&] {
      e = admin().get("/api/v1/executions/" + started["execution_id"].get<std::string>()).json();
      return e.value("status", "") == "failed" || e.value("status", "") == "success";
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(payload_target_->requests().empty())
      << payload_target_->requests().size() << " request(s) to the payload's URL";
}

TEST_F(HostileInputTest, SignedBodiesOfTheWrongShapeAreRejectedNamingTheField) {
  json body = push("octo/demo", "refs/heads/main");
  body["after"] = 42;
  auto r = deliver("push", body.dump(), "wrong-types-1");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "after") << r.body;
  auto list = admin().get("/api/v1/webhooks/deliveries?outcome=rejected&project_id=" + project_id_);
  ASSERT_EQ(list.status, 200) << list.body;
  bool found = false;
  const json listed = list.json();
  for (const json& d : listed["items"]) {
    if (d["delivery_guid"] == "wrong-types-1") {
      found = true;
      EXPECT_NE(d["outcome_reason"].get<std::string>().find("'after'"), std::string::npos);
    }
  }
  EXPECT_TRUE(found) << list.body;
  auto failed = admin().get("/api/v1/webhooks/deliveries?outcome=failed&project_id=" + project_id_);
  const json failures = failed.json();
  for (const json& d : failures["items"]) EXPECT_NE(d["delivery_guid"], "wrong-types-1");
}

TEST_F(HostileInputTest, ControlCharactersAndDotNodeIdsAreRefusedAtTheEdge) {
  auto env = admin().post("/api/v1/executions",
                          json{{"environment", std::string("Dev\0elopment", 12)},
                               {"pipeline_yaml", "nodes:\n  a: {run: 'true'}\n"}});
  EXPECT_EQ(env.status, 422) << env.body;
  EXPECT_EQ(env.json()["error"]["field"], "environment");
  for (const char* id : {".", ".."}) {
    const std::string yaml = std::string("nodes:\n  \"") + id + "\": {run: 'true'}\n";
    auto v = admin().post("/api/v1/pipelines/validate", json{{"pipeline_yaml", yaml}});
    EXPECT_EQ(v.status, 422) << v.body;
    auto start = admin().post("/api/v1/executions",
                              json{{"environment", "Development"}, {"pipeline_yaml", yaml}});
    EXPECT_EQ(start.status, 422) << start.body;
  }
}

TEST_F(HostileInputTest, MediaTypesAreMatchedExactly) {
  const std::string body = json{{"environment", "Development"},
                                {"pipeline_yaml", "nodes:\n  a: {run: 'true'}\n"}}
                               .dump();
  HttpClient c(server_->base_url());
  c.set_token(admin_token_);
  for (const char* ct : {"application/jsonx", "application/json; charset=utf-16", "text/plain",
                         "application/vnd.api+json", "*/*"}) {
    auto r = c.request("POST", "/api/v1/executions", body, {std::string("Content-Type: ") + ct});
    EXPECT_EQ(r.status, 415) << ct << ": " << r.body;
  }
  auto utf8 = c.request("POST", "/api/v1/executions", body,
                        {"Content-Type: application/json; charset=UTF-8"});
  EXPECT_EQ(utf8.status, 201) << utf8.body;
  // The seeds' curl examples (no Content-Type: curl sends its form type) work
  // on the /functions/v1/ aliases only.
  auto alias = c.request("POST", "/functions/v1/pipeline-execute", body,
                         {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_NE(alias.status, 415) << alias.body;
  auto api_form = c.request("POST", "/api/v1/executions", body,
                            {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(api_form.status, 415) << api_form.body;

  // Webhooks: JSON, or GitHub's form format; nothing else.
  const std::string push_json = push("octo/demo", "refs/heads/nowhere").dump();
  int n = 0;
  for (const char* ct : {"text/plain", "multipart/form-data; boundary=x", "*/*",
                         "application/jsonx"}) {
    auto r = c.request("POST", "/api/v1/webhooks/github/" + project_id_, push_json,
                       {std::string("Content-Type: ") + ct, "X-GitHub-Event: push",
                        "X-GitHub-Delivery: media-" + std::to_string(++n),
                        "X-Hub-Signature-256: " + hmac_sha256_header(kSecret, push_json)});
    EXPECT_EQ(r.status, 415) << ct << ": " << r.body;
  }
  std::string form = "payload=";
  for (unsigned char ch : push_json) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", ch);
    form += std::isalnum(ch) ? std::string(1, static_cast<char>(ch)) : std::string(buf);
  }
  auto r = c.request("POST", "/api/v1/webhooks/github/" + project_id_, form,
                     {"Content-Type: application/x-www-form-urlencoded", "X-GitHub-Event: push",
                      "X-GitHub-Delivery: media-form",
                      "X-Hub-Signature-256: " + hmac_sha256_header(kSecret, form)});
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(processed(r.json()["delivery_id"])["outcome"], "ignored");
}

// Resident set size of a process, from /proc (kB -> MB).
double rss_mb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

// After six accepted 20 MB webhook bodies, memory comes back (it used to stay
// 400 MB up).
TEST(HostileInputMemoryTest, RssComesBackAfterLargeBodies) {
  ServerProcess server(ServerProcess::Options{});
  HttpClient admin(server.base_url());
  admin.set_token(server.create_user_and_login("admin@example.com", "admin"));
  auto p = admin.post("/api/v1/projects", json{{"name", "Big"}, {"git_url", "/nonexistent.git"}});
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string project = p.json()["id"];
  ASSERT_EQ(admin
                .put("/api/v1/projects/" + project + "/github",
                     json{{"repository_owner", "octo"},
                          {"repository_name", "demo"},
                          {"webhook_secret", kSecret}})
                .status,
            200);
  const double before = rss_mb(server.pid());
  HttpClient c(server.base_url());
  double peak = 0;
  for (int i = 0; i < 6; ++i) {
    json body = json::parse(webhooks::push_body("octo/demo", "refs/heads/unmapped-big",
                                                std::string(40, '1'), std::string(40, 'b')));
    body["head_commit"]["message"] = std::string(20'000'000, 'm');
    const std::string text = body.dump();
    auto r = send_delivery(c, "/api/v1/webhooks/github/" + project, "push",
                           "big-" + std::to_string(i), text, hmac_sha256_header(kSecret, text));
    ASSERT_EQ(r.status, 202) << r.body.substr(0, 200);
    peak = std::max(peak, rss_mb(server.pid()));
  }
  ASSERT_TRUE(wait_for([&] {
    return webhooks::count_rows(server, "webhook_deliveries",
                                "outcome = 'pending'") == 0;
  }));
  double after = 0;
  const bool back = wait_for(
      [&] {
        after = rss_mb(server.pid());
        return after < 60.0;
      },
      std::chrono::seconds(30));
  EXPECT_TRUE(back) << "RSS " << before << " MB before, peak " << peak << " MB, " << after
                    << " MB 30 s after the last large delivery";
  RecordProperty("rss_before_mb", std::to_string(before));
  RecordProperty("rss_peak_mb", std::to_string(peak));
  RecordProperty("rss_after_mb", std::to_string(after));
}

}  // namespace
}  // namespace opz::testing
