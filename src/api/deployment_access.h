// Shared by the deployment routes (deployments_api.cc, deployment_holds_api.cc):
// who may act on what runs in an environment, and the audit row a change
// writes in its own transaction.
#pragma once

#include <string>
#include <string_view>

#include "api/api_context.h"
#include "auth/authenticator.h"
#include "http/message.h"
#include "store/deployment_store.h"

namespace opz::api {

// A person acting on (project, environment) — continuing or aborting a
// canary, releasing a hold — needs at least `floor` and at least the
// environment's required_role (000 §7.2: an operator may not touch what only
// admins deploy; an environment that no longer exists: admins only). 403
// saying which role is needed otherwise; other store errors as they are.
Status check_environment_role(ApiContext& ctx, const auth::Principal& who,
                              const std::string& project_id, const std::string& environment,
                              auth::Role floor, std::string_view action);

// An audit row written inside a store transaction (the store's `also`).
store::DeploymentAlso audit_in(ApiContext& ctx, const http::Request& req,
                               const auth::Principal& who, std::string action,
                               std::string resource_type, std::string resource_id, Json details);

}  // namespace opz::api
