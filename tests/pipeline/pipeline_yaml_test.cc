#include "pipeline/pipeline_yaml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace opz::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> ids(const Pipeline& p) {
  std::vector<std::string> out;
  for (const Node& n : p.nodes) out.push_back(n.id);
  return out;
}

// The single error of an invalid definition.
Error only_error(std::string_view yaml) {
  ValidationReport report = validate_pipeline_yaml(yaml);
  EXPECT_FALSE(report.valid);
  EXPECT_EQ(report.errors.size(), 1u)
      << (report.errors.empty() ? "" : report.errors[1 % report.errors.size()].message);
  return report.errors.empty() ? Error{} : report.errors.front();
}

TEST(ParsePipelineYaml, RunsOnNamesAgentLabels) {
  auto p = parse_pipeline_yaml(R"y(nodes:
  build:
    run: make
    runs_on: [linux, docker, linux]
  test:
    run: make test
    runs_on: gpu
  lint:
    run: make lint
)y");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_THAT(p->nodes[0].runs_on, ElementsAre("linux", "docker"));
  EXPECT_THAT(p->nodes[1].runs_on, ElementsAre("gpu"));
  EXPECT_TRUE(p->nodes[2].runs_on.empty());
  Error e = only_error("nodes:\n  build:\n    run: make\n    runs_on: [linux, 'bad label']\n");
  EXPECT_THAT(e.message, HasSubstr("runs_on[1]: must be a label"));
}

