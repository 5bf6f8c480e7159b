#include "api/ops_build_request.h"

#include "api/execution_requests.h"
#include "store/branch_mapping_store.h"
#include "trigger/mapping_rules.h"

namespace opz::api {

namespace {

// The requester as a principal with their current role.
Result<auth::Principal> requester(ApiContext& ctx, const std::string& user_id) {
  auto user = ctx.users.find(user_id);
  if (!user) {
    if (user.error().is_not_found())
      return Error::validation("the user who requested the build no longer exists", "requested_by");
    return user.error();
  }
  auth::Principal who;
  who.user_id = user->id;
  who.email = user->email;
  who.full_name = user->full_name;
  who.role = auth::parse_role(user->role).value_or(auth::Role::kViewer);
  return who;
}

// The project's newest flow template; empty when it has none.
Result<std::string> newest_template(ApiContext& ctx, const std::string& project_id) {
  if (!ctx.flow_templates) return std::string();
  store::FlowTemplateFilter filter;
  filter.project_id = project_id;
  OPZ_TRY(auto page, ctx.flow_templates->list(filter, store::PageRequest{"", 1}));
  return page.items.empty() ? std::string() : page.items.front().id;
}

}  // namespace

Result<trigger::AdmissionRequest> queued_build_request(ApiContext& ctx,
                                                       const store::RunQueueRecord& row) {
  auto project = ctx.projects.find_project(row.project_id);
  if (!project) {
    if (project.error().is_not_found())
      return Error::validation("the project no longer exists", "project_id");
    return project.error();
  }
  OPZ_TRY(auth::Principal who, requester(ctx, row.requested_by));
  OPZ_TRY(std::string template_id, newest_template(ctx, project->id));
  if (template_id.empty() && project->git_url.empty() && project->github_repo_url.empty())
    return Error::validation("project '" + project->name +
                                 "' has no pipeline: save a flow template for it or give it a "
                                 "repository with opzenix.yml",
                             "project_id");

  store::BranchMappingStore mappings(ctx.db, ctx.clock);
  OPZ_TRY(trigger::ProjectMapper m, trigger::load_mapper(mappings, project->id));
  const governance::MappingDecision decision = m.mapper.resolve("refs/heads/" + row.branch);
  if (!decision.matched) return Error::validation(decision.explanation, "branch");

  Json body = {{"project_id", project->id},
               {"branch", row.branch},
               {"environment", decision.rule.environment},
               {"name", "Build " + row.branch}};
  if (!row.commit_sha.empty()) body["commit_sha"] = row.commit_sha;
  if (!template_id.empty()) body["flow_template_id"] = template_id;
  OPZ_TRY(trigger::AdmissionRequest request, read_start_request(ctx, body, who));
  request.execution.metadata["via"] = "ops-trigger-build";
  if (!decision.deployable()) request.execution.metadata["ci_only"] = true;
  return request;
}

}  // namespace opz::api
