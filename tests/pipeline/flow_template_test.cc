#include "pipeline/flow_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/pipeline_yaml.h"

namespace opz::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char* kNodes = R"([
  {"id": "deploy", "type": "deploy", "position": {"x": 400, "y": 0}, "selected": true,
   "data": {"label": "Deploy to prod", "run": "./deploy.sh", "environment": "Production",
            "if": "branch == 'main'", "retry": true, "with": {"strategy": "rolling"}}},
  {"id": "build", "type": "build", "position": {"x": 0, "y": 0},
   "data": {"label": "Build", "steps": [{"name": "make", "run": "make"}], "timeout": "10m",
            "env": {"CI": true}}},
  {"id": "gate", "type": "approval",
   "data": {"label": "Approve", "with": {"required_approvals": 2}}},
  {"id": "test", "data": {"run": "make test", "continue_on_error": true}}
])";
const char* kEdges = R"([
  {"id": "e1", "source": "build", "target": "test", "animated": true},
  {"id": "e2", "source": "test", "target": "gate"},
  {"id": "e3", "source": "gate", "target": "deploy", "sourceHandle": "out"},
  {"id": "e4", "source": "build", "target": "test"}
])";

std::vector<std::string> ids(const Pipeline& p) {
  std::vector<std::string> out;
  for (const Node& n : p.nodes) out.push_back(n.id);
  return out;
}

TEST(CompileFlowTemplate, CompilesToTheModel) {
  auto p = compile_flow_template(Json::parse(kNodes), Json::parse(kEdges), "Prod release");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->name, "Prod release");
  EXPECT_THAT(ids(*p), ElementsAre("build", "test", "gate", "deploy"));
  const Node& build = p->nodes[0];
  EXPECT_EQ(build.name, "Build");
  EXPECT_EQ(build.type, NodeType::kBuild);
  EXPECT_EQ(build.steps, (std::vector<Step>{{"make", "make"}}));
  EXPECT_EQ(build.timeout, std::chrono::minutes{10});
  EXPECT_EQ(build.env.at("CI"), "true");
  EXPECT_EQ(build.line, 0);
  const Node& test = p->nodes[1];
  EXPECT_EQ(test.type, NodeType::kRun);           // no type: run
  EXPECT_EQ(test.name, "test");                   // no label: the id
  EXPECT_THAT(test.needs, ElementsAre("build"));  // the duplicate edge e4 counts once
  EXPECT_TRUE(test.continue_on_error);
  EXPECT_THAT(p->nodes[2].needs, ElementsAre("test"));
  EXPECT_EQ(p->nodes[2].with["required_approvals"], 2);
  const Node& deploy = p->nodes[3];
  EXPECT_THAT(deploy.needs, ElementsAre("gate"));
  EXPECT_EQ(deploy.environment, "Production");
  EXPECT_EQ(deploy.retry, RetryPolicy::seeds_default());
  EXPECT_EQ(deploy.condition->to_string(), "branch == 'main'");
  EXPECT_TRUE(deploy.checkpoint);
}

TEST(CompileFlowTemplate, SameModelAsTheEquivalentYaml) {
  auto flow = compile_flow_template(Json::parse(R"([
      {"id": "a", "type": "build", "data": {"run": "make", "retry": {"max_attempts": 2}}},
      {"id": "b", "type": "test",
       "data": {"label": "b", "run": "make test", "if": {"branch": "main"}}}])"),
                                    Json::parse(R"([{"source": "a", "target": "b"}])"), "p");
  auto yaml = parse_pipeline_yaml(R"(name: p
nodes:
  a: {type: build, run: make, retry: {max_attempts: 2}}
  b: {type: test, needs: a, run: make test, if: {branch: main}}
)");
  ASSERT_TRUE(flow.ok()) << flow.error().to_string();
  ASSERT_TRUE(yaml.ok()) << yaml.error().to_string();
  for (Node& n : yaml->nodes) n.line = 0;
  EXPECT_EQ(*flow, *yaml);
}