TEST(ParsePipelineYaml, ReadsEveryField) {
  auto p = parse_pipeline_yaml(R"y(name: web
env: {GO: "1.22", PORT: 0080, DEBUG: true, RATIO: 1.10, EMPTY: }
max_parallel: 3
fail_fast: true
timeout: 1h
nodes:
  build:
    type: build
    name: Build it
    description: compiles
    timeout: 90s
    run: make
  deploy:
    type: deploy
    needs: [build]
    environment: Production
    if: branch == 'main'
    retry: {max_attempts: 3, initial: 1s, max: 5s}
    continue_on_error: true
    checkpoint: false
    env: {A: x}
    with: {strategy: rolling, replicas: 3}
    steps:
      - name: push
        run: ./push.sh
      - run: ./verify.sh
)y");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->name, "web");
  EXPECT_EQ(p->env.at("GO"), "1.22");
  EXPECT_EQ(p->env.at("PORT"), "0080");  // written text kept, not the number 80
  EXPECT_EQ(p->env.at("DEBUG"), "true");
  EXPECT_EQ(p->env.at("RATIO"), "1.10");
  EXPECT_EQ(p->env.at("EMPTY"), "");
  EXPECT_EQ(p->max_parallel, 3);
  EXPECT_TRUE(p->fail_fast);
  EXPECT_EQ(p->timeout, Millis{3'600'000});
  ASSERT_THAT(ids(*p), ElementsAre("build", "deploy"));
  const Node& build = p->nodes[0];
  EXPECT_EQ(build.name, "Build it");
  EXPECT_EQ(build.description, "compiles");
  EXPECT_EQ(build.type, NodeType::kBuild);
  EXPECT_EQ(build.timeout, Millis{90'000});
  EXPECT_EQ(build.steps, (std::vector<Step>{{"run", "make"}}));
  EXPECT_TRUE(build.checkpoint);  // build nodes checkpoint by default
  EXPECT_EQ(build.retry, RetryPolicy{});
  EXPECT_FALSE(build.condition.has_value());
  EXPECT_EQ(build.line, 7);
  const Node& deploy = p->nodes[1];
  EXPECT_EQ(deploy.name, "deploy");
  EXPECT_THAT(deploy.needs, ElementsAre("build"));
  EXPECT_EQ(deploy.environment, "Production");
  ASSERT_TRUE(deploy.condition.has_value());
  EXPECT_EQ(deploy.condition->to_string(), "branch == 'main'");
  EXPECT_EQ(deploy.retry, (RetryPolicy{3, Millis{1000}, Millis{5000}}));
  EXPECT_TRUE(deploy.continue_on_error);
  EXPECT_FALSE(deploy.checkpoint);
  EXPECT_EQ(deploy.env.at("A"), "x");
  EXPECT_EQ(deploy.with, (Json{{"strategy", "rolling"}, {"replicas", 3}}));
  EXPECT_EQ(deploy.steps, (std::vector<Step>{{"push", "./push.sh"}, {"step 2", "./verify.sh"}}));
  EXPECT_EQ(deploy.line, 13);
}

TEST(ParsePipelineYaml, DefaultsAndNodesWithoutSteps) {
  auto p = parse_pipeline_yaml(R"y(nodes:
  start: {type: trigger}
  gate: {type: approval, needs: start}
  gh: {type: github_workflow, needs: gate, with: {workflow: ci.yml}}
  tell: {type: notify, needs: gh}
  job: {needs: tell, run: echo hi}
)y");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->name, "");
  EXPECT_EQ(p->max_parallel, 0);
  EXPECT_FALSE(p->fail_fast);
  EXPECT_FALSE(p->timeout.has_value());
  EXPECT_EQ(p->nodes[0].type, NodeType::kTrigger);
  EXPECT_FALSE(p->nodes[0].checkpoint);
  EXPECT_TRUE(p->nodes[0].steps.empty());
  EXPECT_FALSE(p->nodes[1].checkpoint);
  EXPECT_TRUE(p->nodes[2].checkpoint);  // github_workflow
  EXPECT_EQ(p->nodes[2].with["workflow"], "ci.yml");
  EXPECT_EQ(p->nodes[4].type, NodeType::kRun);
  EXPECT_FALSE(p->nodes[4].checkpoint);
  EXPECT_EQ(p->nodes[4].with, Json::object());
}

TEST(ParsePipelineYaml, RetryTrueAndEmptyMapGiveTheSeedsSchedule) {
  auto p = parse_pipeline_yaml(R"y(nodes:
  a: {run: x, retry: true}
  b: {run: x, retry: {}}
  c: {run: x, retry: false}
  d: {run: x, retry: {max_attempts: 2}}
)y");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->nodes[0].retry, RetryPolicy::seeds_default());
  EXPECT_EQ(p->nodes[1].retry, RetryPolicy::seeds_default());
  EXPECT_EQ(p->nodes[2].retry, RetryPolicy{});
  EXPECT_EQ(p->nodes[3].retry, (RetryPolicy{2, Millis{2000}, Millis{60000}}));
  std::vector<Millis> delays;
  for (int attempt = 2; attempt <= p->nodes[0].retry.max_attempts; ++attempt)
    delays.push_back(p->nodes[0].retry.delay_before(attempt));
  using std::chrono::seconds;
  EXPECT_EQ(delays, (std::vector<Millis>{seconds{2}, seconds{4}, seconds{8}, seconds{16},
                                         seconds{32}, seconds{60}}));
}

TEST(ParsePipelineYaml, BothConditionForms) {
  auto p = parse_pipeline_yaml(R"y(nodes:
  a:
    run: x
    if: {branch: [main, "release/*"], environment: Production}
  b:
    run: x
    if: "tag =~ 'v*' || (branch == 'main' && environment != 'Development')"
)y");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  const Condition& a = *p->nodes[0].condition;
  EXPECT_EQ(a.to_string(),
            "(branch =~ 'main' || branch =~ 'release/*') && environment =~ 'Production'");
  EXPECT_TRUE(a.evaluate({"release/1.2", "", "Production"}));
  EXPECT_FALSE(a.evaluate({"release/1.2", "", "Staging"}));
  EXPECT_FALSE(a.evaluate({"develop", "", "Production"}));
  const Condition& b = *p->nodes[1].condition;
  EXPECT_TRUE(b.evaluate({"", "v1.0", ""}));
  EXPECT_TRUE(b.evaluate({"main", "", "Production"}));
  EXPECT_FALSE(b.evaluate({"main", "", "Development"}));
}

TEST(ParsePipelineYaml, TopologicalOrderIsStableByDeclaration) {
  auto p = parse_pipeline_yaml(R"y(nodes:
  deploy: {needs: [test, scan], run: x}
  scan: {needs: build, run: x}
  zeta: {run: x}
  test: {needs: build, run: x}
  build: {run: x}
  alpha: {run: x}
)y");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  // Ready nodes are taken in declaration order: zeta, build, alpha are roots.
  EXPECT_THAT(ids(*p), ElementsAre("zeta", "build", "scan", "test", "deploy", "alpha"));
}

TEST(ParsePipelineYaml, DeduplicatesRepeatedNeeds) {
  auto p = parse_pipeline_yaml("nodes:\n  a: {run: x}\n  b: {needs: [a, a], run: x}\n");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->nodes[1].needs, ElementsAre("a"));
  EXPECT_EQ(p->edge_count(), 1u);
}

TEST(ParsePipelineYamlErrors, SyntaxErrorHasLineAndColumn) {
  auto p = parse_pipeline_yaml("name: x\nnodes:\n  a: [1, 2\n  b: {run: y}\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kMalformed);
  EXPECT_THAT(p.error().message, HasSubstr("YAML syntax error at line "));
  EXPECT_EQ(p.error().field, "4:4");
  EXPECT_EQ(p.error().message,
            "YAML syntax error at line 4, column 4: end of sequence flow not found");
}

TEST(ParsePipelineYamlErrors, UnknownKeysAreAllReportedWithAllowedKeys) {
  ValidationReport r = validate_pipeline_yaml(R"y(name: x
stages: [a]
nodes:
  build:
    need: test
    run: make
  test:
    run: make test
    timeout_s: 5
)y");
  ASSERT_FALSE(r.valid);
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].message,
            "unknown top-level key 'stages'; allowed keys: name, env, max_parallel, fail_fast, "
            "timeout, nodes");
  EXPECT_EQ(r.errors[0].field, "2:1");
  EXPECT_EQ(r.errors[1].message,
            "nodes.build: unknown key 'need' (did you mean 'needs'?); allowed keys: type, name, "
            "needs, description, run, steps, env, timeout, retry, if, environment, checkpoint, "
            "continue_on_error, with, strategy, auto_rollback, version, health_check, hooks, "
            "switch, cleanup, cleanup_delay, traffic, runs_on");
  EXPECT_EQ(r.errors[1].field, "5:5");
  EXPECT_EQ(r.errors[2].code, ErrorCode::kValidation);
  EXPECT_THAT(r.errors[2].message, HasSubstr("nodes.test: unknown key 'timeout_s'"));
  EXPECT_EQ(r.errors[2].field, "9:5");
  EXPECT_EQ(r.node_count, 2u);
}

