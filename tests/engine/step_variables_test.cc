// Step variables (issue 12): who receives environment secrets, precedence in
// the step's environment, and masking of everything a real step prints —
// split writes, interleaved streams, multi-line values, base64, URL-encoded
// and JSON-escaped forms — in execution_logs, the node's tail, the
// realtime_events log and the bus.
#include "engine/step_variables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "engine/step_environment.h"
#include "engine_fixture.h"
#include "secrets/encoding.h"

namespace opz::engine {
namespace {

store::ExecutionRecord admitted(const std::string& environment, const std::string& ref_kind,
                                const std::string& ref_name) {
  store::ExecutionRecord e;
  e.project_id = "p1";
  e.environment = environment;
  e.branch = ref_kind == "branch" ? ref_name : "";
  e.governance_status = "allowed";
  e.metadata = {{"governance_request",
                 {{"project_id", "p1"},
                  {"environment", environment},
                  {"ref_kind", ref_kind},
                  {"ref_name", ref_name},
                  {"ci_only", false}}}};
  return e;
}

TEST(EnvironmentSecretsAllowedTest, OnlyAnAdmittedExecutionOfThatEnvironmentAndItsOwnRef) {
  const auto main = admitted("Production", "branch", "main");
  EXPECT_TRUE(environment_secrets_allowed(main, "", "Production"));
  EXPECT_FALSE(environment_secrets_allowed(main, "", "Staging")) << "another environment";
  EXPECT_FALSE(environment_secrets_allowed(main, "", "")) << "no environment";

  auto held = main;
  held.governance_status = "pending_approval";
  EXPECT_FALSE(environment_secrets_allowed(held, "", "Production")) << "gate not passed";
  auto ungoverned = main;
  ungoverned.governance_status = "";
  ungoverned.metadata = Json::object();
  EXPECT_FALSE(environment_secrets_allowed(ungoverned, "", "Production"));
  auto ci = main;
  ci.metadata["ci_only"] = true;
  EXPECT_FALSE(environment_secrets_allowed(ci, "", "Production")) << "CI-only runs deploy nothing";
  auto other_env_request = main;
  other_env_request.metadata["governance_request"]["environment"] = "Development";
  EXPECT_FALSE(environment_secrets_allowed(other_env_request, "", "Production"));
  auto no_project = main;
  no_project.project_id = "";
  EXPECT_FALSE(environment_secrets_allowed(no_project, "", "Production"));

  // A tag named like the protected branch: admitted as a tag or nothing.
  const auto tag = admitted("Production", "tag", "main");
  EXPECT_TRUE(environment_secrets_allowed(tag, "main", "Production"))
      << "admitted as the tag it is (the environment's tag rules passed)";
  auto tag_as_branch = admitted("Production", "branch", "main");
  EXPECT_FALSE(environment_secrets_allowed(tag_as_branch, "main", "Production"))
      << "a run of tag 'main' admitted as branch 'main' gets no environment secrets";
  auto branch_as_tag = admitted("Production", "tag", "v1");
  EXPECT_FALSE(environment_secrets_allowed(branch_as_tag, "", "Production"));
  auto other_branch = main;
  other_branch.branch = "feature";
  EXPECT_FALSE(environment_secrets_allowed(other_branch, "", "Production"));
}

TEST(StepVariablesEnvironmentTest, ConfigIsBelowSecretsAndSystemVariablesWin) {
  StepEnvironment env({{"PATH", "/bin"}}, {{"REGION", "pipeline"}, {"API_TOKEN", "pipeline"}});
  pipeline::Node node;
  node.id = "deploy";
  StepVariables vars;
  vars.config = {{"REGION", "eu-west"}, {"API_TOKEN", "config"}};
  vars.secrets = {{"API_TOKEN", "secret-value"}, {"OPZENIX_NODE_ID", "spoof"}};
  StepFacts facts{"e", "deploy", 1, "main", "", "abc", "Production", "/o", "/w"};
  auto out = env.build(node, facts, {}, &vars);
  auto has = [&](const std::string& entry) {
    return std::find(out.begin(), out.end(), entry) != out.end();
  };
  EXPECT_TRUE(has("REGION=eu-west"));
  EXPECT_TRUE(has("API_TOKEN=secret-value"));
  EXPECT_TRUE(has("OPZENIX_NODE_ID=deploy"));
}

constexpr const char* kCanary = "CANARY/\"s3cr3t\" v@lue+42";
constexpr const char* kMultiLine = "first-line-of-secret\nsecond-line-of-secret";

class StepSecretsEngineTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    options_.step_variables = [this](const StepVariableRequest& r) -> Result<StepVariables> {
      std::lock_guard lock(mu_);
      requests_.push_back(r);
      StepVariables v;
      v.config = {{"REGION", "eu-west"}};
      v.secrets = {{"CANARY_TOKEN", kCanary}, {"MULTI_SECRET", kMultiLine}, {"SHORT", "abc"}};
      return v;
    };
  }

