// GitHub webhooks against the real `opzenix serve`: a project whose
// repository is a real local bare git repository (so triggered executions
// check out and run for real), its GitHub integration pointed at a fake
// GitHub API (tests/support/fake_http_server.h) that records commit statuses
// and workflow dispatches, and signed deliveries sent over HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/time_format.h"
#include "support/database_probe.h"
#include "support/fake_http_server.h"
#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::hmac_sha256_header;
using webhooks::send_delivery;
using webhooks::wait_for;

constexpr const char* kSecret = "webhook-secret-for-tests";
constexpr const char* kRepo = "octo/demo";

class WebhooksTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    github_ = new FakeHttpServer();
    github_->set_handler([](const RecordedRequest& r) { return fake_github(r); });
    repo_ = new trigger::testing::GitRepo();
    main_sha_ = repo_->commit_and_push("main", "opzenix.yml", webhooks::kPipelineYaml);
    feature_sha_ = repo_->commit_and_push("feature/login", "login.txt", "login\n");
    repo_->commit_and_push("workflow", "opzenix.yml", R"(name: gh
nodes:
  remote:
    type: github_workflow
    with: {workflow: deploy.yml, inputs: {channel: stable}, timeout: 2m}
)");
    workflow_sha_ = repo_->head();
    server_ = new ServerProcess(ServerProcess::Options{
        .data_dir = "", .extra_args = {"--public-url", "https://opz.example.com"}, .env = {}});
    admin_token_ = server_->create_user_and_login("admin@example.com", "admin");
    operator_token_ = server_->create_user_and_login("op@example.com", "operator");
    viewer_token_ = server_->create_user_and_login("viewer@example.com", "viewer");
    auto p =
        admin().post("/api/v1/projects", json{{"name", "Webhook Demo"}, {"git_url", repo_->url()}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_id_ = p.json()["id"];
    auto g = admin().put("/api/v1/projects/" + project_id_ + "/github",
                         json{{"repository_owner", "octo"},
                              {"repository_name", "demo"},
                              {"webhook_secret", kSecret},
                              {"token", "ghp_fake-token-for-tests"},
                              {"api_base_url", github_->base_url()},
                              {"workflow_file", "deploy.yml"}});
    ASSERT_EQ(g.status, 200) << g.body;
    // This suite is about deliveries becoming executions: here Production
    // deploys on a push (the governance suites test its protection).
    auto unlocked = admin().request(
        "DELETE", "/api/v1/projects/" + project_id_ + "/environments/Production/lock", "");
    ASSERT_EQ(unlocked.status / 100, 2) << unlocked.body;
    auto open = admin().request(
        "PATCH", "/api/v1/projects/" + project_id_ + "/environments/Production",
        json{{"requires_approval", false}, {"wait_timer_seconds", 0}, {"auto_deploy", true}}.dump());
    ASSERT_EQ(open.status, 200) << open.body;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete repo_;
    delete github_;
  }

  // Fake GitHub: statuses -> 201, dispatch -> 204, runs -> one fresh run.
  static CannedResponse fake_github(const RecordedRequest& r) {
    if (r.method == "POST" && r.path.find("/statuses/") != std::string::npos)
      return CannedResponse::json(201, R"({"id": 1})");
    if (r.method == "POST" && r.path.ends_with("/dispatches"))
      return CannedResponse{204, {}, "", {}};
    if (r.method == "GET" && r.path.ends_with("/runs")) {
      json run = {{"id", 9001},
                  {"name", "Deploy"},
                  {"head_sha", std::string(40, 'd')},
                  {"head_branch", "workflow"},
                  {"event", "workflow_dispatch"},
                  {"status", "in_progress"},
                  {"conclusion", nullptr},
                  {"workflow_id", 77},
                  {"run_number", 3},
                  {"html_url", "https://github.com/octo/demo/actions/runs/9001"},
                  {"created_at", "2099-01-01T00:00:00Z"}};
      return CannedResponse::json(200, json{{"workflow_runs", json::array({run})}}.dump());
    }
    return CannedResponse::json(404, R"({"message": "Not Found"})");
  }

  static HttpClient admin() { return client(admin_token_); }
  static HttpClient client(const std::string& token) {
    HttpClient c(server_->base_url());
    c.set_token(token);
    return c;
  }
  static HttpResult deliver(const std::string& event, const std::string& body,
                            const std::string& guid, const std::string& path = {}) {
    HttpClient c(server_->base_url());
    return send_delivery(c, path.empty() ? "/api/v1/webhooks/github/" + project_id_ : path, event,
                         guid, body, hmac_sha256_header(kSecret, body));
  }
  // Waits until the delivery is no longer pending; answers its row.
  static json processed(const std::string& delivery_id) {
    return webhooks::processed_delivery(admin(), delivery_id);
  }
  static json execution(const std::string& id) {
    return admin().get("/api/v1/executions/" + id).json();
  }
  static json finished_execution(const std::string& id) {
    json e;
    wait_for(
        [&] {
          e = execution(id);
          const std::string s = e.value("status", "");
          return s == "success" || s == "failed" || s == "cancelled" || s == "warning";
        },
        std::chrono::seconds(60));
    return e;
  }
  static int64_t rows(const std::string& table, const std::string& where = "1=1") {
    return webhooks::count_rows(*server_, table, where);
  }
  static std::vector<RecordedRequest> statuses_for(const std::string& sha) {
    std::vector<RecordedRequest> out;
    for (const auto& r : github_->requests())
      if (r.path == "/repos/octo/demo/statuses/" + sha) out.push_back(r);
    return out;
  }

  static FakeHttpServer* github_;
  static trigger::testing::GitRepo* repo_;
  static ServerProcess* server_;
  static std::string admin_token_, operator_token_, viewer_token_;
  static std::string project_id_, main_sha_, feature_sha_, workflow_sha_;
};