TEST(ParsePipelineYamlErrors, DuplicateNodeIds) {
  Error e = only_error("nodes:\n  build: {run: a}\n  test: {run: b}\n  build: {run: c}\n");
  EXPECT_EQ(e.message, "nodes: duplicate node id 'build' (first defined at line 2)");
  EXPECT_EQ(e.field, "4:3");
  EXPECT_EQ(e.code, ErrorCode::kValidation);
}

TEST(ParsePipelineYamlErrors, DuplicateKeysInsideANode) {
  Error e = only_error("nodes:\n  build:\n    run: a\n    run: b\n");
  EXPECT_EQ(e.message, "nodes.build: duplicate key 'run' (first defined at line 3)");
  EXPECT_EQ(e.field, "4:5");
}

TEST(ParsePipelineYamlErrors, AllMissingNeedsAreReported) {
  ValidationReport r = validate_pipeline_yaml(R"y(nodes:
  a: {run: x, needs: ghost}
  b: {run: x, needs: [a, phantom, b]}
)y");
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].message, "nodes.a.needs: unknown node 'ghost'");
  EXPECT_EQ(r.errors[0].field, "2:22");
  EXPECT_EQ(r.errors[1].message, "nodes.b.needs[1]: unknown node 'phantom'");
  EXPECT_EQ(r.errors[1].field, "3:26");
  EXPECT_EQ(r.errors[2].message, "nodes.b.needs[2]: node 'b' cannot need itself");
  EXPECT_EQ(r.errors[2].field, "3:35");
  EXPECT_EQ(r.edge_count, 1u);
}

TEST(ParsePipelineYamlErrors, CycleIsReportedAsItsPath) {
  Error e = only_error(R"y(nodes:
  start: {run: x}
  a: {run: x, needs: [start, c]}
  b: {run: x, needs: a}
  c: {run: x, needs: b}
  after: {run: x, needs: c}
)y");
  EXPECT_EQ(e.message, "nodes.a: cycle in needs: a → b → c → a");
  EXPECT_EQ(e.field, "3:3");
}

TEST(ParsePipelineYamlErrors, NodeWithoutRunOrSteps) {
  Error e = only_error("nodes:\n  build:\n    type: build\n");
  EXPECT_EQ(e.message,
            "nodes.build: node 'build' has nothing to run: add run or steps (only trigger, "
            "approval, notify and github_workflow nodes may have none)");
  EXPECT_EQ(e.field, "2:3");
  Error both = only_error("nodes:\n  a:\n    run: x\n    steps: [{run: y}]\n");
  EXPECT_EQ(both.message, "nodes.a.steps: use either run or steps, not both");
  EXPECT_EQ(both.field, "4:5");
}

