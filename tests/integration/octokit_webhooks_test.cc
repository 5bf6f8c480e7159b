// Real GitHub payloads signed by GitHub's own JavaScript code: every ping,
// push, create, release, pull_request and workflow_run example of
// @octokit/webhooks-examples 7.6.1, signed with @octokit/webhooks-methods
// 6.0.0 (`await sign(secret, body)`), is accepted by the real server and
// handled as docs/webhooks.md describes; altered, wrongly signed, unsigned and
// truncated bodies are refused with 401 and leave nothing behind.
// The npm packages are installed by tests/integration/octokit/setup.sh (npm
// ci, pinned by its package-lock.json); without npm the test is skipped.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::send_delivery;
using webhooks::wait_for;

constexpr const char* kSecret = "octokit's secret, shared with opzenix";

std::string octokit_dir() { return std::string(OPZENIX_SOURCE_DIR) + "/tests/integration/octokit"; }

// Whether an example is about the integration's repository (GitHub compares
// names case-insensitively); examples without a repository count as such.
bool about_integration(const nlohmann::json& payload) {
  if (!payload.contains("repository") || !payload["repository"].is_object()) return true;
  std::string name = payload["repository"].value("full_name", "");
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name == "codertocat/hello-world";
}

TEST(OctokitWebhooksTest, RealExamplesSignedByOctokitAreAcceptedAndHandled) {
  auto npm = run_command({"/bin/sh", "-c", "command -v npm && command -v node"});
  if (npm.exit_code != 0)
    GTEST_SKIP() << "npm/node not installed: cannot install the octokit packages";
  auto setup = run_command({octokit_dir() + "/setup.sh"}, {}, {}, 300);
  ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
  TempDir tmp;
  const std::string signed_path = tmp.str() + "/signed.json";
  auto signer = run_command({"node", octokit_dir() + "/sign_examples.mjs", kSecret, signed_path},
                            {}, {}, 120, octokit_dir());
  ASSERT_EQ(signer.exit_code, 0) << signer.out << signer.err;
  std::ifstream in(signed_path);
  std::stringstream ss;
  ss << in.rdbuf();
  const json examples = json::parse(ss.str());
  ASSERT_GE(examples.size(), 50u);

  // The examples' repository, with the tags they name, so create and release
  // events resolve to real commits.
  trigger::testing::GitRepo repo;
  repo.commit_and_push("master", "opzenix.yml", webhooks::kPipelineYaml);
  repo.tag_and_push("simple-tag");
  repo.tag_and_push("0.0.1", true);

  ServerProcess server;
  const std::string token = server.create_user_and_login("admin@example.com", "admin");
  HttpClient api(server.base_url());
  api.set_token(token);
  auto p = api.post("/api/v1/projects", json{{"name", "Hello World"}, {"git_url", repo.url()}});
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string pid = p.json()["id"];
  ASSERT_EQ(api.put("/api/v1/projects/" + pid + "/github", json{{"repository_owner", "Codertocat"},
                                                                {"repository_name", "Hello-World"},
                                                                {"webhook_secret", kSecret}})
                .status,
            200);
  ASSERT_EQ(
      api.put("/api/v1/projects/" + pid + "/branch-mappings",
              json::array({{{"pattern", "master"}, {"environment", "Staging"}},
                           {{"pattern", "*"}, {"ref_type", "tag"}, {"environment", "Production"}}}))
          .status,
      200);

  HttpClient hook(server.base_url());
  const std::string url = "/api/v1/webhooks/github/" + pid;
  std::map<std::string, std::pair<std::string, json>> sent;  // delivery id -> (event, payload)
  for (size_t i = 0; i < examples.size(); ++i) {
    const json& ex = examples[i];
    const std::string event = ex["event"];
    auto r = send_delivery(hook, url, event, "octokit-" + std::to_string(i), ex["body"],
                           ex["signature"]);
    ASSERT_EQ(r.status, 202) << event << " #" << ex["index"] << ": " << r.body;
    if (event == "ping" && about_integration(json::parse(ex["body"].get<std::string>()))) {
      EXPECT_EQ(r.json()["hook_id"], json::parse(ex["body"].get<std::string>())["hook_id"]);
    }
    sent[r.json()["delivery_id"]] = {event, json::parse(ex["body"].get<std::string>())};
  }
  // The by-repository route accepts a repository example as well.
  for (const json& ex : examples) {
    if (ex["event"] != "push") continue;
    auto r = send_delivery(hook, "/api/v1/webhooks/github", "push", "octokit-by-repo", ex["body"],
                           ex["signature"]);
    EXPECT_EQ(r.status, 202) << r.body;
    sent[r.json()["delivery_id"]] = {"push", json::parse(ex["body"].get<std::string>())};
    break;
  }

  int processed = 0;
  for (const auto& [id, what] : sent) {
    const auto& [event, payload] = what;
    json d;
    ASSERT_TRUE(wait_for([&] {
      d = api.get("/api/v1/webhooks/deliveries/" + id).json();
      return d.value("outcome", "pending") != "pending";
    })) << id;
    const std::string outcome = d["outcome"];
    const std::string reason = d.value("outcome_reason", "");
    const std::string action = payload.value("action", "");
    SCOPED_TRACE(event + " " + action + ": " + outcome + ": " + reason);
    EXPECT_NE(outcome, "failed");
    // Some examples are about other repositories (an organization's): a
    // signature proves the sender, not the repository, so those start nothing.
    if (!about_integration(payload)) {
      EXPECT_EQ(outcome, "ignored");
      EXPECT_NE(reason.find("is not the integration's repository"), std::string::npos);
      continue;
    }
    if (event == "ping") {
      EXPECT_EQ(outcome, "processed");
    }
    if (event == "push" && payload.value("deleted", false)) {
      EXPECT_EQ(outcome, "ignored");
    }
    if (event == "push" && payload["ref"] == "refs/heads/master") {
      EXPECT_EQ(outcome, "processed");
    }
    if (event == "release" && action != "published") {
      EXPECT_EQ(outcome, "ignored");
    }
    if (event == "pull_request") {
      const bool runs = action == "opened" || action == "synchronize" || action == "reopened";
      EXPECT_EQ(outcome, runs ? "processed" : "ignored");
    }
    if (event == "workflow_run") {
      EXPECT_EQ(outcome, "ignored") << "no node waits for it";
    }
    if (event == "create" || (event == "release" && action == "published")) {
      EXPECT_TRUE(outcome == "processed" || reason.find("tag already built") != std::string::npos);
    }
    if (outcome == "processed" && event != "ping") {
      ++processed;
      ASSERT_TRUE(d["execution_id"].is_string());
      auto e = api.get("/api/v1/executions/" + d["execution_id"].get<std::string>()).json();
      EXPECT_EQ(e["project_id"], pid);
      EXPECT_EQ(e["metadata"]["delivery_id"], id);
      if (event == "pull_request") {
        EXPECT_EQ(e["trigger_type"], "pull_request");
        EXPECT_EQ(e["metadata"]["ci_only"], true);
      }
      if (event == "push" && payload["ref"] == "refs/heads/master") {
        EXPECT_EQ(e["environment"], "Staging");
        EXPECT_EQ(e["commit_hash"], payload["after"]);
        EXPECT_EQ(e["started_by"], "github:" + payload["sender"]["login"].get<std::string>());
      }
    }
  }
  EXPECT_GE(processed, 10);
  EXPECT_EQ(
      webhooks::count_rows(server, "executions", "project_id = " + webhooks::sq(pid)),
      processed);

  // Altered, wrongly signed, unsigned and truncated deliveries: 401, nothing stored.
  const int64_t stored = webhooks::count_rows(server, "webhook_deliveries");
  int checked = 0;
  for (const json& ex : examples) {
    const std::string body = ex["body"];
    const std::string sig = ex["signature"];
    std::string altered = body;
    altered[altered.size() / 3] = altered[altered.size() / 3] == 'a' ? 'b' : 'a';
    const std::vector<std::pair<std::string, std::string>> bad = {
        {altered, sig},
        {body, webhooks::hmac_sha256_header("another secret", body)},
        {body, ""},
        {body.substr(0, body.size() / 2), sig},
    };
    const bool ours =
        json::parse(body).value("repository", json::object()).value("full_name", "") ==
        "Codertocat/Hello-World";
    for (size_t k = 0; k < bad.size(); ++k) {
      const auto& [b, s] = bad[k];
      auto r =
          send_delivery(hook, url, ex["event"], "octokit-bad-" + std::to_string(checked++), b, s);
      EXPECT_EQ(r.status, 401) << ex["event"] << ": " << r.body;
      // By repository (an altered byte may also rename the repository: skipped there).
      if (!ours || k == 0) continue;
      auto g = send_delivery(hook, "/api/v1/webhooks/github", ex["event"],
                             "octokit-bad-" + std::to_string(checked++), b, s);
      EXPECT_EQ(g.status, 401) << ex["event"] << " (by repository): " << g.body;
    }
  }
  EXPECT_EQ(webhooks::count_rows(server, "webhook_deliveries"), stored);
}

}  // namespace
}  // namespace opz::testing