FakeHttpServer* WebhooksTest::github_ = nullptr;
trigger::testing::GitRepo* WebhooksTest::repo_ = nullptr;
ServerProcess* WebhooksTest::server_ = nullptr;
std::string WebhooksTest::admin_token_, WebhooksTest::operator_token_, WebhooksTest::viewer_token_,
    WebhooksTest::project_id_, WebhooksTest::main_sha_, WebhooksTest::feature_sha_,
    WebhooksTest::workflow_sha_;

TEST_F(WebhooksTest, IntegrationAnswersNeverCarrySecrets) {
  auto g = admin().get("/api/v1/projects/" + project_id_ + "/github");
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.body.find(kSecret), std::string::npos);
  EXPECT_EQ(g.body.find("ghp_fake"), std::string::npos);
  EXPECT_FALSE(g.json().contains("webhook_secret"));
  EXPECT_EQ(g.json()["has_token"], true);
  EXPECT_EQ(g.json()["full_name"], kRepo);
  EXPECT_EQ(g.json()["webhook_url"],
            "https://opz.example.com/api/v1/webhooks/github/" + project_id_);
  EXPECT_EQ(client(viewer_token_).get("/api/v1/projects/" + project_id_ + "/github").status, 200);
  EXPECT_EQ(client(operator_token_)
                .put("/api/v1/projects/" + project_id_ + "/github",
                     json{{"repository_owner", "x"}, {"repository_name", "y"}})
                .status,
            403);
  auto bad = admin().put("/api/v1/projects/" + project_id_ + "/github",
                         json{{"repository_owner", "octo"}, {"repository_name", "../etc"}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  // Secrets are stored sealed, never in plain text.
  EXPECT_EQ(rows("github_integrations",
                 "webhook_secret_encrypted LIKE 'v1:%' AND "
                 "token_encrypted LIKE 'v1:%' AND "
                 "webhook_secret_encrypted NOT LIKE " +
                     webhooks::sq("%" + std::string(kSecret) + "%")),
            1);
}

TEST_F(WebhooksTest, ASignedPushToMainStartsADeployThatRunsAndReportsStatuses) {
  const std::string body =
      webhooks::push_body(kRepo, "refs/heads/main", std::string(40, '0'), main_sha_);
  auto r = deliver("push", body, "push-main-1");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string delivery_id = r.json()["delivery_id"];
  json d = processed(delivery_id);
  ASSERT_EQ(d["outcome"], "processed") << d.dump();
  EXPECT_NE(d["outcome_reason"].get<std::string>().find("matched rule #1 'main'"),
            std::string::npos);
  EXPECT_FALSE(d.contains("body")) << "bodies only with ?include_body=true";
  const std::string id = d["execution_id"];

  auto list = admin().get("/api/v1/executions?project_id=" + project_id_);
  ASSERT_EQ(list.status, 200);
  bool listed = false;
  const json items = list.json()["items"];
  for (const auto& e : items) {
    if (e["id"] != id) continue;
    listed = true;
    EXPECT_EQ(e["branch"], "main");
    EXPECT_EQ(e["commit_hash"], main_sha_);
    EXPECT_EQ(e["environment"], "Production");
  }
  EXPECT_TRUE(listed) << list.body;
  json e = finished_execution(id);
  EXPECT_EQ(e["status"], "success") << e.dump(2);
  EXPECT_EQ(e["name"], "Deploy " + main_sha_.substr(0, 7));
  EXPECT_EQ(e["started_by"], "github:mona");
  EXPECT_EQ(e["trigger_type"], "push");
  EXPECT_EQ(e["governance_status"], "allowed");
  EXPECT_EQ(e["metadata"]["delivery_id"], delivery_id);
  EXPECT_EQ(e["metadata"]["event"], "push");
  EXPECT_EQ(e["metadata"]["ref"], "refs/heads/main");
  EXPECT_EQ(e["metadata"]["image_tag"], "prod-" + main_sha_.substr(0, 7));
  EXPECT_EQ(e["metadata"]["replicas"], 3);
  EXPECT_EQ(e["metadata"]["deployable"], true);
  std::set<std::string> nodes;
  for (const auto& n : e["nodes"]) nodes.insert(n["node_id"].get<std::string>());
  EXPECT_EQ(nodes, (std::set<std::string>{"build", "test", "deploy"}));

  // Commit statuses: "pending" queued at trigger time (sent unless the
  // execution finished first and superseded it), "success" at the end.
  EXPECT_EQ(rows("commit_status_reports",
                 "execution_id = " + webhooks::sq(id) + " AND state = 'pending'"),
            1);
  ASSERT_TRUE(wait_for([&] {
    auto s = statuses_for(main_sha_);
    return !s.empty() && json::parse(s.back().body)["state"] == "success";
  })) << github_->requests().size()
      << " requests to the fake GitHub";
  auto statuses = statuses_for(main_sha_);
  for (const auto& s : statuses) {
    EXPECT_EQ(s.method, "POST");
    EXPECT_EQ(s.header("authorization"), "Bearer ghp_fake-token-for-tests");
    EXPECT_EQ(s.header("accept"), "application/vnd.github+json");
    EXPECT_EQ(s.header("x-github-api-version"), "2022-11-28");
    auto b = json::parse(s.body);
    EXPECT_EQ(b["context"], "opzenix/Production");
    EXPECT_EQ(b["target_url"], "https://opz.example.com/executions/" + id);
  }
  EXPECT_LE(statuses.size(), 2u);
  if (statuses.size() == 2) {
    EXPECT_EQ(json::parse(statuses.front().body)["state"], "pending");
  }
  EXPECT_EQ(json::parse(statuses.back().body)["description"], "Deploy to Production succeeded");
}

TEST_F(WebhooksTest, ARedeliveredGuidIsADuplicateAndStartsNothing) {
  const std::string body =
      webhooks::push_body(kRepo, "refs/heads/main", main_sha_, main_sha_, "dup");
  auto first = deliver("push", body, "dup-guid-1");
  ASSERT_EQ(first.status, 202) << first.body;
  auto second = deliver("push", body, "dup-guid-1");
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["duplicate"], true);
  EXPECT_EQ(second.json()["delivery_id"], first.json()["delivery_id"]);
  processed(first.json()["delivery_id"]);
  EXPECT_EQ(rows("webhook_deliveries", "delivery_guid = 'dup-guid-1'"), 1);
  EXPECT_EQ(rows("executions", "started_by = 'github:dup'"), 1);
}