TEST(ParsePipelineYamlErrors, WrongTypes) {
  ValidationReport r = validate_pipeline_yaml(R"y(max_parallel: many
fail_fast: yes
nodes:
  a:
    run: x
    needs: 5
    timeout: banana
    checkpoint: 1
    env: [A]
    with: 3
    type: robot
)y");
  ASSERT_EQ(r.errors.size(), 8u);
  EXPECT_EQ(r.errors[0].message,
            "max_parallel: must be an integer between 0 and 10000, got a string");
  EXPECT_EQ(r.errors[0].field, "1:15");
  EXPECT_EQ(r.errors[1].message, "fail_fast: must be true or false, got a string");
  EXPECT_EQ(r.errors[2].message,
            "nodes.a.needs: must be a node id or a list of node ids, got a number");
  EXPECT_EQ(r.errors[2].field, "6:12");
  EXPECT_EQ(r.errors[3].message,
            "nodes.a.timeout: invalid duration 'banana': use a number with ms, s, m, h or d "
            "(e.g. 2s, 5m, 1h30m)");
  EXPECT_EQ(r.errors[3].field, "7:14");
  EXPECT_EQ(r.errors[4].message, "nodes.a.checkpoint: must be true or false, got a number");
  EXPECT_EQ(r.errors[5].message, "nodes.a.env: must be a map, got a list");
  EXPECT_EQ(r.errors[6].message, "nodes.a.with: must be a map, got a number");
  EXPECT_EQ(r.errors[7].message,
            "nodes.a.type: unknown node type 'robot'; expected one of trigger, build, test, "
            "scan, approval, deploy, notify, run, github_workflow");
}

TEST(ParsePipelineYamlErrors, RetryProblems) {
  ValidationReport r = validate_pipeline_yaml(R"y(nodes:
  a: {run: x, retry: {max_attempts: 0}}
  b: {run: x, retry: {initial: 2m, max: 1m}}
  c: {run: x, retry: 3}
  d: {run: x, retry: {attempts: 3}}
)y");
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[0].message,
            "nodes.a.retry.max_attempts: must be an integer between 1 and 100, got 0");
  EXPECT_EQ(r.errors[0].field, "2:37");
  EXPECT_EQ(r.errors[1].message, "nodes.b.retry: initial (2m) must not be greater than max (1m)");
  EXPECT_THAT(r.errors[2].message, HasSubstr("nodes.c.retry: must be true, false or a map"));
  EXPECT_THAT(r.errors[3].message, HasSubstr("nodes.d.retry: unknown key 'attempts'"));
}

