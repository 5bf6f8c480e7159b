// The seeds' ops.* backend (issue 15; seed 003, docs/ops-backend.md):
//   POST|GET /rest/v1/rpc/{function}        list_projects, project_branches
//            (PostgREST's RPC convention and error shape: api/ops_rpc.h)
//   POST /functions/v1/ops-trigger-build   {"project_id","branch"?,"commit_sha"?}
//            -> 202 {"build_id","status":"queued"}; the build queue's runner
//            (trigger::RunQueueRunner) turns it into an execution
//   GET  /api/ops/projects                  {"projects": [list_projects rows]}
// Reads are for every signed-in user (projects.read: apikey / Bearer, or on
// GET the session cookie); queuing a build starts an execution, so it needs
// executions.start (operators and admins), and governance decides again when
// the build runs (the environment's role and rules).
#include <cctype>

#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/ops_rpc.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/git_ref_name.h"
#include "core/ids.h"
#include "store/run_queue_store.h"
#include "trigger/run_queue_runner.h"

namespace opz::api {

namespace {

Status check_commit_sha(const std::string& sha) {
  bool hex = sha.size() >= 7 && sha.size() <= 64;
  for (char c : sha) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
  if (!hex) return Error::validation("'commit_sha' must be 7 to 64 hex digits", "commit_sha");
  return {};
}

Result<Reply> trigger_build(ApiContext& ctx, http::Request& req, const auth::Principal& who) {
  OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown({"project_id", "branch", "commit_sha"}));
  OPZ_TRY(std::string project_id, f.required_string("project_id", 64));
  OPZ_TRY(auto branch, f.optional_string("branch", 255));
  OPZ_TRY(auto sha, f.optional_string("commit_sha", 64));
  OPZ_TRY_STATUS(check_id(project_id, "project"));
  OPZ_TRY(store::ProjectRecord project, ctx.projects.find_project(project_id));
  store::NewQueuedBuild build;
  build.project_id = project.id;
  build.branch = branch && !branch->empty() ? *branch : project.default_branch;
  OPZ_TRY_STATUS(check_branch_name(build.branch, "branch"));
  if (sha && !sha->empty()) {
    OPZ_TRY_STATUS(check_commit_sha(*sha));
    build.commit_sha = *sha;
  }
  build.requested_by = who.user_id;
  OPZ_TRY(store::RunQueueRecord queued, store::RunQueueStore(ctx.db, ctx.clock).enqueue(build));
  (void)ctx.audit.record(
      {"ops.build_queued", "project", project.id, who.user_id,
       Json{{"build_id", queued.id}, {"branch", queued.branch}, {"commit_sha", queued.commit_sha}},
       req.remote_addr, std::string(req.header("User-Agent"))});
  if (ctx.build_runner) ctx.build_runner->wake();
  return Reply{202, Json{{"build_id", queued.id}, {"status", queued.status}}};
}

}  // namespace

Status register_ops_backend_routes(http::Router& r, ApiContext& ctx) {
  // RPCs run on the handler pool, GET included, like the /rest/v1 reads.
  EndpointOptions on_pool;
  on_pool.on_handler_pool = true;
  for (const char* method : {"POST", "GET"})
    OPZ_TRY_STATUS(add_response_endpoint(
        r, ctx, method, "/rest/v1/rpc/{function}", "projects.read",
        [&ctx](http::Request& req, const auth::Principal&) -> Result<http::Response> {
          return answer_ops_rpc(ctx, req, req.param("function"));
        },
        on_pool));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/functions/v1/ops-trigger-build", "executions.start",
                              [&ctx](http::Request& req, const auth::Principal& who) {
                                return trigger_build(ctx, req, who);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/ops/projects", "projects.read",
                              [&ctx](http::Request&, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY(auto rows, store::OpsProjectStore(ctx.db).list_projects());
                                Json projects = Json::array();
                                for (const auto& row : rows) projects.push_back(to_json(row));
                                return Reply{200, Json{{"projects", std::move(projects)}}};
                              }));
  return {};
}

}  // namespace opz::api