  // Every form of the canaries that must never be stored or sent.
  static std::vector<std::string> forbidden() {
    return {kCanary,
            "first-line-of-secret",
            "second-line-of-secret",
            secrets::to_base64(kCanary),
            secrets::percent_encode(kCanary, true, false),
            secrets::json_escape(kCanary, false)};
  }

  static size_t leaks(const std::string& text) {
    size_t n = 0;
    for (const std::string& f : forbidden())
      for (size_t at = text.find(f); at != std::string::npos; at = text.find(f, at + 1)) ++n;
    return n;
  }

  std::mutex mu_;
  std::vector<StepVariableRequest> requests_;
};

TEST_F(StepSecretsEngineTest, EveryFormOfAnInjectedSecretIsMaskedBeforeAnythingStoresIt) {
  start_engine();
  const std::string url = secrets::percent_encode(kCanary, true, false);
  NewExecution r = request(R"YAML(
nodes:
  leak:
    run: |
      echo "plain: $CANARY_TOKEN"
      printf 'split: '; printf '%s' "$CANARY_TOKEN" | head -c 5; printf '%s\n' "$CANARY_TOKEN" | tail -c +6
      printf 'out: '; printf '%s' "$CANARY_TOKEN" | head -c 9
      printf 'err: ' >&2; printf '%s' "$CANARY_TOKEN" | head -c 3 >&2
      printf '%s\n' "$CANARY_TOKEN" | tail -c +10
      printf '%s\n' "$CANARY_TOKEN" | tail -c +4 >&2
      printf '%s\n' "$MULTI_SECRET"
      printf 'b64: %s\n' "$(printf '%s' "$CANARY_TOKEN" | base64 -w0)"
      printf 'basic: %s\n' "$(printf 'user:%s' "$CANARY_TOKEN" | base64 -w0)"
      echo "url: https://x.example/?t=)YAML" + url + R"YAML("
      printf '{"token":"%s"}\n' "$(printf '%s' "$CANARY_TOKEN" | sed 's/\\/\\\\/g; s/"/\\"/g')"
      echo "short: $SHORT region: $REGION"
)YAML");
  const std::string id = submit(std::move(r));
  ASSERT_EQ(wait_finished(id), "success") << describe(id);

  std::string all;
  for (const std::string& line : log_messages(id, "leak")) all += line + "\n";
  EXPECT_EQ(leaks(all), 0u) << all;
  EXPECT_NE(all.find("plain: ***"), std::string::npos) << all;
  EXPECT_NE(all.find("split: ***"), std::string::npos) << all;
  EXPECT_NE(all.find("out: ***"), std::string::npos) << all;
  EXPECT_NE(all.find("err: ***"), std::string::npos) << all;
  EXPECT_NE(all.find("b64: ***"), std::string::npos) << all;
  EXPECT_NE(all.find("url: https://x.example/?t=***"), std::string::npos) << all;
  EXPECT_NE(all.find("{\"token\":\"***\"}"), std::string::npos) << all;
  EXPECT_NE(all.find("short: abc region: eu-west"), std::string::npos)
      << "values under eight bytes and configuration are shown";
  EXPECT_EQ(leaks(node(id, "leak").logs), 0u) << "the node's tail";

  auto rows = db_->read([&](store::SqlSession& s) {
    return s.query("SELECT COALESCE(record, '') || COALESCE(old, '') AS text FROM realtime_events");
  });
  ASSERT_TRUE(rows.ok());
  ASSERT_FALSE(rows->empty());
  for (const auto& row : *rows) EXPECT_EQ(leaks(row["text"].as_text()), 0u);
  auto stored = db_->read([&](store::SqlSession& s) {
    return s.query("SELECT message FROM execution_logs");
  });
  ASSERT_TRUE(stored.ok());
  for (const auto& row : *stored) EXPECT_EQ(leaks(row["message"].as_text()), 0u);
  size_t log_events = 0;
  for (const auto& e : events_through_finish(id)) {
    if (e->kind == EventKind::kLogs) ++log_events;
    EXPECT_EQ(leaks(e->reason + e->data.dump(-1, ' ', false, Json::error_handler_t::replace)), 0u);
  }
  EXPECT_GT(log_events, 0u);

  std::lock_guard lock(mu_);
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(requests_[0].environment, "Development");
  EXPECT_FALSE(requests_[0].environment_scoped) << "submitted without governance";
}

