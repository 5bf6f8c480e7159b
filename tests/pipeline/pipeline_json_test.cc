#include "pipeline/pipeline_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/pipeline_yaml.h"

namespace opz::pipeline {
namespace {

using ::testing::HasSubstr;

const char* kYaml = R"y(name: web
env: {A: "1", B: two}
max_parallel: 2
fail_fast: true
timeout: 2h
nodes:
  start: {type: trigger}
  build:
    type: build
    needs: start
    description: compile it
    steps: [{name: a, run: make}, {name: b, run: make install}]
    env: {CC: gcc}
    timeout: 5m
    retry: true
  deploy:
    type: deploy
    name: Deploy!
    needs: [build]
    environment: Production
    if: "(branch == 'main' || tag =~ 'v*') && environment != \"it's\""
    continue_on_error: true
    checkpoint: false
    with: {strategy: {kind: canary, steps: [10, 50, 100]}, note: null}
    run: ./deploy.sh
)y";

TEST(PipelineJson, RoundTripIsExact) {
  auto p = parse_pipeline_yaml(kYaml);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  Json j = to_json(*p);
  auto back = pipeline_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, *p);
  // Also through text, as stored in the database.
  auto reparsed = pipeline_from_json(Json::parse(j.dump()));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*reparsed, *p);
  EXPECT_EQ(to_json(*reparsed), j);
}

TEST(PipelineJson, CanonicalShape) {
  auto p = parse_pipeline_yaml("nodes:\n  a: {run: make}\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(to_json(*p), Json::parse(R"({
    "format": 1, "name": "", "env": {}, "max_parallel": 0, "fail_fast": false, "timeout_ms": null,
    "nodes": [{"id": "a", "name": "a", "description": "", "type": "run", "needs": [],
               "steps": [{"name": "run", "run": "make"}], "env": {}, "timeout_ms": null,
               "retry": {"max_attempts": 1, "initial_ms": 2000, "max_ms": 60000},
               "if": null, "environment": "", "checkpoint": false, "continue_on_error": false,
               "with": {}, "line": 2}]})"));
}

TEST(PipelineJson, RunsOnRoundTripsAndIsAbsentWhenEmpty) {
  auto p = parse_pipeline_yaml("nodes:\n  a: {run: make, runs_on: [linux, gpu]}\n  b: {run: ls}\n");
  ASSERT_TRUE(p.ok());
  Json j = to_json(*p);
  EXPECT_EQ(j["nodes"][0]["runs_on"], Json::parse(R"(["linux", "gpu"])"));
  EXPECT_FALSE(j["nodes"][1].contains("runs_on"));
  auto back = pipeline_from_json(j);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *p);
}

TEST(PipelineJson, DetailsOfTheRoundTrip) {
  auto p = parse_pipeline_yaml(kYaml);
  ASSERT_TRUE(p.ok());
  Json j = to_json(*p);
  EXPECT_EQ(j["timeout_ms"], 7'200'000);
  EXPECT_EQ(j["nodes"][1]["retry"],
            Json::parse(R"({"max_attempts": 7, "initial_ms": 2000, "max_ms": 60000})"));
  EXPECT_EQ(j["nodes"][2]["if"], "(branch == 'main' || tag =~ 'v*') && environment != \"it's\"");
  EXPECT_EQ(j["nodes"][2]["with"]["strategy"]["steps"], Json::parse("[10, 50, 100]"));
}

class PipelineFromJsonErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = parse_pipeline_yaml("nodes:\n  a: {run: x}\n  b: {needs: a, run: y}\n");
    ASSERT_TRUE(p.ok());
    good_ = to_json(*p);
  }
  Error error_of(const Json& j) {
    auto p = pipeline_from_json(j);
    EXPECT_FALSE(p.ok());
    return p.ok() ? Error{} : p.error();
  }
  Json good_;
};

TEST_F(PipelineFromJsonErrors, ShapeAndTypes) {
  EXPECT_EQ(error_of(Json::array()).message, "pipeline: must be a map, got a list");
  Json j = good_;
  j["format"] = 2;
  EXPECT_EQ(error_of(j).message, "format: must be an integer between 1 and 1, got 2");
  j = good_;
  j.erase("nodes");
  EXPECT_EQ(error_of(j).message, "missing nodes");
  j = good_;
  j["nodes"][1]["retry"]["max_ms"] = "60s";
  Error e = error_of(j);
  EXPECT_EQ(e.field, "nodes[1].retry.max_ms");
  j = good_;
  j["nodes"][0]["extra"] = 1;
  EXPECT_THAT(error_of(j).message, HasSubstr("nodes[0]: unknown key 'extra'"));
  j = good_;
  j["nodes"][0]["if"] = "branch = 'x'";
  EXPECT_THAT(error_of(j).message, HasSubstr("nodes[0].if: invalid condition at column 8"));
  j = good_;
  j["nodes"][0]["type"] = "deploy";
  j["nodes"][0]["steps"] = Json::array();
  EXPECT_EQ(error_of(j).message, "nodes[0].steps: node 'a' has no steps");
}

TEST_F(PipelineFromJsonErrors, Graph) {
  Json j = good_;
  j["nodes"][1]["needs"] = {"zz"};
  EXPECT_EQ(error_of(j).message, "nodes[1].needs[0]: unknown node 'zz'");
  j = good_;
  j["nodes"][1]["id"] = "a";
  EXPECT_EQ(error_of(j).message, "nodes[1].id: duplicate node id 'a'");
  j = good_;
  j["nodes"][0]["needs"] = {"b"};
  EXPECT_EQ(error_of(j).message, "nodes[0]: cycle in needs: a → b → a");
}

TEST_F(PipelineFromJsonErrors, OutOfOrderNodesAreReordered) {
  Json j = good_;
  std::swap(j["nodes"][0], j["nodes"][1]);
  auto p = pipeline_from_json(j);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->nodes[0].id, "a");
  EXPECT_EQ(p->nodes[1].id, "b");
}

}  // namespace
}  // namespace opz::pipeline
