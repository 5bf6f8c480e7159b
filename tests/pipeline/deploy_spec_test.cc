#include "pipeline/deploy_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/pipeline_json.h"
#include "pipeline/pipeline_yaml.h"

namespace opz::pipeline {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

CanaryStep weight(int w) { return {CanaryStepKind::kSetWeight, w, {}, {}}; }
CanaryStep pause(std::optional<Millis> d) { return {CanaryStepKind::kPause, 0, d, {}}; }

TEST(DeployStrategy, NamesRoundTrip) {
  for (DeployStrategy s :
       {DeployStrategy::kRolling, DeployStrategy::kBlueGreen, DeployStrategy::kCanary})
    EXPECT_EQ(deploy_strategy_from_string(to_string(s)), s);
  EXPECT_EQ(to_string(DeployStrategy::kBlueGreen), "blue_green");
  EXPECT_EQ(deploy_strategy_from_string("Canary"), std::nullopt);
  EXPECT_EQ(deploy_strategy_from_string("recreate"), std::nullopt);
  EXPECT_EQ(hook_when_from_string("post_deploy"), HookWhen::kPostDeploy);
  EXPECT_EQ(hook_when_from_string("after"), std::nullopt);
  EXPECT_EQ(to_string(HookWhen::kPreDeploy), "pre_deploy");
}

TEST(DeploySpec, DefaultCanaryStepsAreTheSeeds) {
  EXPECT_EQ(default_canary_steps(),
            (std::vector<CanaryStep>{weight(10), pause(minutes{5}), weight(50), pause(minutes{5}),
                                     weight(100)}));
}

TEST(DeploySpec, AutoRollbackDefaultsToProductionOnly) {
  DeploySpec spec;
  EXPECT_TRUE(auto_rollback_enabled(spec, "Production"));
  EXPECT_FALSE(auto_rollback_enabled(spec, "production"));  // environments are exact names
  EXPECT_FALSE(auto_rollback_enabled(spec, "Staging"));
  EXPECT_FALSE(auto_rollback_enabled(spec, ""));
  spec.auto_rollback = false;
  EXPECT_FALSE(auto_rollback_enabled(spec, "Production"));
  spec.auto_rollback = true;
  EXPECT_TRUE(auto_rollback_enabled(spec, "Staging"));
}

TEST(DeploySpecJson, DefaultCanonicalShape) {
  EXPECT_EQ(to_json(DeploySpec{}), Json::parse(R"({
    "strategy": "rolling", "auto_rollback": null, "version": "", "health_check": null,
    "hooks": {"migrate": null, "seed": null, "rollback": null},
    "switch": "", "cleanup": "", "cleanup_delay_ms": 0, "traffic": "", "steps": []})"));
  auto back = deploy_spec_from_json(to_json(DeploySpec{}));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, DeploySpec{});
  auto empty = deploy_spec_from_json(Json::object());  // missing keys keep their defaults
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, DeploySpec{});
}

TEST(DeploySpecJson, FullSpecShapeAndRoundTrip) {
  DeploySpec spec;
  spec.strategy = DeployStrategy::kCanary;
  spec.auto_rollback = false;
  spec.version = "v{sha7}";
  spec.health_check = HealthCheckSpec{
      HttpProbeSpec{"https://x/health", 204, "ok"}, "", 2, Millis{250}, seconds{3}, 2};
  spec.hooks.migrate =
      HookSpec{"./migrate.sh", HookWhen::kPreDeploy, 3, seconds{1}, seconds{8}, seconds{60}};
  spec.hooks.rollback = HookSpec{};
  spec.hooks.rollback->run = "./down.sh";
  spec.traffic_command = "./weights.sh";
  AnalysisSpec analysis;
  analysis.command = "./error-rate.sh";
  analysis.max = 0.01;
  analysis.min_samples = 3;
  spec.steps = {
      weight(5), pause(std::nullopt), {CanaryStepKind::kAnalysis, 0, {}, analysis}, weight(100)};
  Json j = to_json(spec);
  EXPECT_EQ(j["health_check"], Json::parse(R"({
    "http": {"url": "https://x/health", "expect_status": 204, "body_contains": "ok"},
    "command": "", "retries": 2, "interval_ms": 250, "timeout_ms": 3000,
    "success_threshold": 2})"));
  EXPECT_EQ(j["hooks"]["migrate"], Json::parse(R"({"run": "./migrate.sh", "when": "pre_deploy",
    "retry": {"max_attempts": 3, "initial_ms": 1000, "max_ms": 8000}, "deadline_ms": 60000})"));
  EXPECT_EQ(j["steps"][1], Json::parse(R"({"pause_ms": null})"));
  EXPECT_EQ(j["steps"][2]["analysis"]["threshold"], Json::parse(R"({"max": 0.01, "min": null})"));
  auto back = deploy_spec_from_json(Json::parse(j.dump()));  // through text, as stored
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, spec);
  EXPECT_EQ(to_json(*back), j);
}

