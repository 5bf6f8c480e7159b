#include "pipeline/deploy_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/flow_template.h"
#include "pipeline/pipeline_yaml.h"

namespace opz::pipeline {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

CanaryStep weight(int w) { return {CanaryStepKind::kSetWeight, w, {}, {}}; }
CanaryStep pause(std::optional<Millis> d) { return {CanaryStepKind::kPause, 0, d, {}}; }

// A pipeline whose one node `deploy` (line 2) is of type deploy and has the
// keys in `body` (indented four spaces; its first line is line 4).
std::string deploy_node(std::string_view body) {
  return "nodes:\n  deploy:\n    type: deploy\n" + std::string(body);
}

Node parse_deploy(std::string_view body) {
  auto p = parse_pipeline_yaml(deploy_node(body));
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  return p.ok() ? p->nodes.front() : Node{};
}

TEST(DeployReaderYaml, ANodeWithoutDeployKeysGetsTheDefaultSpec) {
  auto p = parse_pipeline_yaml(
      "nodes:\n  build: {type: build, run: make}\n"
      "  deploy: {type: deploy, needs: build, steps: [{name: a, run: ./deploy.sh}]}\n");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->nodes[0].deploy, std::nullopt);
  EXPECT_EQ(p->nodes[1].deploy, DeploySpec{});
  EXPECT_EQ(p->nodes[1].steps, (std::vector<Step>{{"a", "./deploy.sh"}}));
}

TEST(DeployReaderYaml, Rolling) {
  Node n = parse_deploy(R"(    environment: Production
    strategy: rolling
    version: "v{sha7}"
    auto_rollback: false
    run: ./deploy.sh
    health_check:
      http: {url: "http://127.0.0.1:8081/health", expect_status: 204, body_contains: ok}
      retries: 5
      interval: 2s
      timeout: 500ms
      success_threshold: 2
    hooks:
      migrate: {run: ./migrate.sh, when: pre_deploy, retry: {max_attempts: 4, initial: 1s, max: 10s}, deadline: 2m}
      seed: {run: ./seed.sh}
      rollback: {run: ./down.sh}
)");
  DeploySpec want;
  want.auto_rollback = false;
  want.version = "v{sha7}";
  want.health_check = HealthCheckSpec{
      HttpProbeSpec{"http://127.0.0.1:8081/health", 204, "ok"}, "", 5, seconds{2}, Millis{500}, 2};
  want.hooks.migrate =
      HookSpec{"./migrate.sh", HookWhen::kPreDeploy, 4, seconds{1}, seconds{10}, minutes{2}};
  want.hooks.seed = HookSpec{};
  want.hooks.seed->run = "./seed.sh";
  want.hooks.seed->when = HookWhen::kPostDeploy;  // seed's default
  want.hooks.rollback = HookSpec{};
  want.hooks.rollback->run = "./down.sh";
  EXPECT_EQ(n.deploy, want);
  EXPECT_EQ(n.steps, (std::vector<Step>{{"run", "./deploy.sh"}}));
}

TEST(DeployReaderYaml, BlueGreen) {
  Node n = parse_deploy(R"(    strategy: blue_green
    run: ./deploy.sh "$OPZENIX_SLOT"
    health_check: {command: "curl -fsS http://127.0.0.1/health"}
    switch: ./switch.sh
    cleanup: ./stop-idle.sh
    cleanup_delay: 30s
)");
  DeploySpec want;
  want.strategy = DeployStrategy::kBlueGreen;
  want.health_check = HealthCheckSpec{};
  want.health_check->command = "curl -fsS http://127.0.0.1/health";
  want.switch_command = "./switch.sh";
  want.cleanup_command = "./stop-idle.sh";
  want.cleanup_delay = seconds{30};
  EXPECT_EQ(n.deploy, want);
}

TEST(DeployReaderYaml, CanaryStepsAreTypedAndTheCommandComesFromRun) {
  Node n = parse_deploy(R"(    strategy: canary
    traffic: ./weights.sh
    run: ./deploy.sh
    steps:
      - set_weight: 10
      - pause: 5m
      - analysis:
          command: ./error-rate.sh
          threshold: {max: 0.01}
          min_samples: 5
          interval: 1s
          failure_limit: 2
      - pause: {}
      - analysis: {health: {http: {url: "https://example.test/health"}}}
      - set_weight: 100
)");
  AnalysisSpec metric;
  metric.command = "./error-rate.sh";
  metric.max = 0.01;
  metric.failure_limit = 2;
  AnalysisSpec health;
  health.health = HealthCheckSpec{};
  health.health->http = HttpProbeSpec{"https://example.test/health", 200, ""};
  DeploySpec want;
  want.strategy = DeployStrategy::kCanary;
  want.traffic_command = "./weights.sh";
  want.steps = {weight(10),
                pause(minutes{5}),
                {CanaryStepKind::kAnalysis, 0, {}, metric},
                pause(std::nullopt),
                {CanaryStepKind::kAnalysis, 0, {}, health},
                weight(100)};
  EXPECT_EQ(n.deploy, want);
  EXPECT_EQ(n.steps, (std::vector<Step>{{"run", "./deploy.sh"}}));
}

