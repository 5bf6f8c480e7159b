#include "api/execution_requests.h"

#include "api/execution_json.h"
#include "api/json_body.h"
#include "audit/audit_log.h"
#include "core/git_ref_name.h"
#include "core/ids.h"
#include "pipeline/flow_template.h"
#include "pipeline/pipeline_yaml.h"
#include "trigger/mapping_rules.h"
#include "trigger/trigger_service.h"

namespace opz::api {

namespace {

Status need_admission(ApiContext& ctx) {
  if (!ctx.engine || !ctx.executions || !ctx.admission)
    return Error::unavailable("the execution engine is not running");
  return {};
}

}  // namespace

Result<trigger::AdmissionRequest> read_start_request(ApiContext& ctx, const Json& body,
                                                     const auth::Principal& who) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.reject_unknown({"project_id", "pipeline_yaml", "flow_template_id",
                                   "environment", "branch", "commit_sha", "tag", "name",
                                   "override_freeze_reason"}));
  engine::NewExecution n;
  OPZ_TRY(n.environment, f.required_string("environment", 100));
  OPZ_TRY(auto override_freeze, f.optional_string("override_freeze_reason", 2000));
  OPZ_TRY(auto branch, f.optional_string("branch", 255));
  OPZ_TRY(auto sha, f.optional_string("commit_sha", 64));
  OPZ_TRY(auto tag, f.optional_string("tag", 255));
  OPZ_TRY(auto name, f.optional_string("name", 200));
  OPZ_TRY(auto project_id, f.optional_string("project_id", 64));
  OPZ_TRY(auto yaml, f.optional_string("pipeline_yaml", 8u << 20));
  OPZ_TRY(auto template_id, f.optional_string("flow_template_id", 64));
  n.branch = branch.value_or("");
  n.commit_sha = sha.value_or("");
  n.tag = tag.value_or("");
  // Refused here, not later in git or in a step's environment.
  if (!n.branch.empty()) OPZ_TRY_STATUS(check_branch_name(n.branch, "branch"));
  if (!n.tag.empty()) OPZ_TRY_STATUS(check_tag_name(n.tag, "tag"));
  OPZ_TRY_STATUS(check_printable(n.environment, "environment"));
  if (name) OPZ_TRY_STATUS(check_printable(*name, "name"));
  n.name = name.value_or("");
  n.started_by = who.user_id;
  n.trigger_type = "manual";
  if (!n.commit_sha.empty()) {
    bool hex = n.commit_sha.size() >= 7 && n.commit_sha.size() <= 64;
    for (char c : n.commit_sha) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    if (!hex) return Error::validation("'commit_sha' must be 7 to 64 hex digits", "commit_sha");
  }
  if (yaml && template_id)
    return Error::validation("give either 'pipeline_yaml' or 'flow_template_id', not both",
                             "pipeline_yaml");

  std::string repo_url;
  if (project_id) {
    if (!is_uuid(*project_id)) return Error::validation("no project with id " + *project_id, "project_id");
    auto project = ctx.projects.find_project(*project_id);
    if (!project) {
      if (project.error().is_not_found())
        return Error::validation("no project with id " + *project_id, "project_id");
      return project.error();
    }
    n.project_id = project->id;
    repo_url = !project->git_url.empty() ? project->git_url : project->github_repo_url;
    if (n.branch.empty()) n.branch = project->default_branch;
  }

  if (yaml) {
    auto p = pipeline::parse_pipeline_yaml(*yaml);
    if (!p) {
      Error e = p.error();
      e.message = "pipeline_yaml: " + e.message;
      if (e.field.empty()) e.field = "pipeline_yaml";
      return e;
    }
    n.pipeline = std::move(*p);
  } else if (template_id) {
    if (!ctx.flow_templates) return Error::unavailable("flow templates are not available");
    if (!is_uuid(*template_id))
      return Error::validation("no flow template with id " + *template_id, "flow_template_id");
    auto t = ctx.flow_templates->find(*template_id);
    if (!t) {
      if (t.error().is_not_found())
        return Error::validation("no flow template with id " + *template_id, "flow_template_id");
      return t.error();
    }
    auto p = pipeline::compile_flow_template(t->nodes, t->edges, t->name);
    if (!p) return p.error();
    n.pipeline = std::move(*p);
    n.flow_template_id = t->id;
  } else {
    if (repo_url.empty())
      return Error::validation(
          "give 'pipeline_yaml', 'flow_template_id', or a 'project_id' whose repository holds "
          "opzenix.yml",
          "pipeline_yaml");
    n.pipeline_from_repository = true;
  }
  if (!repo_url.empty() && (n.pipeline_from_repository || !n.commit_sha.empty())) {
    n.workspace.kind = engine::WorkspaceSource::Kind::kGit;
    n.workspace.git_url = repo_url;
  }
  // The branch mapping's image tag template and replicas, when a rule maps this
  // ref to this environment: deploy nodes version like a push of the same ref
  // ("staging-{sha7}"), rendered once the commit is known (engine/deploy_facts).
  if (!n.project_id.empty() && ctx.triggers && (!n.branch.empty() || !n.tag.empty())) {
    OPZ_TRY(trigger::ProjectMapper m, trigger::load_mapper(ctx.triggers->mappings(), n.project_id));
    const governance::MappingDecision d =
        m.mapper.resolve(!n.tag.empty() ? "refs/tags/" + n.tag : "refs/heads/" + n.branch);
    if (d.deployable() && d.rule.environment == n.environment) {
      n.metadata["image_tag_template"] = d.rule.image_tag_template;
      n.metadata["replicas"] = d.rule.replicas;
    }
  }
  trigger::AdmissionRequest out;
  governance::ExecutionRequest& g = out.request;
  g.project_id = n.project_id;
  g.environment = n.environment;
  g.ref_kind = !n.tag.empty()      ? governance::RefKind::kTag
               : !n.branch.empty() ? governance::RefKind::kBranch
                                   : governance::RefKind::kNone;
  g.ref_name = !n.tag.empty() ? n.tag : n.branch;
  g.commit_sha = n.commit_sha;
  g.trigger = governance::TriggerKind::kApi;
  g.requested_by = who.user_id;
  g.requester_role = who.role;
  g.override_freeze_reason = override_freeze.value_or("");
  out.execution = std::move(n);
  return out;
}

