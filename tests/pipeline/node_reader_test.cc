#include "pipeline/node_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace opz::pipeline {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;

class NodeReaderTest : public ::testing::Test {
 protected:
  Node read(const Json& fields, NodeType type = NodeType::kRun) {
    Node node;
    node.id = "n";
    node.type = type;
    read_node_body(fields, "nodes[0].data", node, diag_);
    return node;
  }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const Error& e : diag_.errors()) out.push_back(e.message);
    return out;
  }
  JsonSourceMap source_;
  Diagnostics diag_{source_};
};

TEST_F(NodeReaderTest, ReadsAllBodyFields) {
  Node n = read(Json::parse(R"({
    "description": "d", "steps": [{"name": "a", "run": "x"}, "y"], "env": {"K": "v"},
    "timeout": "5m", "retry": {"max_attempts": 4}, "if": {"tag": "v*"},
    "environment": "Staging", "checkpoint": true, "continue_on_error": true,
    "with": {"k": [1, 2]}})"));
  EXPECT_TRUE(diag_.ok()) << messages()[0];
  EXPECT_EQ(n.description, "d");
  EXPECT_EQ(n.steps, (std::vector<Step>{{"a", "x"}, {"step 2", "y"}}));
  EXPECT_EQ(n.env.at("K"), "v");
  EXPECT_EQ(n.timeout, minutes{5});
  EXPECT_EQ(n.retry, (RetryPolicy{4, seconds{2}, seconds{60}}));
  ASSERT_TRUE(n.condition);
  EXPECT_EQ(n.condition->to_string(), "tag =~ 'v*'");
  EXPECT_EQ(n.environment, "Staging");
  EXPECT_TRUE(n.checkpoint);
  EXPECT_TRUE(n.continue_on_error);
  EXPECT_EQ(n.with, Json::parse(R"({"k": [1, 2]})"));
}

TEST_F(NodeReaderTest, RunShorthandAndTypeDefaults) {
  Node n = read({{"run", "make"}}, NodeType::kDeploy);
  EXPECT_EQ(n.steps, (std::vector<Step>{{"run", "make"}}));
  EXPECT_TRUE(n.checkpoint);
  EXPECT_FALSE(n.continue_on_error);
  EXPECT_EQ(n.retry, RetryPolicy{});
  Node gate = read(Json::object(), NodeType::kApproval);
  EXPECT_TRUE(diag_.ok());
  EXPECT_TRUE(gate.steps.empty());
  EXPECT_FALSE(gate.checkpoint);
}

TEST_F(NodeReaderTest, StepProblems) {
  read({{"steps", Json::array()}});
  read({{"steps", {{{"name", "no run"}}}}});
  read({{"steps", {{{"run", "x"}, {"shell", "bash"}}}}});
  read({{"steps", {42}}});
  ASSERT_EQ(diag_.errors().size(), 4u);
  EXPECT_EQ(messages()[0],
            "nodes[0].data.steps: must be a list of 1 to 100 steps ({name, run}), got 0 items");
  EXPECT_EQ(messages()[1], "nodes[0].data.steps[0]: a step needs run (the command to execute)");
  EXPECT_THAT(messages()[2], HasSubstr("nodes[0].data.steps[0]: unknown key 'shell'"));
  EXPECT_EQ(messages()[3], "nodes[0].data.steps[0]: must be a map with name and run, got a number");
  EXPECT_EQ(diag_.errors()[1].field, "nodes[0].data.steps[0]");
}

TEST_F(NodeReaderTest, NothingToRun) {
  read(Json::object(), NodeType::kBuild);
  ASSERT_EQ(diag_.errors().size(), 1u);
  EXPECT_THAT(messages()[0], HasSubstr("node 'n' has nothing to run"));
  EXPECT_EQ(diag_.errors()[0].field, "nodes[0].data");
}

TEST_F(NodeReaderTest, ReadRetryForms) {
  EXPECT_EQ(read_retry(true, "r", diag_), RetryPolicy::seeds_default());
  EXPECT_EQ(read_retry(false, "r", diag_), RetryPolicy{});
  EXPECT_EQ(read_retry(nullptr, "r", diag_), RetryPolicy::seeds_default());
  EXPECT_EQ(read_retry(Json::object(), "r", diag_), RetryPolicy::seeds_default());
  EXPECT_EQ(read_retry({{"initial", "500ms"}, {"max", 3}}, "r", diag_),
            (RetryPolicy{7, Millis{500}, seconds{3}}));
  EXPECT_TRUE(diag_.ok());
  EXPECT_FALSE(read_retry({{"max_attempts", 101}}, "r", diag_));
  EXPECT_FALSE(read_retry({{"max", "2d"}}, "r", diag_));
  EXPECT_FALSE(read_retry("often", "r", diag_));
  EXPECT_EQ(diag_.errors().size(), 3u);
  EXPECT_EQ(messages()[1], "r.max: must be between 0ms and 24h, got '2d'");
}

TEST_F(NodeReaderTest, ReadConditionForms) {
  auto c = read_condition({{"branch", {"main", "release/*"}}, {"environment", "Production"}}, "if",
                          diag_);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->evaluate({"release/2", "", "Production"}));
  EXPECT_FALSE(c->evaluate({"release/2", "", "Staging"}));
  EXPECT_FALSE(c->evaluate({"dev", "", "Production"}));
  EXPECT_FALSE(read_condition(Json::object(), "if", diag_));
  EXPECT_EQ(messages().back(), "if: must name at least one of branch, tag or environment");
  EXPECT_FALSE(read_condition({{"tag", Json::array()}}, "if", diag_));
  EXPECT_EQ(messages().back(),
            "if.tag: must be a pattern or a non-empty list of patterns, got a list");
  EXPECT_FALSE(read_condition({{"tag", {""}}}, "if", diag_));
  EXPECT_EQ(messages().back(), "if.tag[0]: must not be empty");
  EXPECT_FALSE(read_condition(true, "if", diag_));
  EXPECT_THAT(messages().back(), HasSubstr("if: must be an expression such as"));
  EXPECT_FALSE(read_condition("branch == ", "if", diag_));
  EXPECT_EQ(messages().back(),
            "if: invalid condition at column 11: expected a quoted pattern such as 'main'");
}

TEST_F(NodeReaderTest, ConditionsMustFitTheLimitAsCanonicalText) {
  Json many = Json::array();
  for (int i = 0; i < 300; ++i) many.push_back("release/" + std::to_string(i));
  EXPECT_FALSE(read_condition({{"branch", many}}, "if", diag_));
  EXPECT_EQ(messages().back(),
            "if: the condition is longer than 4096 characters once written as an expression");
  std::string dense;
  for (int i = 0; i < 300; ++i) dense += (i ? "||" : "") + std::string("tag=='x'");
  ASSERT_LE(dense.size(), 4096u);
  EXPECT_FALSE(read_condition(dense, "if", diag_));
  EXPECT_EQ(diag_.errors().size(), 2u);
}

TEST_F(NodeReaderTest, WrongValuesKeepDefaults) {
  Node n = read({{"run", "x"}, {"timeout", "0s"}, {"environment", ""}, {"continue_on_error", "no"}},
                NodeType::kTest);
  EXPECT_EQ(diag_.errors().size(), 3u);
  EXPECT_FALSE(n.timeout.has_value());
  EXPECT_EQ(n.environment, "");
  EXPECT_FALSE(n.continue_on_error);
  EXPECT_TRUE(n.checkpoint);
}

}  // namespace
}  // namespace opz::pipeline
