#include "api/execution_json.h"

#include "core/json_optional.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace opz::api {

namespace {
}  // namespace

Json to_json(const store::ExecutionRecord& e) {
  return Json{{"id", e.id},
              {"name", e.name},
              {"project_id", string_or_null(e.project_id)},
              {"flow_template_id", string_or_null(e.flow_template_id)},
              {"status", e.status},
              {"environment", e.environment},
              {"branch", e.branch},
              {"commit_hash", e.commit_hash},
              {"progress", e.progress},
              {"governance_status", string_or_null(e.governance_status)},
              {"blocked_reason", string_or_null(e.blocked_reason)},
              {"started_by", string_or_null(e.started_by)},
              {"trigger_type", e.trigger_type},
              {"parent_execution_id", string_or_null(e.parent_execution_id)},
              {"rerun_checkpoint_id", string_or_null(e.rerun_checkpoint_id)},
              {"cancel_reason", string_or_null(e.cancel_reason)},
              {"metadata", e.metadata},
              {"started_at", string_or_null(e.started_at)},
              {"completed_at", string_or_null(e.completed_at)},
              {"created_at", e.created_at},
              {"updated_at", e.updated_at}};
}

Json to_json(const store::ExecutionNodeRecord& n) {
  return Json{{"node_id", n.node_id},
              {"name", n.name},
              {"type", n.type},
              {"status", n.status},
              {"attempt", n.attempt},
              {"max_attempts", n.max_attempts},
              {"exit_code", value_or_null(n.exit_code)},
              {"signal", value_or_null(n.signal)},
              {"error", string_or_null(n.error)},
              {"outputs", n.outputs},
              {"log_bytes", n.log_bytes},
              {"log_truncated", n.log_truncated},
              {"started_at", string_or_null(n.started_at)},
              {"completed_at", string_or_null(n.completed_at)},
              {"duration_ms", value_or_null(n.duration_ms)},
              {"next_attempt_at", string_or_null(n.next_attempt_at)}};
}

namespace {

// Each node's `needs` from the execution's pipeline snapshot (canonical
// JSON); empty when the snapshot is missing or unreadable (an execution not
// resolved yet), so the graph then shows nodes without edges.
std::map<std::string, std::vector<std::string>> needs_of(const std::string& pipeline) {
  std::map<std::string, std::vector<std::string>> out;
  if (pipeline.empty()) return out;
  const Json doc = Json::parse(pipeline, nullptr, false);
  if (!doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array()) return out;
  for (const Json& node : doc["nodes"]) {
    if (!node.is_object() || !node.contains("id") || !node["id"].is_string()) continue;
    auto& needs = out[node["id"].get<std::string>()];
    if (node.contains("needs") && node["needs"].is_array())
      for (const Json& n : node["needs"])
        if (n.is_string()) needs.push_back(n.get<std::string>());
  }
  return out;
}

}  // namespace

// The detail adds what the graph needs: `needs` on each node and `edges`
// ({source, target}: source must finish before target) between the nodes
// this execution has (a rerun from a checkpoint has only part of them).
Json to_json(const store::ExecutionDetail& d) {
  Json out = to_json(d.execution);
  const auto needs = needs_of(d.execution.pipeline);
  std::set<std::string> present;
  for (const auto& n : d.nodes) present.insert(n.node_id);
  Json nodes = Json::array();
  Json edges = Json::array();
  for (const auto& n : d.nodes) {
    Json node = to_json(n);
    Json node_needs = Json::array();
    if (auto it = needs.find(n.node_id); it != needs.end()) {
      for (const auto& source : it->second) {
        if (!present.count(source)) continue;
        node_needs.push_back(source);
        edges.push_back(Json{{"source", source}, {"target", n.node_id}});
      }
    }
    node["needs"] = std::move(node_needs);
    nodes.push_back(std::move(node));
  }
  out["nodes"] = std::move(nodes);
  out["edges"] = std::move(edges);
  return out;
}

Json to_json(const store::LogLineRecord& l) {
  return Json{{"seq", l.seq},
              {"node_id", string_or_null(l.node_id)},
              {"attempt", l.attempt},
              {"stream", l.stream},
              {"level", l.level},
              {"message", l.message},
              {"created_at", l.created_at}};
}

Json to_json(const store::StateEventRecord& e) {
  return Json{{"id", e.id},
              {"execution_id", e.execution_id},
              {"node_id", string_or_null(e.node_id)},
              {"old_state", string_or_null(e.old_state)},
              {"new_state", e.new_state},
              {"reason", string_or_null(e.reason)},
              {"created_at", e.created_at}};
}

Json to_json(const store::CheckpointRecord& c) {
  return Json{{"id", c.id},
              {"checkpoint_id", c.id},
              {"execution_id", c.execution_id},
              {"node_id", c.node_id},
              {"name", c.name},
              {"state", c.state},
              {"created_at", c.created_at}};
}

Json to_json(const store::ArtifactRecord& a) {
  return Json{{"id", a.id},
              {"name", a.name},
              {"execution_id", a.execution_id},
              {"node_id", string_or_null(a.node_id)},
              {"image_digest", string_or_null(a.image_digest)},
              {"image_tag", string_or_null(a.image_tag)},
              {"registry_url", string_or_null(a.registry_url)},
              {"type", string_or_null(a.type)},
              {"size_bytes", value_or_null(a.size_bytes)},
              {"metadata", a.metadata},
              {"created_at", a.created_at}};
}

Json to_json(const store::ApprovalRequestRecord& a) {
  return Json{{"id", a.id},
              {"execution_id", a.execution_id},
              {"node_id", a.node_id},
              {"environment", string_or_null(a.environment)},
              {"status", a.status},
              {"required_approvals", a.required_approvals},
              {"requested_by", string_or_null(a.requested_by)},
              {"title", string_or_null(a.title)},
              {"description", string_or_null(a.description)},
              {"wait_until", string_or_null(a.wait_until)},
              {"resolved_at", string_or_null(a.resolved_at)},
              {"created_at", a.created_at}};
}

Json to_json(const store::FlowTemplateRecord& t) {
  return Json{{"id", t.id},
              {"project_id", string_or_null(t.project_id)},
              {"name", t.name},
              {"description", t.description},
              {"type", t.type},
              {"nodes", t.nodes},
              {"edges", t.edges},
              {"created_by", string_or_null(t.created_by)},
              {"created_at", t.created_at},
              {"updated_at", t.updated_at}};
}

}  // namespace opz::api
