#include "pipeline/model.h"

#include "core/backoff.h"

namespace opz::pipeline {
namespace {

struct NodeTypeName {
  NodeType type;
  std::string_view name;
};

constexpr NodeTypeName kNodeTypeNames[] = {
    {NodeType::kTrigger, "trigger"},
    {NodeType::kBuild, "build"},
    {NodeType::kTest, "test"},
    {NodeType::kScan, "scan"},
    {NodeType::kApproval, "approval"},
    {NodeType::kDeploy, "deploy"},
    {NodeType::kNotify, "notify"},
    {NodeType::kRun, "run"},
    {NodeType::kGithubWorkflow, "github_workflow"},
};

}  // namespace

std::string_view to_string(NodeType type) {
  for (const NodeTypeName& entry : kNodeTypeNames)
    if (entry.type == type) return entry.name;
  return "run";
}

std::optional<NodeType> node_type_from_string(std::string_view name) {
  for (const NodeTypeName& entry : kNodeTypeNames)
    if (entry.name == name) return entry.type;
  return std::nullopt;
}

bool checkpoint_by_default(NodeType type) {
  switch (type) {
    case NodeType::kBuild:
    case NodeType::kTest:
    case NodeType::kScan:
    case NodeType::kDeploy:
    case NodeType::kGithubWorkflow:
      return true;
    default:
      return false;
  }
}

bool may_have_no_steps(NodeType type) {
  switch (type) {
    case NodeType::kTrigger:
    case NodeType::kApproval:
    case NodeType::kNotify:
    case NodeType::kGithubWorkflow:
      return true;
    default:
      return false;
  }
}

RetryPolicy RetryPolicy::seeds_default() { return RetryPolicy{7, Millis{2000}, Millis{60000}}; }

Millis RetryPolicy::delay_before(int attempt) const {
  if (attempt <= 1) return Millis{0};
  // exponential_backoff counts retries: retry 1 (attempt 2) waits `initial`.
  return exponential_backoff(attempt - 1, initial, max);
}

std::optional<size_t> Pipeline::index_of(std::string_view id) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].id == id) return i;
  return std::nullopt;
}

size_t Pipeline::edge_count() const {
  size_t edges = 0;
  for (const Node& node : nodes) edges += node.needs.size();
  return edges;
}

}  // namespace opz::pipeline
