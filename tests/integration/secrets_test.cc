// Secrets through the real server (issue 12): `opzenix secrets init` beside a
// running server, PUT/GET of project and environment secrets, a real step
// that prints canaries every way (plain, split writes, interleaved stdout and
// stderr, a multi-line value, base64, URL-encoded, JSON-escaped) and 0
// unmasked occurrences in execution_logs, the log API, realtime_events and
// the event stream; environment secrets only for the admitted environment;
// the environment configuration injected.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr const char* kCanary = "CANARY/\"s3cr3t\" v@lue+42";
constexpr const char* kMulti = "first-line-of-secret\nsecond-line-of-secret";
constexpr const char* kProdOnly = "production-only-token-77";
constexpr const char* kDevToken = "development-token-1234";

// The forms that must never be stored or sent (base64 and percent-encoding
// written out: the test does not share the server's encoders).
const std::vector<std::string>& forbidden() {
  static const std::vector<std::string> kForms = {
      kCanary,
      "first-line-of-secret",
      "second-line-of-secret",
      kProdOnly,
      kDevToken,
      "Q0FOQVJZLyJzM2NyM3QiIHZAbHVlKzQy",         // base64 of kCanary
      "CANARY%2F%22s3cr3t%22%20v%40lue%2B42",      // its URL encoding
      "CANARY/\\\"s3cr3t\\\" v@lue+42",            // its JSON escaping
  };
  return kForms;
}

size_t leaks(const std::string& text) {
  size_t n = 0;
  for (const std::string& f : forbidden())
    for (size_t at = text.find(f); at != std::string::npos; at = text.find(f, at + 1)) ++n;
  return n;
}

// Every row of `sql`, its columns' text concatenated, a line each, read from
// the server's database (either backend; NULL reads as "", a row of NULLs
// as nothing).
std::string read_column(const ServerProcess& server, const std::string& sql) {
  auto rows = query_database(server, sql);
  EXPECT_TRUE(rows.ok()) << sql << ": " << (rows.ok() ? "" : rows.error().to_string());
  std::string out;
  if (!rows.ok()) return out;
  for (const store::Row& row : *rows) {
    bool any = false;
    for (size_t i = 0; i < row.size(); ++i) {
      any = any || !row[i].is_null();
      out += row[i].as_text();
    }
    if (any) out += "\n";
  }
  return out;
}

constexpr const char* kLeakyPipeline = R"YAML(name: leaky
nodes:
  leak:
    environment: Development
    run: |
      echo "plain: $CANARY_TOKEN"
      printf 'split: '; printf '%s' "$CANARY_TOKEN" | head -c 5; printf '%s\n' "$CANARY_TOKEN" | tail -c +6
      printf 'out: '; printf '%s' "$CANARY_TOKEN" | head -c 9
      printf 'err: ' >&2; printf '%s' "$CANARY_TOKEN" | head -c 3 >&2
      printf '%s\n' "$CANARY_TOKEN" | tail -c +10
      printf '%s\n' "$CANARY_TOKEN" | tail -c +4 >&2
      printf '%s\n' "$MULTI_SECRET"
      printf 'b64: %s\n' "$(printf '%s' "$CANARY_TOKEN" | base64 -w0)"
      printf 'url: https://x.example/?t=%s\n' "CANARY%2F%22s3cr3t%22%20v%40lue%2B42"
      printf '{"token":"%s"}\n' "$(printf '%s' "$CANARY_TOKEN" | sed 's/\\/\\\\/g; s/"/\\"/g')"
      echo "dev: $DEV_TOKEN prod: [${PROD_TOKEN:-unset}] region: $REGION"
)YAML";