TEST_F(WebhooksTest, EverySignatureProblemIs401AndNothingIsStored) {
  const std::string body =
      webhooks::push_body(kRepo, "refs/heads/main", main_sha_, main_sha_, "intruder");
  const std::string good = hmac_sha256_header(kSecret, body);
  std::string changed = body;
  changed[changed.size() / 2] ^= 1;
  HttpClient c(server_->base_url());
  const std::string preferred = "/api/v1/webhooks/github/" + project_id_;
  const int64_t before = rows("webhook_deliveries");
  struct Case {
    std::string name, path, body, signature;
  };
  const std::vector<Case> cases = {
      {"one byte changed", preferred, changed, good},
      {"wrong secret", preferred, body, hmac_sha256_header("not-the-secret", body)},
      {"missing header", preferred, body, ""},
      {"sha1 only", preferred, body, "sha1=" + std::string(40, 'a')},
      {"malformed", preferred, body, "sha256=xyz"},
      {"truncated", preferred, body.substr(0, body.size() - 7), good},
      {"truncated, by repository", "/api/v1/webhooks/github", body.substr(0, body.size() - 7),
       good},
      {"wrong secret, seed alias", "/functions/v1/github-webhook", body,
       hmac_sha256_header("nope", body)},
  };
  for (const auto& k : cases) {
    auto r = send_delivery(c, k.path, "push", "bad-" + k.name, k.body, k.signature);
    EXPECT_EQ(r.status, 401) << k.name << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "unauthorized") << k.name;
  }
  EXPECT_EQ(rows("webhook_deliveries"), before);
  EXPECT_EQ(rows("executions", "started_by = 'github:intruder'"), 0);
  auto metrics = c.get("/metrics").body;
  for (const char* reason : {"mismatch", "missing", "sha1_only", "malformed", "unverifiable"})
    EXPECT_NE(metrics.find(std::string("opzenix_webhook_deliveries_rejected_total{reason=\"") +
                           reason + "\"}"),
              std::string::npos)
        << reason;
}

