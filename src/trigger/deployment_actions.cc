#include "trigger/deployment_actions.h"

#include <set>

#include "core/ids.h"
#include "engine/workspace.h"
#include "pipeline/pipeline_json.h"

namespace opz::trigger {

namespace {

constexpr const char* kTargetField = "deployment_id";

Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string text_at(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<store::DeploymentRecord> find_deployment(store::DeploymentStore& store,
                                                const std::string& id) {
  if (!is_uuid(id)) {
    Error e = Error::not_found("no deployment with id " + id);
    e.field = kTargetField;
    return e;
  }
  auto found = store.find(id);
  if (!found && found.error().is_not_found()) {
    Error e = found.error();
    e.field = kTargetField;
    return e;
  }
  return found;
}

// Only a version that was current once comes back or moves on: the store
// sets 'success' exactly when a deployment's version became current.
Status check_succeeded(const store::DeploymentRecord& d, std::string_view action) {
  if (d.status == "success") return {};
  return Error::validation("deployment " + d.id + " (version " + d.version + " in " +
                               d.environment + ") is " + d.status + ": only a version that " +
                               "succeeded can be " + std::string(action),
                           kTargetField);
}

// The strategy the deploy node declares: its deploy spec, or (a snapshot
// from before deploy specs) `with: {strategy}`; rolling otherwise and for a
// name the store does not know.
std::string strategy_of(const pipeline::Node& node) {
  static const std::set<std::string> kKnown = {"rolling", "recreate", "blue_green", "canary"};
  if (node.deploy) return std::string(pipeline::to_string(node.deploy->strategy));
  const std::string s = text_at(node.with, "strategy");
  return kKnown.count(s) ? s : "rolling";
}

// The deploy node that produced `d`: its node_id, or (rows written before
// deployments recorded their node) the one deploy node to its environment.
Result<pipeline::Node> deploy_node_of(const pipeline::Pipeline& p, const store::DeploymentRecord& d) {
  const pipeline::Node* found = nullptr;
  if (!d.node_id.empty()) {
    if (auto i = p.index_of(d.node_id)) found = &p.nodes[*i];
  } else {
    for (const pipeline::Node& n : p.nodes) {
      if (n.type != pipeline::NodeType::kDeploy || n.environment != d.environment) continue;
      if (found) {
        found = nullptr;
        break;
      }
      found = &n;
    }
  }
  if (!found || found->type != pipeline::NodeType::kDeploy)
    return Error::validation("deployment " + d.id + " names no deploy node of execution " +
                                 d.execution_id + " to run again",
                             kTargetField);
  return *found;
}

// The node alone: it runs because a person asked for this version here, so
// what it waited for (needs) and when it ran (its condition) no longer apply.
pipeline::Pipeline one_node_pipeline(const pipeline::Pipeline& source, pipeline::Node node,
                                     const std::string& environment, std::string name) {
  pipeline::Pipeline p;
  p.name = std::move(name);
  p.env = source.env;
  p.max_parallel = source.max_parallel;
  p.fail_fast = source.fail_fast;
  p.timeout = source.timeout;
  node.needs.clear();
  node.condition.reset();
  node.environment = environment;
  p.nodes.push_back(std::move(node));
  return p;
}

}  // namespace

struct DeploymentActions::Plan {
  AdmissionRequest admission;
  store::DeploymentRecord deployment;  // inserted once admission accepted
};

DeploymentActions::DeploymentActions(store::Database& db, Admission& admission,
                                     const Clock& clock)
    : deployments_(db, clock),
      executions_(db),
      environments_(db, clock),
      db_(db),
      admission_(admission) {}

Result<DeploymentActionResult> DeploymentActions::rollback(const RollbackCommand& c) {
  OPZ_TRY(store::DeploymentRecord target, find_deployment(deployments_, c.target_deployment_id));
  if (!c.project_id.empty() && c.project_id != target.project_id)
    return Error::validation("deployment " + target.id + " belongs to another project, not " +
                                 c.project_id,
                             kTargetField);
  if (c.environment != target.environment)
    return Error::validation("deployment " + target.id + " was deployed to " +
                                 target.environment + ", not " + c.environment,
                             "environment");
  OPZ_TRY_STATUS(check_succeeded(target, "rolled back to"));
  OPZ_TRY(Plan plan, plan_from(target, target.environment, Kind::kRollback, c.actor, c.role));
  plan.admission.execution.metadata["deployment"]["rollback_of"] = target.id;
  plan.admission.execution.metadata["deployment"]["reason"] = c.reason;
  plan.deployment.rollback_of = target.id;
  plan.deployment.reason = c.reason;
  return submit(std::move(plan), c.audit);
}

Result<DeploymentActionResult> DeploymentActions::promote(const PromoteCommand& c) {
  OPZ_TRY(store::DeploymentRecord source, find_deployment(deployments_, c.deployment_id));
  if (c.to_environment.empty())
    return Error::validation("'to_environment' is required", "to_environment");
  auto env = environments_.find(source.project_id, c.to_environment);
  if (!env) {
    if (!env.error().is_not_found()) return env.error();
    return Error::validation("the project has no environment '" + c.to_environment + "'",
                             "to_environment");
  }
  if (c.to_environment == source.environment)
    return Error::validation("deployment " + source.id + " already is in " + source.environment +
                                 "; promote it to another environment",
                             "to_environment");
  OPZ_TRY_STATUS(check_succeeded(source, "promoted"));
  OPZ_TRY(Plan plan,
          plan_from(source, c.to_environment, Kind::kPromotion, c.actor, c.role));
  plan.admission.execution.metadata["deployment"]["promoted_from"] = source.id;
  plan.admission.execution.metadata["deployment"]["reason"] = c.reason;
  plan.deployment.reason =
      !c.reason.empty() ? c.reason
                        : "promoted from " + source.environment + " (deployment " + source.id + ")";
  return submit(std::move(plan), c.audit);
}

Result<DeploymentActions::Plan> DeploymentActions::plan_from(
    const store::DeploymentRecord& source, const std::string& environment, Kind what,
    const std::string& actor, std::optional<auth::Role> role) {
  const std::string kind = what == Kind::kRollback ? "rollback" : "promotion";
  const Error no_record = Error::validation(
      "deployment " + source.id + " has no execution record to redeploy from", kTargetField);
  if (source.execution_id.empty()) return no_record;
  auto found = executions_.find(source.execution_id, true);
  if (!found) return found.error().is_not_found() ? no_record : found.error();
  const store::ExecutionRecord& origin = *found;
  if (origin.pipeline.empty()) return no_record;
  auto snapshot = parse_json(origin.pipeline);
  if (!snapshot) return no_record;
  auto pipeline = pipeline::pipeline_from_json(*snapshot);
  if (!pipeline)
    return Error::validation("the pipeline of execution " + origin.id +
                                 " cannot be read: " + pipeline.error().message,
                             kTargetField);
  OPZ_TRY(pipeline::Node node, deploy_node_of(*pipeline, source));
  const std::string node_id = node.id;
  const std::string name = what == Kind::kRollback
                               ? "rollback to " + source.version
                               : "promote " + source.version + " to " + environment;

  Plan plan;
  store::DeploymentRecord& d = plan.deployment;
  d.id = new_uuid();
  d.node_id = node_id;
  d.project_id = source.project_id;
  d.environment = environment;
  d.version = source.version;
  d.commit_sha = !source.commit_sha.empty() ? source.commit_sha : origin.commit_hash;
  d.image_tag = source.image_tag;
  d.artifact_id = source.artifact_id;
  d.status = "pending";
  d.strategy = strategy_of(node);
  d.deployed_by = actor;

  engine::NewExecution& n = plan.admission.execution;
  n.name = name;
  n.project_id = source.project_id;
  n.flow_template_id = origin.flow_template_id;
  n.pipeline = one_node_pipeline(*pipeline, std::move(node), environment, name);
  n.environment = environment;
  n.branch = origin.branch;
  n.tag = text_at(origin.metadata, "tag");
  n.commit_sha = d.commit_sha;
  n.trigger_type = kind;
  n.started_by = actor;
  if (origin.metadata.contains("workspace")) {
    auto workspace = engine::WorkspaceSource::from_json(origin.metadata["workspace"]);
    if (!workspace)
      return Error::validation("the workspace of execution " + origin.id +
                                   " cannot be read: " + workspace.error().message,
                               kTargetField);
    n.workspace = *workspace;
  }
  n.metadata["deployment"] = Json{{"id", d.id},
                                  {"kind", kind},
                                  {"version", d.version},
                                  {"commit_sha", d.commit_sha},
                                  {"image_tag", text_or_null(d.image_tag)},
                                  {"artifact_id", text_or_null(d.artifact_id)}};
  n.metadata["image_tag"] = text_or_null(d.image_tag);
  // The same environment keeps its replica count; another one has its own.
  if (environment == source.environment && origin.metadata.contains("replicas"))
    n.metadata["replicas"] = origin.metadata["replicas"];

  governance::ExecutionRequest& g = plan.admission.request;
  g.project_id = source.project_id;
  g.environment = environment;
  g.ref_kind = !n.tag.empty()      ? governance::RefKind::kTag
               : !n.branch.empty() ? governance::RefKind::kBranch
                                   : governance::RefKind::kNone;
  g.ref_name = !n.tag.empty() ? n.tag : n.branch;
  g.commit_sha = d.commit_sha;
  g.trigger = what == Kind::kRollback ? governance::TriggerKind::kRollback
                                      : governance::TriggerKind::kPromotion;
  g.requested_by = actor;
  g.requester_role = role;
  return plan;
}

Result<DeploymentActionResult> DeploymentActions::submit(Plan plan, const DeploymentAudit& audit) {
  OPZ_TRY(store::ExecutionRecord execution, admission_.submit(std::move(plan.admission)));
  store::DeploymentRecord row = std::move(plan.deployment);
  row.execution_id = execution.id;
  auto created = deployments_.create(row, [&](store::SqlSession& tx) -> Status {
    return audit ? audit(tx, row) : Status{};
  });
  if (!created && created.error().is_conflict()) {
    // The deploy node handler ran first and created the row from the
    // execution's metadata: adopt it, and still audit the request.
    created = deployments_.find(row.id);
    if (created && audit)
      OPZ_TRY_STATUS(db_.write([&](store::SqlSession& tx) { return audit(tx, *created); }));
  }
  if (!created) return created.error();
  DeploymentActionResult out;
  out.deployment = std::move(*created);
  out.governance = execution.metadata.contains("governance") ? execution.metadata["governance"]
                                                             : Json::object();
  out.execution = std::move(execution);
  return out;
}

}  // namespace opz::trigger
