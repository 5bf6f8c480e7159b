// Reading "start an execution" requests and performing cancel/rerun, shared by
// the /api/v1 routes and the seeds' /functions/v1 aliases, so both behave
// identically.
#pragma once

#include <string>

#include "api/api_context.h"
#include "api/endpoint.h"
#include "auth/authenticator.h"
#include "engine/engine.h"

namespace opz::api {

// Body: {"project_id"?, "pipeline_yaml"? | "flow_template_id"?, "environment",
// "branch"?, "commit_sha"?, "tag"?, "name"?}. Without a pipeline or template
// the pipeline is opzenix.yml of the project's repository at that commit.
// Starting in Production needs the admin role (000 §7.2 "Access Production").
Result<engine::NewExecution> read_start_request(ApiContext& ctx, const Json& body,
                                                const auth::Principal& who);

Result<Reply> cancel_execution(ApiContext& ctx, const std::string& id, const std::string& reason,
                               const auth::Principal& who, const std::string& ip);
Result<Reply> rerun_execution(ApiContext& ctx, const std::string& id,
                              const std::string& checkpoint_id, bool failed_only,
                              const auth::Principal& who, const std::string& ip);
Result<Reply> node_logs_reply(ApiContext& ctx, const std::string& execution_id,
                              const std::string& node_id, const std::string& after,
                              const std::string& limit);

// Environments whose executions need admin rights (seed 000 §4.1/§7.2).
bool is_production_environment(std::string_view environment);

}  // namespace opz::api