TEST_F(WebhooksTest, SignedButBrokenDeliveriesAndTheSizeLimit) {
  auto not_json = deliver("push", "{not json", "broken-1");
  EXPECT_EQ(not_json.status, 400) << not_json.body;
  HttpClient c(server_->base_url());
  const std::string body = webhooks::push_body(kRepo, "refs/heads/main", main_sha_, main_sha_);
  auto no_event = send_delivery(c, "/api/v1/webhooks/github/" + project_id_, "", "broken-2", body,
                                hmac_sha256_header(kSecret, body));
  EXPECT_EQ(no_event.status, 400) << no_event.body;
  auto unknown_repo =
      deliver("push", webhooks::push_body("someone/else", "refs/heads/main", main_sha_, main_sha_),
              "broken-3", "/api/v1/webhooks/github");
  EXPECT_EQ(unknown_repo.status, 404) << unknown_repo.body;
  const std::string huge(25'000'001, ' ');
  auto too_big = send_delivery(c, "/api/v1/webhooks/github/" + project_id_, "push", "huge", huge,
                               hmac_sha256_header(kSecret, huge));
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(rows("webhook_deliveries", "delivery_guid LIKE 'broken-%' OR delivery_guid = 'huge'"),
            0);
}

TEST_F(WebhooksTest, LargeDeliveriesUpTo25MBAreAccepted) {
  // A push whose commit message is 12 MB: over the server's default body
  // limit, within GitHub's 25 MB.
  json body =
      json::parse(webhooks::push_body(kRepo, "refs/heads/spike", main_sha_, main_sha_, "large"));
  body["head_commit"]["message"] = std::string(12'000'000, 'x');
  auto r = deliver("push", body.dump(), "large-1");
  ASSERT_EQ(r.status, 202) << r.body.substr(0, 300);
  json d = processed(r.json()["delivery_id"]);
  EXPECT_EQ(d["outcome"], "ignored") << "spike maps nowhere";
  EXPECT_GT(d["body_bytes"].get<int64_t>(), 12'000'000);
}