TEST(DeploySpecJson, StrictWithThePathAsField) {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"({"colour": 1})", "deploy.colour"},
      {R"({"strategy": "recreate"})", "deploy.strategy"},
      {R"({"auto_rollback": "yes"})", "deploy.auto_rollback"},
      {R"({"cleanup_delay": "30s"})", "deploy.cleanup_delay"},  // JSON durations are *_ms
      {R"({"health_check": {"command": "x", "interval_ms": "1s"}})",
       "deploy.health_check.interval_ms"},
      {R"({"health_check": {"http": {"url": "ftp://x"}}})", "deploy.health_check.http.url"},
      {R"({"strategy": "canary", "traffic": "t", "steps": [{"set_weight": "10"}]})",
       "deploy.steps[0].set_weight"},
      {R"({"strategy": "canary", "traffic": "t", "steps": [{"pause": 5}]})", "deploy.steps[0]"},
      {R"({"hooks": {"seed": {"run": ""}}})", "deploy.hooks.seed"},
      {R"({"steps": [{"set_weight": 10}]})", "deploy.steps"},  // canary steps on a rolling spec
  };
  for (const Case& c : cases) {
    auto r = deploy_spec_from_json(Json::parse(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_EQ(r.error().field, c.field) << c.json << ": " << r.error().message;
  }
  auto r = deploy_spec_from_json(Json::parse(R"({"strategy": 1})"), "nodes[2].deploy");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "nodes[2].deploy.strategy");
  EXPECT_THAT(r.error().message, StartsWith("nodes[2].deploy.strategy: must be a string"));
}

TEST(DeploySpecJson, CanaryWithoutStepsReadsTheDefaultSteps) {
  auto r = deploy_spec_from_json(Json::parse(R"({"strategy": "canary", "traffic": "./w.sh"})"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->steps, default_canary_steps());
}

const char* kPipeline = R"y(
nodes:
  build: {type: build, run: make}
  old:
    type: deploy
    needs: build
    run: ./deploy.sh
  canary:
    type: deploy
    needs: build
    environment: Production
    strategy: canary
    traffic: ./weights.sh
    run: ./deploy.sh
    health_check: {command: ./probe.sh, interval: 500ms}
    hooks: {migrate: {run: ./migrate.sh, retry: {max_attempts: 2}}}
    steps:
      - set_weight: 20
      - pause: {}
      - analysis: {url: "http://127.0.0.1:9/rate", threshold: {min: 0.5, max: 2}}
      - set_weight: 100
)y";

TEST(DeploySpecPipelineJson, DeployMemberRoundTrips) {
  auto p = parse_pipeline_yaml(kPipeline);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  Json j = to_json(*p);
  EXPECT_FALSE(j["nodes"][0].contains("deploy"));  // non-deploy nodes: no member
  EXPECT_EQ(j["nodes"][1]["deploy"], to_json(DeploySpec{}));
  EXPECT_EQ(j["nodes"][2]["deploy"]["steps"][2]["analysis"]["url"], "http://127.0.0.1:9/rate");
  auto back = pipeline_from_json(Json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, *p);
}

TEST(DeploySpecPipelineJson, OlderStoredPipelinesGetTheDefaultSpec) {
  auto p = parse_pipeline_yaml(kPipeline);
  ASSERT_TRUE(p.ok());
  Json j = to_json(*p);
  j["nodes"][1].erase("deploy");
  auto back = pipeline_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->nodes[1].deploy, DeploySpec{});
  EXPECT_EQ(back->nodes[0].deploy, std::nullopt);
}

TEST(DeploySpecPipelineJson, BadDeployMembersNameTheirPath) {
  auto p = parse_pipeline_yaml(kPipeline);
  ASSERT_TRUE(p.ok());
  Json j = to_json(*p);
  j["nodes"][0]["deploy"] = to_json(DeploySpec{});
  auto r = pipeline_from_json(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "nodes[0].deploy");
  EXPECT_THAT(r.error().message, HasSubstr("only deploy nodes"));

  j = to_json(*p);
  j["nodes"][2]["deploy"]["steps"][3]["set_weight"] = 10;
  r = pipeline_from_json(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "nodes[2].deploy.steps[3].set_weight");
  EXPECT_THAT(r.error().message, HasSubstr("greater than the previous set_weight (20)"));
}

}  // namespace
}  // namespace opz::pipeline