TEST_F(StepSecretsEngineTest, AValueCutBetweenThePiecesOfAnOverLongLineIsMasked) {
  start_engine();
  // 65,530 bytes, then the value: the runner cuts the line after 65,536
  // bytes, six bytes into the value.
  const std::string id = submit(R"YAML(
nodes:
  long:
    run: |
      head -c 65530 /dev/zero | tr '\0' x; printf '%s\n' "$CANARY_TOKEN"
      echo "after: $CANARY_TOKEN"
)YAML");
  ASSERT_EQ(wait_finished(id), "success") << describe(id);
  const auto lines = log_messages(id, "long", "stdout");
  std::string all;
  for (const std::string& line : lines) all += line;
  EXPECT_EQ(leaks(all), 0u);
  EXPECT_EQ(all.find("CANARY"), std::string::npos) << "not even the first bytes of the value";
  EXPECT_EQ(all.find("v@lue"), std::string::npos);
  EXPECT_EQ(std::count(all.begin(), all.end(), 'x'), 65530);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.back(), "after: ***");
  EXPECT_NE(lines[lines.size() - 2].find("x***"), std::string::npos);
}

TEST_F(StepSecretsEngineTest, ASecretThatCannotBeReadFailsTheNodeWithoutRunningIt) {
  options_.step_variables = [](const StepVariableRequest&) -> Result<StepVariables> {
    return Error::unavailable("secret DB_PASSWORD does not decrypt");
  };
  start_engine();
  const std::string id = submit("nodes:\n  a:\n    run: echo ran\n");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_NE(node(id, "a").error.find("DB_PASSWORD does not decrypt"), std::string::npos);
  const auto lines = log_messages(id, "a", "stdout");
  EXPECT_TRUE(lines.empty());
}

TEST_F(StepSecretsEngineTest, CheckpointsRecordConfigurationButNeverSecrets) {
  start_engine();
  const std::string id = submit(R"(
nodes:
  build:
    checkpoint: true
    run: echo built
)");
  ASSERT_EQ(wait_finished(id), "success") << describe(id);
  auto rows = db_->read([&](store::SqlSession& s) {
    return s.query("SELECT state FROM checkpoints WHERE execution_id = $1", {id});
  });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const std::string state = (*rows)[0]["state"].as_text();
  EXPECT_NE(state.find("\"REGION\":\"eu-west\""), std::string::npos) << state;
  EXPECT_EQ(leaks(state), 0u) << state;
  EXPECT_EQ(state.find("CANARY_TOKEN"), std::string::npos) << state;
}

}  // namespace
}  // namespace opz::engine
