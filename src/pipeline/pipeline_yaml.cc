#include "pipeline/pipeline_yaml.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "pipeline/field_reader.h"
#include "pipeline/limits.h"
#include "pipeline/node_reader.h"
#include "pipeline/topology.h"
#include "pipeline/yaml_document.h"

namespace opz::pipeline {
namespace {

using std::chrono::hours;

constexpr std::string_view kTopLevelKeys[] = {"name",      "env",     "max_parallel",
                                              "fail_fast", "timeout", "nodes"};
constexpr std::string_view kYamlOwnKeys[] = {"type", "name", "needs"};
constexpr auto kNodeKeys = node_keys(kYamlOwnKeys);

struct Compiled {
  std::optional<Pipeline> pipeline;
  ValidationReport report;
};

std::string node_types_list() {
  std::string out;
  for (NodeType t :
       {NodeType::kTrigger, NodeType::kBuild, NodeType::kTest, NodeType::kScan, NodeType::kApproval,
        NodeType::kDeploy, NodeType::kNotify, NodeType::kRun, NodeType::kGithubWorkflow}) {
    if (!out.empty()) out += ", ";
    out += to_string(t);
  }
  return out;
}

// needs: "build" or [build, test]; appends ids and where each was written.
void read_needs(const Json& value, const std::string& path, Node& node,
                std::vector<std::string>& paths, Diagnostics& diag) {
  if (value.is_string()) {
    if (auto id = read_string(value, path, diag, kMaxNodeIdLength)) {
      node.needs.push_back(std::move(*id));
      paths.push_back(path);
    }
    return;
  }
  if (!value.is_array()) {
    diag.report(path,
                "must be a node id or a list of node ids, got " + std::string(json_kind(value)));
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    std::string item = item_path(path, i);
    if (!value[i].is_string()) {
      diag.report(item, "must be a node id, got " + std::string(json_kind(value[i])));
      continue;
    }
    if (auto id = read_string(value[i], item, diag, kMaxNodeIdLength)) {
      node.needs.push_back(std::move(*id));
      paths.push_back(item);
    }
  }
}

Node read_node(const std::string& id, const Json& value, const std::string& path,
               std::vector<std::string>& need_paths, Diagnostics& diag) {
  Node node;
  node.id = id;
  node.name = id;
  node.line = diag.source().line_of(path);
  if (!is_valid_node_id(id)) {
    diag.report_message(
        path, true,
        "nodes: invalid node id '" + id + "': use 1 to 100 letters, digits, '_', '.' or '-' (not '.' or '..')");
  }
  if (!value.is_object()) {
    diag.report(path, "must be a map of the node's fields (run, needs, ...), got " +
                          std::string(json_kind(value)));
    return node;
  }
  check_keys(value, path, kNodeKeys, diag);
  if (const Json* type = member(value, "type")) {
    if (auto name = read_string(*type, child_path(path, "type"), diag, kMaxNameLength)) {
      if (auto parsed = node_type_from_string(*name)) {
        node.type = *parsed;
      } else {
        diag.report(child_path(path, "type"),
                    "unknown node type '" + *name + "'; expected one of " + node_types_list());
      }
    }
  }
  if (const Json* name = member(value, "name")) {
    if (auto text = read_string(*name, child_path(path, "name"), diag, kMaxNameLength))
      node.name = std::move(*text);
  }
  if (const Json* needs = member(value, "needs"))
    read_needs(*needs, child_path(path, "needs"), node, need_paths, diag);
  read_node_body(value, path, node, diag);
  return node;
}

void read_settings(const Json& root, Pipeline& pipeline, Diagnostics& diag) {
  if (const Json* v = member(root, "name")) {
    if (auto name = read_string(*v, "name", diag, kMaxNameLength)) pipeline.name = std::move(*name);
  }
  if (const Json* v = member(root, "env")) {
    if (auto env = read_env(*v, "env", diag)) pipeline.env = std::move(*env);
  }
  if (const Json* v = member(root, "max_parallel")) {
    if (auto n = read_int(*v, "max_parallel", diag, 0, kMaxParallel))
      pipeline.max_parallel = static_cast<int>(*n);
  }
  if (const Json* v = member(root, "fail_fast")) {
    if (auto flag = read_bool(*v, "fail_fast", diag)) pipeline.fail_fast = *flag;
  }
  if (const Json* v = member(root, "timeout")) {
    if (auto d = read_duration(*v, "timeout", diag, Millis{1}, hours{24 * 30}))
      pipeline.timeout = *d;
  }
}

void read_nodes(const Json& root, const YamlDocument& doc, Pipeline& pipeline,
                ValidationReport& report, Diagnostics& diag) {
  const Json* nodes = member(root, "nodes");
  if (!nodes || nodes->is_null() || (nodes->is_object() && nodes->empty())) {
    diag.report_message(nodes ? "nodes" : "", true,
                        "the pipeline has no nodes: add a nodes map (node id -> node)");
    return;
  }
  if (!nodes->is_object()) {
    diag.report("nodes", "must be a map from node id to node (like GitHub's jobs:), got " +
                             std::string(json_kind(*nodes)));
    return;
  }
  if (nodes->size() > kMaxNodes) {
    diag.report("nodes",
                "has " + std::to_string(nodes->size()) + " nodes; the limit is " +
                    std::to_string(kMaxNodes),
                true);
    return;
  }
  std::vector<Node> declared;
  std::vector<std::vector<std::string>> need_paths;
  std::vector<std::string> node_paths;
  for (const std::string& id : doc.keys_in_order("nodes", *nodes)) {
    std::string path = child_path("nodes", id);
    need_paths.emplace_back();
    declared.push_back(read_node(id, (*nodes)[id], path, need_paths.back(), diag));
    node_paths.push_back(std::move(path));
  }
  report.node_count = declared.size();
  check_needs(declared, need_paths, diag);
  for (const Node& node : declared) report.edge_count += node.needs.size();
  if (order_topologically(declared, node_paths, diag)) {
    for (const Node& node : declared) report.order.push_back(node.id);
    pipeline.nodes = std::move(declared);
  }
}

// Document order: by "line:col"; errors without a position go last.
void sort_by_position(std::vector<Error>& errors) {
  auto key = [](const Error& e) {
    auto position = line_and_column(e);
    return position
               ? *position
               : std::make_pair(std::numeric_limits<int>::max(), std::numeric_limits<int>::max());
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const Error& a, const Error& b) { return key(a) < key(b); });
}

Compiled compile(std::string_view text) {
  Compiled out;
  Result<YamlDocument> doc = YamlDocument::load(text);
  if (!doc) {
    out.report.errors.push_back(doc.error());
    return out;
  }
  Diagnostics diag(*doc);
  for (const Error& problem : doc->problems()) diag.add(problem);
  const Json& root = doc->root();
  Pipeline pipeline;
  if (root.is_null()) {
    diag.report_message("", false, "the pipeline definition is empty: it needs a nodes map");
  } else if (!root.is_object()) {
    diag.report_message("", false,
                        "the pipeline definition must be a map with name and nodes, got " +
                            std::string(json_kind(root)));
  } else {
    check_keys(root, "", kTopLevelKeys, diag);
    read_settings(root, pipeline, diag);
    read_nodes(root, *doc, pipeline, out.report, diag);
  }
  out.report.errors = diag.take_errors();
  sort_by_position(out.report.errors);
  out.report.valid = out.report.errors.empty();
  if (out.report.valid) {
    out.pipeline = std::move(pipeline);
  } else {
    out.report.order.clear();
  }
  return out;
}

}  // namespace

Result<Pipeline> parse_pipeline_yaml(std::string_view text) {
  Compiled compiled = compile(text);
  if (!compiled.pipeline) return compiled.report.errors.front();
  return std::move(*compiled.pipeline);
}

ValidationReport validate_pipeline_yaml(std::string_view text) { return compile(text).report; }

}  // namespace opz::pipeline
