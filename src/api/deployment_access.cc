#include "api/deployment_access.h"

#include <algorithm>

#include "audit/audit_log.h"
#include "store/environment_store.h"

namespace opz::api {

Status check_environment_role(ApiContext& ctx, const auth::Principal& who,
                              const std::string& project_id, const std::string& environment,
                              auth::Role floor, std::string_view action) {
  store::EnvironmentStore environments(ctx.db, ctx.clock);
  auth::Role needed = auth::Role::kAdmin;
  auto env = environments.find(project_id, environment);
  if (env) {
    needed = auth::parse_role(env->environment.required_role).value_or(auth::Role::kAdmin);
  } else if (!env.error().is_not_found()) {
    return env.error();
  }
  needed = std::max(needed, floor);
  if (who.role >= needed) return {};
  const std::string role(auth::to_string(needed));
  return Error::forbidden("only " + role + (needed == auth::Role::kAdmin ? "s" : "s and admins") +
                          " may " + std::string(action) + " in " + environment +
                          (env ? " (its protection requires the " +
                                     env->environment.required_role + " role)"
                               : " (no such environment any more)"));
}

store::DeploymentAlso audit_in(ApiContext& ctx, const http::Request& req,
                               const auth::Principal& who, std::string action,
                               std::string resource_type, std::string resource_id, Json details) {
  return [&ctx, &req, &who, action = std::move(action), type = std::move(resource_type),
          id = std::move(resource_id), details = std::move(details)](store::SqlSession& tx) {
    return ctx.audit.record_in(tx, {action, type, id, who.user_id, details, req.remote_addr,
                                    std::string(req.header("User-Agent"))});
  };
}

}  // namespace opz::api