TEST(CompileFlowTemplate, EdgesToUnknownNodes) {
  ValidationReport r = validate_flow_template(
      Json::parse(R"([{"id": "a", "data": {"run": "x"}}, {"id": "b", "data": {"run": "y"}}])"),
      Json::parse(R"([{"source": "a", "target": "b"}, {"source": "a", "target": "zz"},
                      {"source": "ghost", "target": "b"}, {"source": "b", "target": "b"},
                      {"target": "a"}, 7])"));
  ASSERT_FALSE(r.valid);
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[0].message, "edges[1].target: unknown node 'zz'");
  EXPECT_EQ(r.errors[0].field, "edges[1].target");
  EXPECT_EQ(r.errors[1].message, "edges[2].source: unknown node 'ghost'");
  EXPECT_EQ(r.errors[1].field, "edges[2].source");
  EXPECT_EQ(r.errors[2].message, "edges[3]: node 'b' cannot need itself");
  EXPECT_EQ(r.errors[3].message, "edges[4]: an edge needs a source");
  EXPECT_EQ(r.errors[4].message, "edges[5]: must be a map, got a number");
  EXPECT_EQ(r.node_count, 2u);
  EXPECT_EQ(r.edge_count, 1u);
}

TEST(CompileFlowTemplate, NodeProblemsUseJsonPaths) {
  ValidationReport r = validate_flow_template(Json::parse(R"([
      {"id": "a", "data": {"run": "x", "retry": "often", "colour": "red"}},
      {"id": "a", "data": {"run": "y"}},
      {"id": "bad id", "data": {"run": "z"}},
      {"type": "build", "data": {"run": "z"}},
      {"id": "c", "type": "robot", "data": {"run": "z"}},
      {"id": "d", "type": "deploy", "data": {}},
      {"id": "e", "data": {"run": "z", "if": "branch === 'x'"}}])"),
                                              Json::array());
  std::vector<std::string> fields;
  for (const Error& e : r.errors) fields.push_back(e.field);
  EXPECT_THAT(fields, ElementsAre("nodes[0].data.colour", "nodes[0].data.retry", "nodes[1].id",
                                  "nodes[2].id", "nodes[3]", "nodes[4].type", "nodes[5].data",
                                  "nodes[6].data.if"));
  EXPECT_THAT(r.errors[0].message,
              HasSubstr("nodes[0].data: unknown key 'colour'; allowed keys: label"));
  EXPECT_EQ(r.errors[2].message, "nodes[1].id: duplicate node id 'a' (also nodes[0])");
  EXPECT_EQ(r.errors[4].message, "nodes[3]: a node needs an id");
  EXPECT_EQ(r.errors[5].message, "nodes[4].type: unknown node type 'robot'");
  EXPECT_THAT(r.errors[7].message, HasSubstr("at column 10: expected a quoted pattern"));
}

TEST(CompileFlowTemplate, CycleThroughEdges) {
  auto p = compile_flow_template(
      Json::parse(R"([{"id": "a", "data": {"run": "x"}}, {"id": "b", "data": {"run": "x"}},
                      {"id": "c", "data": {"run": "x"}}])"),
      Json::parse(R"([{"source": "a", "target": "b"}, {"source": "b", "target": "c"},
                      {"source": "c", "target": "a"}])"),
      "p");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, "nodes[0]: cycle in needs: a → b → c → a");
  EXPECT_EQ(p.error().field, "nodes[0]");
}

TEST(CompileFlowTemplate, ShapeProblems) {
  auto empty = compile_flow_template(Json::array(), Json::array(), "p");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "nodes: must be a non-empty list of nodes, got an empty list");
  auto object = compile_flow_template(Json::object(), Json::array(), "p");
  EXPECT_EQ(object.error().message, "nodes: must be a non-empty list of nodes, got a map");
  auto bad_edges = compile_flow_template(Json::parse(R"([{"id": "a", "data": {"run": "x"}}])"),
                                         Json::object(), "p");
  EXPECT_EQ(bad_edges.error().message, "edges: must be a list of {source, target}, got a map");
  auto no_edges =
      compile_flow_template(Json::parse(R"([{"id": "a", "data": {"run": "x"}}])"), nullptr, "p");
  EXPECT_TRUE(no_edges.ok());
  auto bad_data = compile_flow_template(Json::parse(R"([{"id": "a", "data": [1]}])"), nullptr, "p");
  EXPECT_EQ(bad_data.error().message, "nodes[0].data: must be a map, got a list");
}

TEST(CompileFlowTemplate, NodeLimit) {
  Json nodes = Json::array();
  for (int i = 0; i <= 10'000; ++i)
    nodes.push_back({{"id", "n" + std::to_string(i)}, {"data", {{"run", "x"}}}});
  auto p = compile_flow_template(nodes, Json::array(), "p");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, "nodes: has 10001 nodes; the limit is 10000");
}

}  // namespace
}  // namespace opz::pipeline