TEST_F(WebhooksTest, PingOtherEventsAndUnmappedRefsAreRecordedWithAReason) {
  const std::string ping = json{
      {"zen", "Speak like a human."},
      {"hook_id", 4242},
      {"repository",
       {{"full_name", kRepo}}}}.dump();
  auto p = deliver("ping", ping, "ping-1", "/functions/v1/github-webhook");
  ASSERT_EQ(p.status, 202) << p.body;
  EXPECT_EQ(p.json()["zen"], "Speak like a human.");
  EXPECT_EQ(p.json()["hook_id"], 4242);
  EXPECT_EQ(processed(p.json()["delivery_id"])["outcome"], "processed");

  auto issues =
      deliver("issues", json{{"action", "opened"}, {"repository", {{"full_name", kRepo}}}}.dump(),
              "issues-1");
  ASSERT_EQ(issues.status, 202);
  json i = processed(issues.json()["delivery_id"]);
  EXPECT_EQ(i["outcome"], "ignored");
  EXPECT_NE(i["outcome_reason"].get<std::string>().find("issues"), std::string::npos);

  auto spike = deliver("push", webhooks::push_body(kRepo, "refs/heads/spike", main_sha_, main_sha_),
                       "spike-1");
  json s = processed(spike.json()["delivery_id"]);
  EXPECT_EQ(s["outcome"], "ignored");
  EXPECT_NE(s["outcome_reason"].get<std::string>().find("no rule matches branch 'spike'"),
            std::string::npos);
  EXPECT_TRUE(s["execution_id"].is_null());

  auto deleted =
      deliver("push", webhooks::push_body(kRepo, "refs/heads/old", main_sha_, std::string(40, '0')),
              "deleted-1");
  EXPECT_EQ(processed(deleted.json()["delivery_id"])["outcome"], "ignored");
}

TEST_F(WebhooksTest, PullRequestsAndNonDeployableBranchesRunCiNodesOnly) {
  json pr = {{"action", "opened"},
             {"number", 17},
             {"pull_request",
              {{"title", "Login page"},
               {"head", {{"sha", feature_sha_}, {"ref", "feature/login"}}},
               {"base", {{"ref", "main"}}},
               {"html_url", "https://github.com/octo/demo/pull/17"}}},
             {"repository", {{"full_name", kRepo}}},
             {"sender", {{"login", "hubot"}}}};
  auto r = deliver("pull_request", pr.dump(), "pr-17-opened");
  ASSERT_EQ(r.status, 202) << r.body;
  json d = processed(r.json()["delivery_id"]);
  ASSERT_EQ(d["outcome"], "processed") << d.dump();
  json e = finished_execution(d["execution_id"]);
  EXPECT_EQ(e["status"], "success") << e.dump(2);
  EXPECT_EQ(e["trigger_type"], "pull_request");
  EXPECT_EQ(e["environment"], "Development");
  EXPECT_EQ(e["commit_hash"], feature_sha_);
  EXPECT_EQ(e["metadata"]["ci_only"], true);
  EXPECT_EQ(e["metadata"]["pull_request"]["number"], 17);
  std::set<std::string> nodes;
  for (const auto& n : e["nodes"]) nodes.insert(n["node_id"].get<std::string>());
  EXPECT_EQ(nodes, (std::set<std::string>{"build", "test"})) << "the deploy node never runs";

  auto push = deliver(
      "push", webhooks::push_body(kRepo, "refs/heads/feature/login", main_sha_, feature_sha_),
      "feature-push-1");
  json fd = processed(push.json()["delivery_id"]);
  ASSERT_EQ(fd["outcome"], "processed");
  json fe = finished_execution(fd["execution_id"]);
  EXPECT_EQ(fe["metadata"]["ci_only"], true);
  EXPECT_EQ(fe["metadata"]["deployable"], false);
  EXPECT_EQ(fe["nodes"].size(), 2u);
}

