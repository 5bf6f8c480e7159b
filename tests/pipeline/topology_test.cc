#include "pipeline/topology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opz::pipeline {
namespace {

using ::testing::ElementsAre;

struct Graph {
  std::vector<Node> nodes;
  std::vector<std::vector<std::string>> need_paths;
  std::vector<std::string> node_paths;

  void add(std::string id, std::vector<std::string> needs = {}) {
    std::vector<std::string> paths;
    for (size_t k = 0; k < needs.size(); ++k)
      paths.push_back("nodes." + id + ".needs[" + std::to_string(k) + "]");
    node_paths.push_back("nodes." + id);
    Node node;
    node.id = std::move(id);
    node.needs = std::move(needs);
    nodes.push_back(std::move(node));
    need_paths.push_back(std::move(paths));
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const Node& n : nodes) out.push_back(n.id);
    return out;
  }
};

class TopologyTest : public ::testing::Test {
 protected:
  JsonSourceMap source_;
  Diagnostics diag_{source_};
};

TEST_F(TopologyTest, CheckNeedsReportsUnknownAndSelfAndDropsDuplicates) {
  Graph g;
  g.add("a");
  g.add("b", {"a", "ghost", "b", "a"});
  check_needs(g.nodes, g.need_paths, diag_);
  ASSERT_EQ(diag_.errors().size(), 2u);
  EXPECT_EQ(diag_.errors()[0].message, "nodes.b.needs[1]: unknown node 'ghost'");
  EXPECT_EQ(diag_.errors()[0].field, "nodes.b.needs[1]");
  EXPECT_EQ(diag_.errors()[1].message, "nodes.b.needs[2]: node 'b' cannot need itself");
  EXPECT_THAT(g.nodes[1].needs, ElementsAre("a"));
}

TEST_F(TopologyTest, OrderIsTopologicalAndStable) {
  Graph g;
  g.add("deploy", {"test", "lint"});
  g.add("test", {"build"});
  g.add("lint");
  g.add("build");
  g.add("docs");
  ASSERT_TRUE(order_topologically(g.nodes, g.node_paths, diag_));
  EXPECT_THAT(g.ids(), ElementsAre("lint", "build", "test", "deploy", "docs"));
  EXPECT_TRUE(diag_.ok());
}

TEST_F(TopologyTest, AlreadyOrderedInputKeepsItsOrder) {
  Graph g;
  g.add("a");
  g.add("b", {"a"});
  g.add("c");
  g.add("d", {"b", "c"});
  ASSERT_TRUE(order_topologically(g.nodes, g.node_paths, diag_));
  EXPECT_THAT(g.ids(), ElementsAre("a", "b", "c", "d"));
}

TEST_F(TopologyTest, CycleIsReportedInRunOrderFromTheFirstDeclaredNode) {
  Graph g;
  g.add("x");
  g.add("c", {"b"});
  g.add("a", {"c", "x"});
  g.add("b", {"a"});
  g.add("tail", {"b"});
  EXPECT_FALSE(order_topologically(g.nodes, g.node_paths, diag_));
  ASSERT_EQ(diag_.errors().size(), 1u);
  // c needs b, b needs a, a needs c: a runs before b, b before c, c before a.
  EXPECT_EQ(diag_.errors()[0].message, "nodes.c: cycle in needs: c → a → b → c");
  EXPECT_EQ(diag_.errors()[0].field, "nodes.c");
  EXPECT_THAT(g.ids(), ElementsAre("x", "c", "a", "b", "tail"));  // unchanged
}

TEST_F(TopologyTest, TwoNodeCycleReachedFromADownstreamNode) {
  Graph g;
  g.add("late", {"p"});
  g.add("p", {"q"});
  g.add("q", {"p"});
  EXPECT_FALSE(order_topologically(g.nodes, g.node_paths, diag_));
  EXPECT_EQ(diag_.errors()[0].message, "nodes.p: cycle in needs: p → q → p");
}

TEST_F(TopologyTest, LongChainIsFast) {
  Graph g;
  for (int i = 9999; i >= 0; --i) {
    if (i == 9999)
      g.add("n" + std::to_string(i));
    else
      g.add("n" + std::to_string(i), {"n" + std::to_string(i + 1)});
  }
  ASSERT_TRUE(order_topologically(g.nodes, g.node_paths, diag_));
  EXPECT_EQ(g.nodes.front().id, "n9999");
  EXPECT_EQ(g.nodes.back().id, "n0");
}

}  // namespace
}  // namespace opz::pipeline