TEST(SecretsIntegrationTest, InjectedSecretsAreMaskedEverywhereAndScopedToTheAdmittedEnvironment) {
  ServerProcess server;
  HttpClient admin(server.base_url());
  const std::string token = server.create_user_and_login("admin@example.com", "admin");
  admin.set_token(token);
  auto project = admin.post("/api/v1/projects", json{{"name", "Secrets"}});
  ASSERT_EQ(project.status, 201) << project.body;
  const std::string pid = project.json()["id"];
  const std::string secrets = "/api/v1/projects/" + pid + "/secrets";

  // No key yet: a clear refusal naming the command.
  auto refused = admin.put(secrets + "/CANARY_TOKEN", json{{"value", kCanary}});
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("opzenix secrets init"), std::string::npos) << refused.body;
  auto init = run_command({opzenix_binary(), "secrets", "init", "--data-dir", server.data_dir()});
  ASSERT_EQ(init.exit_code, 0) << init.err;

  EXPECT_EQ(admin.put(secrets + "/CANARY_TOKEN", json{{"value", kCanary}}).status, 201);
  EXPECT_EQ(admin.put(secrets + "/MULTI_SECRET", json{{"value", kMulti}}).status, 201);
  EXPECT_EQ(admin.put(secrets + "/DEV_TOKEN", json{{"value", kDevToken}, {"environment", "Development"}})
                .status,
            201);
  EXPECT_EQ(admin.put(secrets + "/PROD_TOKEN", json{{"value", kProdOnly}, {"environment", "Production"}})
                .status,
            201);
  auto config = admin.put("/api/v1/projects/" + pid + "/environments/Development/config",
                          json{{"variables", {{"REGION", "eu-west"}}}});
  ASSERT_EQ(config.status, 200) << config.body;
  auto listed = admin.get(secrets);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["items"].size(), 4u);
  EXPECT_EQ(leaks(listed.body), 0u) << listed.body;

  auto started = admin.post("/api/v1/executions", json{{"project_id", pid},
                                                       {"pipeline_yaml", kLeakyPipeline},
                                                       {"environment", "Development"},
                                                       {"branch", "main"}});
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = started.json()["id"];
  const json done = webhooks::finished_execution(admin, id);
  ASSERT_EQ(done.value("status", ""), "success") << done.dump();

  // The log API.
  auto log = admin.get("/api/v1/executions/" + id + "/nodes/leak/logs?after=0&limit=1000");
  ASSERT_EQ(log.status, 200) << log.body;
  const json page = log.json();
  std::string lines;
  for (const auto& l : page["items"]) lines += l["message"].get<std::string>() + "\n";
  EXPECT_EQ(leaks(log.body), 0u) << log.body;
  ASSERT_FALSE(page["items"].empty()) << log.body;
  for (const char* shown : {"plain: ***", "split: ***", "out: ***", "err: ***", "b64: ***",
                            "url: https://x.example/?t=***", "{\"token\":\"***\"}",
                            "dev: *** prod: [unset] region: eu-west"})
    EXPECT_NE(lines.find(shown), std::string::npos) << shown << " in\n" << lines;
  // Stored rows and the event log the stream is built from.
  const std::string stored = read_column(server, "SELECT message FROM execution_logs");
  EXPECT_FALSE(stored.empty());
  EXPECT_EQ(leaks(stored), 0u) << stored;
  const std::string events = read_column(
      server, "SELECT record, old FROM realtime_events");
  EXPECT_EQ(leaks(events), 0u);
  EXPECT_EQ(leaks(read_column(server, "SELECT details FROM audit_logs")), 0u);
  EXPECT_EQ(leaks(read_column(server, "SELECT state FROM checkpoints")), 0u);
  // The event stream itself, replayed from the start (curl ends it).
  auto stream = run_command({"curl", "-sN", "--max-time", "3",
                             server.base_url() + "/api/v1/events?last_event_id=0&execution_id=" +
                                 id + "&access_token=" + token},
                            {}, {}, 30);
  EXPECT_NE(stream.out.find("plain: ***"), std::string::npos) << stream.out.substr(0, 2000);
  EXPECT_EQ(leaks(stream.out), 0u);
}

// An environment whose gate needs an approval: while the execution is held
// nothing runs; once approved and released, its nodes get the environment's
// secret (masked in the log).
TEST(SecretsIntegrationTest, AGatedEnvironmentsSecretReachesItsNodesOnlyAfterTheGatePasses) {
  ServerProcess server;
  ASSERT_EQ(run_command({opzenix_binary(), "secrets", "init", "--data-dir", server.data_dir()})
                .exit_code,
            0);
  HttpClient admin(server.base_url());
  admin.set_token(server.create_user_and_login("admin@example.com", "admin"));
  HttpClient approver(server.base_url());
  approver.set_token(server.create_user_and_login("approver@example.com", "admin"));
  auto project = admin.post("/api/v1/projects", json{{"name", "Gated"}});
  ASSERT_EQ(project.status, 201) << project.body;
  const std::string pid = project.json()["id"];
  auto env = admin.post("/api/v1/projects/" + pid + "/environments",
                        json{{"name", "Gated"}, {"requires_approval", true},
                             {"required_approvals", 1}});
  ASSERT_EQ(env.status, 201) << env.body;
  ASSERT_EQ(admin.put("/api/v1/projects/" + pid + "/secrets/GATED_TOKEN",
                      json{{"value", kProdOnly}, {"environment", "Gated"}})
                .status,
            201);

  const std::string yaml =
      "name: gated\nnodes:\n  use:\n    run: 'echo \"gated: [${GATED_TOKEN:-unset}]\"'\n";
  auto started = admin.post("/api/v1/executions", json{{"project_id", pid},
                                                       {"pipeline_yaml", yaml},
                                                       {"environment", "Gated"},
                                                       {"branch", "main"}});
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = started.json()["id"];
  EXPECT_EQ(started.json()["governance_status"], "pending_approval") << started.body;
  json request;
  for (int i = 0; i < 600 && request.is_null(); ++i) {
    auto r = approver.get("/api/v1/approvals?status=pending&execution_id=" + id);
    if (r.status == 200 && !r.json()["items"].empty()) request = r.json()["items"][0];
    else std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(request.is_null()) << "no pending approval";
  EXPECT_EQ(read_column(server, "SELECT message FROM execution_logs"), "")
      << "nothing ran while held";
  auto vote = approver.post("/api/v1/approvals/" + request["id"].get<std::string>() + "/votes",
                            json{{"vote", true}});
  ASSERT_EQ(vote.status, 201) << vote.body;
  const json done = webhooks::finished_execution(admin, id);
  ASSERT_EQ(done.value("status", ""), "success") << done.dump();
  const std::string stored = read_column(server, "SELECT message FROM execution_logs");
  EXPECT_NE(stored.find("gated: [***]"), std::string::npos) << stored;
  EXPECT_EQ(leaks(stored), 0u);
}

}  // namespace
}  // namespace opz::testing
