#include "api/deployment_json.h"

#include "core/json_optional.h"

namespace opz::api {

namespace {}  // namespace

Json to_json(const store::DeploymentRecord& d) {
  return Json{{"id", d.id},
              {"execution_id", string_or_null(d.execution_id)},
              {"node_id", string_or_null(d.node_id)},
              {"project_id", d.project_id},
              {"environment", d.environment},
              {"version", d.version},
              {"version_tag", d.version},
              {"commit_sha", string_or_null(d.commit_sha)},
              {"image_tag", string_or_null(d.image_tag)},
              {"artifact_id", string_or_null(d.artifact_id)},
              {"status", d.status},
              {"strategy", d.strategy},
              {"phase", string_or_null(d.phase)},
              {"slot", string_or_null(d.slot)},
              {"canary_weight", d.canary_weight},
              {"deployed_by", string_or_null(d.deployed_by)},
              {"started_at", string_or_null(d.started_at)},
              {"completed_at", string_or_null(d.completed_at)},
              {"rollback_of", string_or_null(d.rollback_of)},
              {"reason", string_or_null(d.reason)},
              {"created_at", d.created_at},
              {"updated_at", d.updated_at}};
}

Json history_item_json(const store::DeploymentHistoryItem& item) {
  const store::DeploymentRecord& d = item.deployment;
  return Json{{"deployment_id", d.id},
              {"version_tag", d.version},
              {"commit_sha", string_or_null(d.commit_sha)},
              {"image_tag", string_or_null(d.image_tag)},
              {"is_current", item.is_current},
              {"marked_bad", item.marked_bad},
              {"status", d.status},
              {"strategy", d.strategy},
              {"deployed_by", string_or_null(d.deployed_by)},
              {"started_at", string_or_null(d.started_at)},
              {"completed_at", string_or_null(d.completed_at)},
              {"rollback_of", string_or_null(d.rollback_of)},
              {"reason", string_or_null(d.reason)},
              {"execution_id", string_or_null(d.execution_id)},
              {"created_at", d.created_at}};
}

Json to_json(const store::DeploymentProbeRecord& p) {
  return Json{{"id", p.id},
              {"kind", p.kind},
              {"target", string_or_null(p.target)},
              {"ok", p.ok},
              {"latency_ms", p.latency_ms},
              {"status_code", value_or_null(p.status_code)},
              {"value", value_or_null(p.value)},
              {"error", string_or_null(p.error)},
              {"created_at", p.created_at}};
}

Json to_json(const store::DeploymentHoldRecord& h) {
  return Json{{"id", h.id},
              {"project_id", h.project_id},
              {"environment", h.environment},
              {"deployment_id", string_or_null(h.deployment_id)},
              {"version_tag", string_or_null(h.version_tag)},
              {"reason", string_or_null(h.reason)},
              {"created_by", string_or_null(h.created_by)},
              {"created_at", h.created_at},
              {"active", h.released_at.empty()},
              {"released_by", string_or_null(h.released_by)},
              {"released_at", string_or_null(h.released_at)}};
}

Json lifecycle_json(const std::string& project_id,
                    const std::vector<store::LifecyclePhaseRecord>& phases) {
  Json items = Json::array();
  for (const auto& p : phases)
    items.push_back(Json{{"position", p.position},
                         {"environment", p.environment},
                         {"soak_seconds", p.soak_seconds}});
  return Json{{"project_id", project_id}, {"phases", std::move(items)}};
}

Json action_json(const trigger::DeploymentActionResult& r) {
  Json out = to_json(r.deployment);
  out["execution_status"] = r.execution.status;
  out["governance_status"] = string_or_null(r.execution.governance_status);
  out["governance"] = r.governance;
  return out;
}

}  // namespace opz::api
