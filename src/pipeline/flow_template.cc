#include "pipeline/flow_template.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "pipeline/diagnostics.h"
#include "pipeline/field_reader.h"
#include "pipeline/limits.h"
#include "pipeline/node_reader.h"
#include "pipeline/topology.h"

namespace opz::pipeline {
namespace {

constexpr std::string_view kFlowOwnKeys[] = {"label"};
constexpr auto kDataKeys = node_keys(kFlowOwnKeys);

struct CompiledFlow {
  std::optional<Pipeline> pipeline;
  ValidationReport report;
};

// One node of the React Flow array; nullopt when it cannot take part in the
// graph (no usable id).
std::optional<Node> read_flow_node(const Json& value, const std::string& path, Diagnostics& diag) {
  if (!expect_map(value, path, diag)) return std::nullopt;
  const Json* id = member(value, "id");
  if (!id) {
    diag.report(path, "a node needs an id");
    return std::nullopt;
  }
  std::optional<std::string> node_id = read_string(*id, child_path(path, "id"), diag, 1024);
  if (!node_id) return std::nullopt;
  if (!is_valid_node_id(*node_id)) {
    diag.report(child_path(path, "id"),
                "invalid node id '" + *node_id +
                    "': use 1 to 100 letters, digits, '_', '.' or '-' (not '.' or '..')");
    return std::nullopt;
  }
  Node node;
  node.id = std::move(*node_id);
  node.name = node.id;
  if (const Json* type = member(value, "type")) {
    std::string type_path = child_path(path, "type");
    if (auto text = read_string(*type, type_path, diag, kMaxNameLength)) {
      if (auto parsed = node_type_from_string(*text)) {
        node.type = *parsed;
      } else {
        diag.report(type_path, "unknown node type '" + *text + "'");
      }
    }
  }
  std::string data_path = child_path(path, "data");
  const Json* data = member(value, "data");
  static const Json kNoData = Json::object();
  if (data && !data->is_null() && !expect_map(*data, data_path, diag)) data = nullptr;
  if (!data || data->is_null()) data = &kNoData;
  check_keys(*data, data_path, kDataKeys, diag);
  if (const Json* label = member(*data, "label")) {
    if (auto text = read_string(*label, child_path(data_path, "label"), diag, kMaxNameLength))
      node.name = std::move(*text);
  }
  read_node_body(*data, data_path, node, diag);
  return node;
}

// Adds target.needs += source for every edge; reports edges that name
// unknown nodes or connect a node to itself.
void read_edges(const Json& edges, const std::unordered_map<std::string, size_t>& index,
                std::vector<Node>& nodes, Diagnostics& diag) {
  if (edges.is_null()) return;
  if (!edges.is_array()) {
    diag.report("edges",
                "must be a list of {source, target}, got " + std::string(json_kind(edges)));
    return;
  }
  std::vector<std::unordered_set<std::string>> seen(nodes.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    std::string path = item_path("edges", i);
    if (!expect_map(edges[i], path, diag)) continue;
    std::optional<size_t> ends[2];
    const char* names[2] = {"source", "target"};
    for (int k = 0; k < 2; ++k) {
      std::string end_path = child_path(path, names[k]);
      const Json* end = member(edges[i], names[k]);
      if (!end) {
        diag.report(path, std::string("an edge needs a ") + names[k]);
        continue;
      }
      std::optional<std::string> id = read_string(*end, end_path, diag, 1024);
      if (!id) continue;
      auto it = index.find(*id);
      if (it == index.end()) {
        diag.report(end_path, "unknown node '" + *id + "'");
        continue;
      }
      ends[k] = it->second;
    }
    if (!ends[0] || !ends[1]) continue;
    Node& target = nodes[*ends[1]];
    const std::string& source_id = nodes[*ends[0]].id;
    if (*ends[0] == *ends[1]) {
      diag.report(path, "node '" + source_id + "' cannot need itself");
    } else if (seen[*ends[1]].insert(source_id).second) {
      target.needs.push_back(source_id);
    }
  }
}

CompiledFlow compile_flow(const Json& nodes, const Json& edges) {
  CompiledFlow out;
  JsonSourceMap source;
  Diagnostics diag(source);
  std::vector<Node> declared;
  std::vector<std::string> node_paths;
  if (!nodes.is_array() || nodes.empty()) {
    diag.report("nodes", "must be a non-empty list of nodes, got " +
                             (nodes.is_array() ? std::string("an empty list")
                                               : std::string(json_kind(nodes))));
  } else if (nodes.size() > kMaxNodes) {
    diag.report("nodes", "has " + std::to_string(nodes.size()) + " nodes; the limit is " +
                             std::to_string(kMaxNodes));
  } else {
    std::unordered_map<std::string, size_t> index;
    std::unordered_map<std::string, std::string> first_path;
    for (size_t i = 0; i < nodes.size(); ++i) {
      std::string path = item_path("nodes", i);
      std::optional<Node> node = read_flow_node(nodes[i], path, diag);
      if (!node) continue;
      auto [it, inserted] = first_path.emplace(node->id, path);
      if (!inserted) {
        diag.report(child_path(path, "id"),
                    "duplicate node id '" + node->id + "' (also " + it->second + ")");
        continue;
      }
      index.emplace(node->id, declared.size());
      declared.push_back(std::move(*node));
      node_paths.push_back(std::move(path));
    }
    out.report.node_count = nodes.size();
    read_edges(edges, index, declared, diag);
    for (const Node& node : declared) out.report.edge_count += node.needs.size();
    if (order_topologically(declared, node_paths, diag))
      for (const Node& node : declared) out.report.order.push_back(node.id);
  }
  out.report.errors = diag.take_errors();
  out.report.valid = out.report.errors.empty();
  if (out.report.valid) {
    Pipeline pipeline;
    pipeline.nodes = std::move(declared);
    out.pipeline = std::move(pipeline);
  } else {
    out.report.order.clear();
  }
  return out;
}

}  // namespace

Result<Pipeline> compile_flow_template(const Json& nodes, const Json& edges, std::string name) {
  CompiledFlow compiled = compile_flow(nodes, edges);
  if (!compiled.pipeline) return compiled.report.errors.front();
  compiled.pipeline->name = std::move(name);
  return std::move(*compiled.pipeline);
}

ValidationReport validate_flow_template(const Json& nodes, const Json& edges) {
  return compile_flow(nodes, edges).report;
}

}  // namespace opz::pipeline
