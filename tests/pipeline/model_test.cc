#include "pipeline/model.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace opz::pipeline {
namespace {

using std::chrono::seconds;

TEST(RetryPolicy, SeedsDefaultWaitsTwoToSixtySeconds) {
  RetryPolicy policy = RetryPolicy::seeds_default();
  EXPECT_EQ(policy.max_attempts, 7);  // the first attempt + the seeds' 6 retries
  EXPECT_EQ(policy.initial, seconds{2});
  EXPECT_EQ(policy.max, seconds{60});
  std::vector<Millis> delays;
  for (int attempt = 2; attempt <= policy.max_attempts; ++attempt)
    delays.push_back(policy.delay_before(attempt));
  EXPECT_EQ(delays, (std::vector<Millis>{seconds{2}, seconds{4}, seconds{8}, seconds{16},
                                         seconds{32}, seconds{60}}));
}

TEST(RetryPolicy, FirstAttemptHasNoDelayAndTheCapHolds) {
  RetryPolicy policy{10, Millis{500}, seconds{3}};
  EXPECT_EQ(policy.delay_before(1), Millis{0});
  EXPECT_EQ(policy.delay_before(0), Millis{0});
  EXPECT_EQ(policy.delay_before(-3), Millis{0});
  EXPECT_EQ(policy.delay_before(2), Millis{500});
  EXPECT_EQ(policy.delay_before(3), Millis{1000});
  EXPECT_EQ(policy.delay_before(4), Millis{2000});
  EXPECT_EQ(policy.delay_before(5), seconds{3});
  EXPECT_EQ(policy.delay_before(1'000'000), seconds{3});
  EXPECT_EQ((RetryPolicy{3, Millis{0}, seconds{5}}).delay_before(3), Millis{0});
}

TEST(RetryPolicy, DefaultMeansOneAttempt) {
  RetryPolicy policy;
  EXPECT_EQ(policy.max_attempts, 1);
  EXPECT_EQ(policy.initial, seconds{2});
  EXPECT_EQ(policy.max, seconds{60});
}

TEST(NodeType, NamesRoundTrip) {
  for (NodeType t :
       {NodeType::kTrigger, NodeType::kBuild, NodeType::kTest, NodeType::kScan, NodeType::kApproval,
        NodeType::kDeploy, NodeType::kNotify, NodeType::kRun, NodeType::kGithubWorkflow}) {
    EXPECT_EQ(node_type_from_string(to_string(t)), t) << to_string(t);
  }
  EXPECT_EQ(to_string(NodeType::kGithubWorkflow), "github_workflow");
  EXPECT_FALSE(node_type_from_string("Build").has_value());
  EXPECT_FALSE(node_type_from_string("").has_value());
}

TEST(NodeType, SeedsCheckpointTable) {
  EXPECT_TRUE(checkpoint_by_default(NodeType::kBuild));
  EXPECT_TRUE(checkpoint_by_default(NodeType::kTest));
  EXPECT_TRUE(checkpoint_by_default(NodeType::kScan));
  EXPECT_TRUE(checkpoint_by_default(NodeType::kDeploy));
  EXPECT_TRUE(checkpoint_by_default(NodeType::kGithubWorkflow));
  EXPECT_FALSE(checkpoint_by_default(NodeType::kTrigger));
  EXPECT_FALSE(checkpoint_by_default(NodeType::kApproval));
  EXPECT_FALSE(checkpoint_by_default(NodeType::kNotify));
  EXPECT_FALSE(checkpoint_by_default(NodeType::kRun));
}

TEST(NodeType, WhichTypesMayHaveNoSteps) {
  EXPECT_TRUE(may_have_no_steps(NodeType::kTrigger));
  EXPECT_TRUE(may_have_no_steps(NodeType::kApproval));
  EXPECT_TRUE(may_have_no_steps(NodeType::kNotify));
  EXPECT_TRUE(may_have_no_steps(NodeType::kGithubWorkflow));
  EXPECT_FALSE(may_have_no_steps(NodeType::kRun));
  EXPECT_FALSE(may_have_no_steps(NodeType::kDeploy));
  EXPECT_FALSE(may_have_no_steps(NodeType::kBuild));
}

Node node(std::string id, std::vector<std::string> needs = {}) {
  Node n;
  n.id = std::move(id);
  n.needs = std::move(needs);
  return n;
}

TEST(Pipeline, IndexOfAndEdgeCount) {
  Pipeline p;
  p.nodes.push_back(node("a"));
  p.nodes.push_back(node("b", {"a"}));
  p.nodes.push_back(node("c", {"a", "b"}));
  EXPECT_EQ(p.index_of("a"), 0u);
  EXPECT_EQ(p.index_of("c"), 2u);
  EXPECT_FALSE(p.index_of("zz").has_value());
  EXPECT_EQ(p.edge_count(), 3u);
}

}  // namespace
}  // namespace opz::pipeline