TEST_F(WebhooksTest, DeliveriesAreListableByRoleAndReplayableByAdmins) {
  const std::string body =
      webhooks::push_body(kRepo, "refs/heads/main", main_sha_, main_sha_, "replayer");
  // Three processed pushes of its own (a page of 2, then the next): ctest runs
  // every test in a fresh process.
  for (const char* guid : {"replay-source-a", "replay-source-b"}) {
    auto earlier = deliver("push",
                           webhooks::push_body(kRepo, "refs/heads/develop", main_sha_, main_sha_,
                                               std::string("replayer-") + guid),
                           guid);
    ASSERT_EQ(earlier.status, 202) << earlier.body;
    processed(earlier.json()["delivery_id"]);
  }
  auto r = deliver("push", body, "replay-source-1");
  ASSERT_EQ(r.status, 202);
  const std::string original = r.json()["delivery_id"];
  json d = processed(original);

  auto list = client(operator_token_)
                  .get("/api/v1/webhooks/deliveries?project_id=" + project_id_ +
                       "&event=push&outcome=processed&limit=2");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["items"].size(), 2u);
  EXPECT_FALSE(list.json()["next_cursor"].is_null());
  const json items = list.json()["items"];
  for (const auto& item : items) {
    EXPECT_EQ(item["event"], "push");
    EXPECT_FALSE(item.contains("body"));
  }
  auto next = client(operator_token_)
                  .get("/api/v1/webhooks/deliveries?project_id=" + project_id_ +
                       "&event=push&outcome=processed&limit=2&cursor=" +
                       list.json()["next_cursor"].get<std::string>());
  ASSERT_EQ(next.status, 200);
  EXPECT_NE(next.json()["items"][0]["id"], list.json()["items"][0]["id"]);
  EXPECT_EQ(client(operator_token_).get("/api/v1/webhooks/deliveries?include_body=true").status,
            403);
  EXPECT_EQ(client(viewer_token_).get("/api/v1/webhooks/deliveries").status, 403);
  auto with_body = admin().get("/api/v1/webhooks/deliveries/" + original + "?include_body=true");
  EXPECT_EQ(with_body.json()["body"], body);
  EXPECT_EQ(admin().get("/api/v1/webhooks/deliveries?outcome=weird").status, 422);

  EXPECT_EQ(client(operator_token_)
                .post("/api/v1/webhooks/deliveries/" + original + "/replay", json::object())
                .status,
            403);
  auto replay = admin().post("/api/v1/webhooks/deliveries/" + original + "/replay", json::object());
  ASSERT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(replay.json()["replay_of"], original);
  EXPECT_EQ(replay.json()["outcome"], "processed");
  const std::string replayed_execution = replay.json()["execution_id"];
  EXPECT_NE(replayed_execution, d["execution_id"].get<std::string>());
  json e = execution(replayed_execution);
  EXPECT_EQ(e["trigger_type"], "replay");
  EXPECT_EQ(e["metadata"]["replay_of"], original);
  EXPECT_EQ(admin()
                .post("/api/v1/webhooks/deliveries/00000000-0000-4000-8000-000000000000/replay",
                      json::object())
                .status,
            404);
}

TEST_F(WebhooksTest, BranchMappingsCanBeReplacedResolvedAndReset) {
  auto defaults = admin().get("/api/v1/branch-mappings");
  ASSERT_EQ(defaults.status, 200) << defaults.body;
  EXPECT_EQ(defaults.json()["rules"].size(), 7u);
  auto resolve = client(viewer_token_)
                     .get("/api/v1/branch-mappings/resolve?project=" + project_id_ +
                          "&ref=refs/heads/release/1.4");
  ASSERT_EQ(resolve.status, 200) << resolve.body;
  EXPECT_EQ(resolve.json()["matched"], true);
  EXPECT_EQ(resolve.json()["environment"], "PreProd");
  EXPECT_EQ(resolve.json()["source"], "global");
  EXPECT_NE(resolve.json()["explanation"].get<std::string>().find("rule #3 'release/*'"),
            std::string::npos);

  // Another project so the suite's project keeps the defaults.
  auto p = admin().post("/api/v1/projects", json{{"name", "Mapped"}});
  ASSERT_EQ(p.status, 201);
  const std::string pid = p.json()["id"];
  const std::string path = "/api/v1/projects/" + pid + "/branch-mappings";
  auto gitops = admin().put(path, json{{"preset", "gitops"}});
  ASSERT_EQ(gitops.status, 200) << gitops.body;
  EXPECT_EQ(gitops.json()["rules"].size(), 3u);
  EXPECT_EQ(gitops.json()["rules"][1]["pattern"], "main");
  EXPECT_EQ(gitops.json()["rules"][1]["environment"], "staging");
  EXPECT_EQ(gitops.json()["rules"][1]["replicas"], 2);
  auto tag = admin().get("/api/v1/branch-mappings/resolve?project=" + pid +
                         "&ref=refs/tags/v2.1.0&sha=" + main_sha_);
  EXPECT_EQ(tag.json()["environment"], "prod");
  EXPECT_EQ(tag.json()["image_tag"], "v2.1.0");
  EXPECT_EQ(tag.json()["source"], "project");

  auto custom = admin().put(path, json::array({{{"pattern", "release/*"},
                                                {"environment", "Staging"},
                                                {"image_tag_template", "rc-{sha7}"},
                                                {"replicas", 2}},
                                               {{"pattern", "v*"},
                                                {"ref_type", "tag"},
                                                {"environment", "Production"},
                                                {"image_tag_template", "{tag}"}}}));
  ASSERT_EQ(custom.status, 200) << custom.body;
  EXPECT_EQ(admin().get(path).json()["rules"].size(), 2u);
  auto none =
      admin().get("/api/v1/branch-mappings/resolve?project=" + pid + "&ref=refs/heads/main");
  EXPECT_EQ(none.json()["matched"], false);
  EXPECT_NE(none.json()["explanation"].get<std::string>().find("no rule matches branch 'main'"),
            std::string::npos);

  auto invalid = admin().put(
      path, json{{"rules", json::array({{{"pattern", "a["}, {"environment", "Staging"}}})}});
  EXPECT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(invalid.json()["error"]["field"], "rules[0].pattern");
  auto unknown_env = admin().put(path, json::array({{{"pattern", "x"}, {"environment", "Mars"}}}));
  EXPECT_EQ(unknown_env.status, 422) << unknown_env.body;
  EXPECT_EQ(client(operator_token_).put(path, json{{"preset", "gitops"}}).status, 403);

  auto reset = admin().del(path);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.json()["source"], "global");
  EXPECT_EQ(reset.json()["rules"].size(), 7u);
}