Result<store::ExecutionRecord> start_execution(ApiContext& ctx, trigger::AdmissionRequest request,
                                               const auth::Principal& who,
                                               const http::Request& req, const char* via) {
  OPZ_TRY_STATUS(need_admission(ctx));
  const std::string override_reason = request.request.override_freeze_reason;
  OPZ_TRY(store::ExecutionRecord e, ctx.admission->submit(std::move(request)));
  Json details = {{"environment", e.environment},
                  {"branch", e.branch},
                  {"governance_status", e.governance_status},
                  {"via", via}};
  if (!override_reason.empty()) details["override_freeze_reason"] = override_reason;
  (void)ctx.audit.record({"execution.started", "execution", e.id, who.user_id, std::move(details),
                          req.remote_addr, std::string(req.header("User-Agent"))});
  return e;
}

Status check_execution_action(ApiContext& ctx, const store::ExecutionRecord& e,
                              const auth::Principal& who, std::string_view action) {
  OPZ_TRY_STATUS(need_admission(ctx));
  auto required = ctx.admission->required_role(e.project_id, e.environment);
  // An environment that no longer exists: only admins act on its executions.
  const auth::Role needed = required ? *required : auth::Role::kAdmin;
  if (!required && !required.error().is_not_found()) return required.error();
  if (who.role < needed)
    return Error::forbidden("only " + std::string(auth::to_string(needed)) +
                            (needed == auth::Role::kAdmin ? "s" : "s and admins") + " may " +
                            std::string(action) + " executions in " + e.environment +
                            " (its protection requires the " +
                            std::string(auth::to_string(needed)) + " role)");
  return {};
}

Result<Reply> cancel_execution(ApiContext& ctx, const std::string& id, const std::string& reason,
                               const auth::Principal& who, const std::string& ip) {
  if (!ctx.engine || !ctx.executions) return Error::unavailable("the execution engine is not running");
  OPZ_TRY_STATUS(check_id(id, "execution"));
  OPZ_TRY(auto e, ctx.executions->find(id, false));
  OPZ_TRY_STATUS(check_execution_action(ctx, e, who, "cancel"));
  OPZ_TRY_STATUS(ctx.engine->cancel(id, reason, who.user_id));
  (void)ctx.audit.record({"execution.cancelled", "execution", id, who.user_id,
                          Json{{"reason", reason}}, ip});
  OPZ_TRY(auto after, ctx.executions->find(id, false));
  return Reply{200, to_json(after)};
}

Result<Reply> rerun_execution(ApiContext& ctx, const std::string& id,
                              const std::string& checkpoint_id, bool failed_only,
                              const auth::Principal& who, const std::string& ip) {
  OPZ_TRY_STATUS(need_admission(ctx));
  OPZ_TRY_STATUS(check_id(id, "execution"));
  if (!checkpoint_id.empty() && failed_only)
    return Error::validation("give either 'checkpoint_id' or 'failed_only', not both", "checkpoint_id");
  if (!checkpoint_id.empty() && !is_uuid(checkpoint_id))
    return Error::validation("no checkpoint with id " + checkpoint_id, "checkpoint_id");
  OPZ_TRY(auto original, ctx.executions->find(id, false));
  OPZ_TRY_STATUS(check_execution_action(ctx, original, who, "rerun"));
  engine::RerunRequest rr;
  rr.checkpoint_id = checkpoint_id;
  rr.failed_only = failed_only;
  OPZ_TRY(store::ExecutionRecord e, ctx.admission->rerun(id, rr, who.user_id, who.role));
  (void)ctx.audit.record({"execution.rerun", "execution", e.id, who.user_id,
                          Json{{"original_execution_id", id}, {"checkpoint_id", checkpoint_id},
                               {"failed_only", failed_only}},
                          ip});
  return Reply{201, to_json(e)};
}

Result<Reply> fail_execution(ApiContext& ctx, const std::string& id, const std::string& reason,
                             const auth::Principal& who, const std::string& ip) {
  OPZ_TRY_STATUS(need_admission(ctx));
  OPZ_TRY_STATUS(check_id(id, "execution"));
  OPZ_TRY(auto e, ctx.executions->find(id, false));
  OPZ_TRY_STATUS(check_execution_action(ctx, e, who, "fail"));
  OPZ_TRY_STATUS(ctx.engine->force_fail(id, reason, who.user_id));
  (void)ctx.audit.record(
      {"execution.force_failed", "execution", id, who.user_id, Json{{"reason", reason}}, ip});
  OPZ_TRY(auto after, ctx.executions->find(id, false));
  return Reply{200, to_json(after)};
}

}  // namespace opz::api