TEST(ParsePipelineYamlErrors, ConditionErrorsPointAtTheColumn) {
  Error e = only_error("nodes:\n  a:\n    run: x\n    if: branch = 'main'\n");
  EXPECT_EQ(e.message,
            "nodes.a.if: invalid condition at column 8: expected ==, !=, =~ or !~ after branch");
  EXPECT_EQ(e.field, "4:16");  // the '=' in the line
  Error quoted =
      only_error("nodes:\n  a:\n    run: x\n    if: \"branch == 'main' && sha == 'x'\"\n");
  EXPECT_THAT(quoted.message, HasSubstr("at column 21: unknown subject 'sha'"));
  EXPECT_EQ(quoted.field, "4:30");  // +1 for the opening quote
  ValidationReport r =
      validate_pipeline_yaml("nodes:\n  a:\n    run: x\n    if: {branch: [\"[x\"], actor: me}\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_THAT(r.errors[0].message, HasSubstr("nodes.a.if.branch[0]: bad glob '[x'"));
  EXPECT_THAT(r.errors[1].message, HasSubstr("nodes.a.if: unknown key 'actor'"));
}

TEST(ParsePipelineYamlErrors, EmptyPipelines) {
  EXPECT_EQ(only_error("").message, "the pipeline definition is empty: it needs a nodes map");
  EXPECT_EQ(only_error("# only a comment\n").field, "1:1");
  EXPECT_EQ(only_error("name: x\n").message,
            "the pipeline has no nodes: add a nodes map (node id -> node)");
  EXPECT_EQ(only_error("name: x\nnodes: {}\n").field, "2:1");
  EXPECT_EQ(only_error("- a\n- b\n").message,
            "the pipeline definition must be a map with name and nodes, got a list");
  EXPECT_EQ(only_error("nodes: [a, b]\n").message,
            "nodes: must be a map from node id to node (like GitHub's jobs:), got a list");
  EXPECT_EQ(only_error("nodes:\n  a:\n").message,
            "nodes.a: must be a map of the node's fields (run, needs, ...), got an empty value");
}

TEST(ParsePipelineYamlErrors, Limits) {
  Error bad_id = only_error("nodes:\n  \"a b\": {run: x}\n");
  EXPECT_EQ(bad_id.message,
            "nodes: invalid node id 'a b': use 1 to 100 letters, digits, '_', '.' or '-' (not "
            "'.' or '..')");
  EXPECT_EQ(bad_id.field, "2:3");
  // Path segments with a meaning of their own: their log routes are unreachable.
  for (const char* dots : {".", ".."}) {
    EXPECT_THAT(only_error(std::string("nodes:\n  \"") + dots + "\": {run: x}\n").message,
                HasSubstr("invalid node id '" + std::string(dots) + "'"));
  }
  EXPECT_TRUE(parse_pipeline_yaml("nodes:\n  \"...\": {run: x}\n  .a: {run: y}\n").ok());
  std::string long_id(101, 'x');
  EXPECT_THAT(only_error("nodes:\n  " + long_id + ": {run: x}\n").message,
              HasSubstr("invalid node id"));
  std::string command(64 * 1024 + 1, 'e');
  EXPECT_EQ(only_error("nodes:\n  a: {run: " + command + "}\n").message,
            "nodes.a.run: is 65537 bytes long; the limit is 65536");
  std::string ok_command(64 * 1024, 'e');
  EXPECT_TRUE(parse_pipeline_yaml("nodes:\n  a: {run: " + ok_command + "}\n").ok());

  std::string too_many = "nodes:\n";
  for (int i = 0; i <= 10'000; ++i) too_many += "  n" + std::to_string(i) + ": {run: x}\n";
  Error e = only_error(too_many);
  EXPECT_EQ(e.message, "nodes: has 10001 nodes; the limit is 10000");

  std::string huge = "nodes:\n  a: {run: x}\n# " + std::string(1024 * 1024, 'x') + "\n";
  auto big = parse_pipeline_yaml(huge);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
}

TEST(ParsePipelineYamlErrors, FirstErrorInDocumentOrder) {
  auto p = parse_pipeline_yaml("nodes:\n  b: {run: x, needs: zz}\n  a: {run: 5}\nbogus: 1\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, "nodes.b.needs: unknown node 'zz'");
  EXPECT_EQ(p.error().field, "2:22");
}

TEST(ParsePipelineYamlErrors, ManyProblemsAreCapped) {
  std::string text = "nodes:\n";
  for (int i = 0; i < 500; ++i) text += "  n" + std::to_string(i) + ": {run: x, bad: 1}\n";
  ValidationReport r = validate_pipeline_yaml(text);
  ASSERT_EQ(r.errors.size(), 101u);
  EXPECT_EQ(r.errors.back().message, "too many problems; only the first 100 are listed");
}

TEST(ValidatePipelineYaml, SummaryOfAValidPipeline) {
  ValidationReport r = validate_pipeline_yaml(
      "nodes:\n  t: {needs: b, run: x}\n  b: {run: x}\n  s: {needs: [b], run: y}\n");
  EXPECT_TRUE(r.valid);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.node_count, 3u);
  EXPECT_EQ(r.edge_count, 2u);
  EXPECT_THAT(r.order, ElementsAre("b", "t", "s"));
}

TEST(ValidatePipelineYaml, InvalidReportHasNoOrder) {
  ValidationReport r = validate_pipeline_yaml("nodes:\n  a: {run: x}\n  b: {run: x, bad: 1}\n");
  EXPECT_FALSE(r.valid);
  EXPECT_TRUE(r.order.empty());
  EXPECT_EQ(r.node_count, 2u);
}

std::filesystem::path repo_root() {
  std::filesystem::path dir = std::filesystem::path(__FILE__).parent_path();
  while (!dir.empty() && dir != dir.root_path()) {
    if (std::filesystem::exists(dir / "CMakeLists.txt") &&
        std::filesystem::is_directory(dir / "examples"))
      return dir;
    dir = dir.parent_path();
  }
  return {};
}

TEST(Examples, EveryExampleParses) {
  std::filesystem::path root = repo_root();
  ASSERT_FALSE(root.empty()) << "repository root not found from " << __FILE__;
  int parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root / "examples")) {
    if (entry.path().extension() != ".yml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto p = parse_pipeline_yaml(text);
    EXPECT_TRUE(p.ok()) << entry.path() << ": " << (p.ok() ? "" : p.error().to_string());
    ++parsed;
  }
  EXPECT_GE(parsed, 3);
}

TEST(Examples, TheFullExampleHasTheDocumentedShape) {
  std::ifstream in(repo_root() / "examples" / "opzenix.yml", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto p = parse_pipeline_yaml(text);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_THAT(ids(*p), ElementsAre("build", "test", "scan", "approve", "deploy", "notify"));
  EXPECT_EQ(p->nodes[4].retry, RetryPolicy::seeds_default());
  EXPECT_EQ(p->nodes[4].environment, "Production");
  EXPECT_EQ(p->nodes[3].with["required_approvals"], 2);
}

}  // namespace
}  // namespace opz::pipeline