TEST(DeployReaderYaml, CanaryWithoutStepsGetsTheDefaultSteps) {
  Node n = parse_deploy("    strategy: canary\n    traffic: ./w.sh\n    run: ./d.sh\n");
  ASSERT_TRUE(n.deploy);
  EXPECT_EQ(n.deploy->steps, default_canary_steps());
}

TEST(DeployReaderYaml, StrategyFromWithStaysAccepted) {
  Node n = parse_deploy("    with: {strategy: blue_green}\n    switch: ./s.sh\n    run: ./d.sh\n");
  ASSERT_TRUE(n.deploy);
  EXPECT_EQ(n.deploy->strategy, DeployStrategy::kBlueGreen);
  EXPECT_EQ(n.with, (Json{{"strategy", "blue_green"}}));  // kept as given
  n = parse_deploy("    strategy: rolling\n    with: {strategy: rolling}\n    run: ./d.sh\n");
  EXPECT_EQ(n.deploy, DeploySpec{});
  // Not a name: opaque `with` data as before typed strategies.
  n = parse_deploy("    with: {strategy: {kind: canary}}\n    run: ./d.sh\n");
  EXPECT_EQ(n.deploy, DeploySpec{});
}

TEST(DeployReaderYaml, FlowTemplateNodesTakeTheSameKeys) {
  auto p = compile_flow_template(Json::parse(R"([
    {"id": "d", "type": "deploy",
     "data": {"run": "./d.sh", "with": {"strategy": "canary"}, "traffic": "./w.sh"}},
    {"id": "r", "type": "deploy", "data": {"run": "./d.sh"}}])"),
                                 Json::array(), "t");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  ASSERT_TRUE(p->nodes[0].deploy);
  EXPECT_EQ(p->nodes[0].deploy->strategy, DeployStrategy::kCanary);
  EXPECT_EQ(p->nodes[0].deploy->steps, default_canary_steps());
  EXPECT_EQ(p->nodes[1].deploy, DeploySpec{});
  auto bad = compile_flow_template(
      Json::parse(R"([{"id": "d", "type": "deploy", "data": {"run": "x", "strategy": "big"}}])"),
      Json::array(), "t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "nodes[0].data.strategy");
}

// The single error of `body`: its path (the message's start) and its line.
struct Expected {
  const char* body;
  const char* path;
  int line;
  const char* says;
};

