// The pipeline model: a DAG of nodes, each a list of shell steps plus the
// settings the engine needs (needs, env, timeout, retry, condition, checkpoint,
// continue_on_error, type-specific `with`). Produced by the front-ends
// (pipeline_yaml.h, flow_template.h, pipeline_json.h), which validate it, and
// consumed by the scheduler (plan.h) and the engine.
//
// Invariants of a Pipeline returned by a front-end: 1 to kMaxNodes nodes with
// unique valid ids; every `needs` entry names another node of the pipeline
// (no duplicates, not itself); no cycles; `nodes` is in topological order
// (every node after all its needs) and stable (ties keep declaration order);
// every node has at least one step unless its type may have none.
// Plain values; thread-compatible (const access from many threads is fine).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "pipeline/condition.h"
#include "pipeline/deploy_spec.h"

namespace opz::pipeline {

enum class NodeType {
  kTrigger,
  kBuild,
  kTest,
  kScan,
  kApproval,
  kDeploy,
  kNotify,
  kRun,
  kGithubWorkflow
};

// "trigger", "build", "test", "scan", "approval", "deploy", "notify", "run", "github_workflow".
std::string_view to_string(NodeType type);
std::optional<NodeType> node_type_from_string(std::string_view name);
// The seeds' node table: build, test, scan, deploy and github_workflow nodes
// create a checkpoint when they succeed; the others do not.
bool checkpoint_by_default(NodeType type);
// trigger, approval, notify and github_workflow nodes may have no steps.
bool may_have_no_steps(NodeType type);

struct Step {
  std::string name{};
  std::string run{};  // one shell command line (or script), <= 64 KiB
  bool operator==(const Step&) const = default;
};

// How often a failing node is attempted and how long to wait in between.
// max_attempts counts every attempt including the first (1 = no retry).
struct RetryPolicy {
  int max_attempts = 1;
  Millis initial{2000};
  Millis max{60000};

  // What `retry: true` and `retry: {}` mean: the seeds' schedule, 6 retries
  // after the first attempt (7 attempts) waiting 2s, 4s, 8s, 16s, 32s, 60s.
  static RetryPolicy seeds_default();

  // The wait before attempt `attempt` (1-based): 0 for the first attempt,
  // min(max, initial * 2^(attempt-2)) for attempt >= 2. Pure arithmetic: the
  // caller checks attempt <= max_attempts.
  Millis delay_before(int attempt) const;

  bool operator==(const RetryPolicy&) const = default;
};

struct Node {
  std::string id{};    // unique, [A-Za-z0-9_.-]{1,100}
  std::string name{};  // display name; the id when not given
  std::string description{};
  NodeType type = NodeType::kRun;
  std::vector<std::string> needs{};  // ids of the nodes that must finish first
  std::vector<Step> steps{};
  std::map<std::string, std::string> env{};
  std::optional<Millis> timeout{};  // whole node, all steps of one attempt
  RetryPolicy retry{};
  std::optional<Condition> condition{};  // runs only when true; none = always
  std::string environment{};             // target environment (deploy nodes); may be empty
  bool checkpoint = false;
  bool continue_on_error = false;  // a failure gives the execution status "warning"
  // Agent labels (`runs_on: [linux, docker]`): the node's steps run only on a
  // remote agent that has all of them (docs/agents.md); empty = the server.
  std::vector<std::string> runs_on{};
  Json with = Json::object();      // type-specific settings, kept for later capabilities
  int line = 0;                    // 1-based line in opzenix.yml; 0 when not from YAML
  // How a deploy node deploys: the front-ends set it for every node of type
  // deploy (the default spec when the node gives no deploy keys) and for no other.
  std::optional<DeploySpec> deploy{};

  bool operator==(const Node&) const = default;
};

struct Pipeline {
  std::string name{};
  std::map<std::string, std::string> env{};  // for every node; a node's env overrides
  int max_parallel = 0;                      // 0 = unlimited
  bool fail_fast = false;
  std::optional<Millis> timeout{};  // whole execution
  std::vector<Node> nodes{};        // topological order, stable

  // Position of the node with this id in `nodes`; O(n) scan.
  std::optional<size_t> index_of(std::string_view id) const;
  // Number of needs relations (DAG edges).
  size_t edge_count() const;

  bool operator==(const Pipeline&) const = default;
};

}  // namespace opz::pipeline