TEST_F(WebhooksTest, AThousandConcurrentDeliveriesOfOneGuidMakeOneExecution) {
  const std::string body =
      webhooks::push_body(kRepo, "refs/heads/main", main_sha_, main_sha_, "storm");
  const std::string sig = hmac_sha256_header(kSecret, body);
  std::atomic<int> accepted{0}, duplicates{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c(server_->base_url());
      for (int i = t; i < 1000; i += 16) {
        auto r = send_delivery(c, "/api/v1/webhooks/github/" + project_id_, "push", "storm-guid",
                               body, sig);
        if (r.status == 202)
          ++accepted;
        else if (r.status == 200 && r.json().value("duplicate", false))
          ++duplicates;
        else
          ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(duplicates.load(), 999);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(rows("webhook_deliveries", "delivery_guid = 'storm-guid'"), 1);
  ASSERT_TRUE(wait_for([&] {
    return rows("webhook_deliveries", "delivery_guid = 'storm-guid' AND outcome = 'processed'") ==
           1;
  }));
  EXPECT_EQ(rows("executions", "started_by = 'github:storm'"), 1);
}

TEST_F(WebhooksTest, AGithubWorkflowNodeDispatchesAndFinishesFromTheWorkflowRunWebhook) {
  // The 'workflow' branch maps nowhere by default: give this project a rule for it.
  auto put = admin().put("/api/v1/projects/" + project_id_ + "/branch-mappings",
                         json::array({{{"pattern", "workflow"}, {"environment", "Staging"}}}));
  ASSERT_EQ(put.status, 200) << put.body;
  auto r =
      deliver("push", webhooks::push_body(kRepo, "refs/heads/workflow", main_sha_, workflow_sha_),
              "workflow-push-1");
  json d = processed(r.json()["delivery_id"]);
  admin().del("/api/v1/projects/" + project_id_ + "/branch-mappings");
  ASSERT_EQ(d["outcome"], "processed") << d.dump();
  const std::string id = d["execution_id"];
  ASSERT_TRUE(wait_for([&] {
    for (const auto& q : github_->requests())
      if (q.path == "/repos/octo/demo/actions/workflows/deploy.yml/dispatches") return true;
    return false;
  }));
  RecordedRequest dispatch;
  for (const auto& q : github_->requests())
    if (q.path.ends_with("/dispatches")) dispatch = q;
  EXPECT_EQ(dispatch.header("authorization"), "Bearer ghp_fake-token-for-tests");
  EXPECT_EQ(json::parse(dispatch.body),
            (json{{"ref", "workflow"}, {"inputs", {{"channel", "stable"}}}}));

  json run = {{"action", "completed"},
              {"workflow_run",
               {{"id", 9001},
                {"name", "Deploy"},
                {"head_sha", std::string(40, 'd')},
                {"head_branch", "workflow"},
                {"status", "completed"},
                {"conclusion", "success"},
                {"workflow_id", 77},
                {"path", ".github/workflows/deploy.yml"},
                {"event", "workflow_dispatch"},
                {"run_number", 3},
                {"html_url", "https://github.com/octo/demo/actions/runs/9001"}}},
              {"repository", {{"full_name", kRepo}}},
              {"sender", {{"login", "github-actions"}}}};
  json wd;
  // The run may complete before the node found it; the webhook is retried the
  // way GitHub would (a new delivery) until the node is waiting.
  for (int i = 0; i < 40; ++i) {
    auto w = deliver("workflow_run", run.dump(), "workflow-run-" + std::to_string(i));
    wd = processed(w.json()["delivery_id"]);
    if (wd["outcome"] == "processed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(wd["outcome"], "processed") << wd.dump();
  json e = finished_execution(id);
  EXPECT_EQ(e["status"], "success") << e.dump(2);
  ASSERT_EQ(e["nodes"].size(), 1u);
  EXPECT_EQ(e["nodes"][0]["outputs"]["run_id"], "9001");
  EXPECT_EQ(e["nodes"][0]["outputs"]["conclusion"], "success");
}

// A delivery stored but not processed (the server died in between) is
// processed at the next start.
TEST(WebhookRecoveryTest, PendingDeliveriesAreProcessedAfterARestart) {
  trigger::testing::GitRepo repo;
  const std::string sha = repo.commit_and_push("main", "opzenix.yml", webhooks::kPipelineYaml);
  ServerProcess server;
  const std::string token = server.create_user_and_login("admin@example.com", "admin");
  HttpClient c(server.base_url());
  c.set_token(token);
  auto p = c.post("/api/v1/projects", json{{"name", "Recovery"}, {"git_url", repo.url()}});
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string pid = p.json()["id"];
  ASSERT_EQ(c.put("/api/v1/projects/" + pid + "/github", json{{"repository_owner", "octo"},
                                                              {"repository_name", "recovery"},
                                                              {"webhook_secret", kSecret}})
                .status,
            200);
  server.stop();

  // Exactly what the receiver stores before answering 202.
  const std::string body =
      webhooks::push_body("octo/recovery", "refs/heads/main", sha, sha, "crash");
  // (The row and its body, which lives in its own table since migration 009.)
  const std::string id = "11111111-2222-4333-8444-555555555555";
  const Status stored = exec_database_script(
      server,
      "INSERT INTO webhook_deliveries (id, delivery_guid, project_id, event, signature_valid, "
      "headers, body_bytes, received_at, outcome) VALUES ('" + id + "', 'crash-guid', " +
          webhooks::sq(pid) + ", 'push', TRUE, '{}', " + std::to_string(body.size()) + ", '" +
          format_time(std::chrono::system_clock::now()) +
          "', 'pending'); "
          "INSERT INTO webhook_delivery_bodies (delivery_id, body) VALUES ('" + id + "', " +
          webhooks::sq(body) + ")");
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();

  server.restart();
  HttpClient after(server.base_url());
  after.set_token(token);
  json d;
  ASSERT_TRUE(wait_for([&] {
    d = after.get("/api/v1/webhooks/deliveries/11111111-2222-4333-8444-555555555555").json();
    return d.value("outcome", "pending") != "pending";
  }));
  EXPECT_EQ(d["outcome"], "processed") << d.dump();
  auto e = after.get("/api/v1/executions/" + d["execution_id"].get<std::string>()).json();
  EXPECT_EQ(e["commit_hash"], sha);
  EXPECT_EQ(e["metadata"]["delivery_id"], "11111111-2222-4333-8444-555555555555");
  // And a second restart does not process it again.
  server.restart();
  EXPECT_EQ(webhooks::count_rows(server, "executions", "started_by = 'github:crash'"),
            1);
}

}  // namespace
}  // namespace opz::testing