TEST(DeployReaderYaml, EachBadInputNamesItsFieldAndLine) {
  const Expected cases[] = {
      {"    strategy: recreate\n    run: x\n", "nodes.deploy.strategy", 4,
       "unknown strategy 'recreate'; expected one of rolling, blue_green, canary"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n      - set_weight: 101\n",
       "nodes.deploy.steps[0].set_weight", 8, "must be an integer between 0 and 100"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n      - set_weight: -1\n",
       "nodes.deploy.steps[0].set_weight", 8, "must be an integer between 0 and 100"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n      - set_weight: 50\n"
       "      - pause: 1m\n      - set_weight: 50\n",
       "nodes.deploy.steps[2].set_weight", 10, "must be greater than the previous set_weight (50)"},
      {"    run: x\n    health_check: {http: {url: \"ftp://h/health\"}}\n",
       "nodes.deploy.health_check.http.url", 5, "must be an http:// or https:// URL"},
      {"    run: x\n    health_check: {http: {url: \"127.0.0.1:80/health\"}}\n",
       "nodes.deploy.health_check.http.url", 5, "must be an http:// or https:// URL"},
      {"    run: x\n    health_check: {http: {url: \"http://h\"}, command: c}\n",
       "nodes.deploy.health_check", 5, "give either http or command, not both"},
      {"    run: x\n    health_check: {retries: 2}\n", "nodes.deploy.health_check", 5,
       "a health check needs http"},
      {"    run: x\n    health_check: {command: c, retries: 0}\n",
       "nodes.deploy.health_check.retries", 5, "must be an integer between 1 and 100"},
      {"    run: x\n    health_check: {command: c, success_threshold: 0}\n",
       "nodes.deploy.health_check.success_threshold", 5, "must be an integer between 1"},
      {"    run: x\n    health_check: {command: c, interval: banana}\n",
       "nodes.deploy.health_check.interval", 5, "invalid duration"},
      {"    run: x\n    health_check: {command: c, timeout: 1ms}\n",
       "nodes.deploy.health_check.timeout", 5, "must be between 10ms and 1h"},
      {"    run: x\n    hooks: {migrate: {run: m, when: later}}\n",
       "nodes.deploy.hooks.migrate.when", 5, "must be pre_deploy or post_deploy, got 'later'"},
      {"    run: x\n    hooks:\n      seed: {when: post_deploy}\n", "nodes.deploy.hooks.seed", 6,
       "a hook needs run"},
      {"    run: x\n    hooks:\n      migrate: {run: m, retry: {max_attempts: 0}}\n",
       "nodes.deploy.hooks.migrate.retry.max_attempts", 6, "must be an integer between 1 and 100"},
      {"    run: x\n    hooks:\n      migrate: {run: m, retry: {initial: 1m, max: 1s}}\n",
       "nodes.deploy.hooks.migrate.retry", 6, "initial (1m) must not be greater than max (1s)"},
      {"    run: x\n    hooks: {deploy: {run: m}}\n", "nodes.deploy.hooks", 5,
       "unknown key 'deploy'"},
      {"    strategy: blue_green\n    run: x\n", "nodes.deploy.strategy", 4,
       "a blue_green deploy needs switch"},
      {"    with: {strategy: blue_green}\n    run: x\n", "nodes.deploy.with.strategy", 4,
       "a blue_green deploy needs switch"},
      {"    strategy: canary\n    run: x\n", "nodes.deploy.strategy", 4,
       "a canary deploy needs traffic"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n      - analysis: "
       "{min_samples: 2}\n",
       "nodes.deploy.steps[0].analysis", 8, "an analysis needs command"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n      - analysis: {command: "
       "c}\n",
       "nodes.deploy.steps[0].analysis", 8, "needs threshold"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n"
       "      - analysis: {command: c, threshold: {max: 1}, min_samples: 0}\n",
       "nodes.deploy.steps[0].analysis.min_samples", 8, "must be an integer between 1"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n"
       "      - analysis: {command: c, threshold: {max: 1}, failure_limit: 0}\n",
       "nodes.deploy.steps[0].analysis.failure_limit", 8, "must be an integer between 1"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n"
       "      - analysis: {url: \"file:///x\", threshold: {max: 1}}\n",
       "nodes.deploy.steps[0].analysis.url", 8, "must be an http:// or https:// URL"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n"
       "      - set_weight: 10\n      - name: deploy\n        run: y\n",
       "nodes.deploy.steps[1]", 9,
       "a canary step is a map with one of set_weight, pause or analysis"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n"
       "      - {set_weight: 10, pause: 1m}\n",
       "nodes.deploy.steps[0]", 8, "not several"},
      {"    strategy: canary\n    traffic: t\n    run: x\n    steps:\n      - pause: {until: go}\n",
       "nodes.deploy.steps[0].pause", 8, "or {} to wait until promoted"},
      {"    strategy: canary\n    traffic: t\n    steps:\n      - set_weight: 10\n", "nodes.deploy",
       2, "its steps are canary steps, so the deploy command goes in run"},
      {"    run: x\n    steps:\n      - set_weight: 10\n", "nodes.deploy.steps", 5,
       "only canary deploys take steps (this one is rolling)"},
      {"    switch: s\n    run: x\n", "nodes.deploy.switch", 4,
       "only blue_green deploys take switch"},
      {"    strategy: canary\n    with: {strategy: rolling}\n    traffic: t\n    run: x\n",
       "nodes.deploy.with.strategy", 5, "says rolling but strategy says canary"},
      {"    environment: Production\n", "nodes.deploy", 2, "has nothing to run"},
  };
  for (const Expected& c : cases) {
    SCOPED_TRACE(c.body);
    ValidationReport report = validate_pipeline_yaml(deploy_node(c.body));
    ASSERT_EQ(report.errors.size(), 1u) << report.errors.front().message;
    const Error& e = report.errors.front();
    EXPECT_EQ(e.code, ErrorCode::kValidation);
    EXPECT_THAT(e.message, StartsWith(std::string(c.path) + ": "));
    EXPECT_THAT(e.message, HasSubstr(c.says));
    EXPECT_THAT(e.field, StartsWith(std::to_string(c.line) + ":"));
  }
}

TEST(DeployReaderYaml, DeployKeysOnOtherNodes) {
  ValidationReport report = validate_pipeline_yaml(
      "nodes:\n  build:\n    run: make\n    strategy: canary\n    health_check: {command: c}\n");
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].message, "nodes.build.strategy: only deploy nodes take strategy");
  EXPECT_EQ(report.errors[0].field, "4:5");
  EXPECT_EQ(report.errors[1].message,
            "nodes.build.health_check: only deploy nodes take health_check");
}

TEST(DeployReaderYaml, CanaryStepListDetection) {
  EXPECT_TRUE(is_canary_step_list(Json::parse(R"([{"run": "x"}, {"pause": null}])")));
  EXPECT_TRUE(is_canary_step_list(Json::parse(R"([{"analysis": {}}])")));
  EXPECT_FALSE(is_canary_step_list(Json::parse(R"(["set_weight", {"name": "a", "run": "x"}])")));
  EXPECT_FALSE(is_canary_step_list(Json::parse(R"({"set_weight": 10})")));
}

}  // namespace
}  // namespace opz::pipeline
