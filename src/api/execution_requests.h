// Reading "start an execution" requests and performing cancel/rerun, shared by
// the /api/v1 routes and the seeds' /functions/v1 aliases, so both behave
// identically.
#pragma once

#include <string>

#include "api/api_context.h"
#include "api/endpoint.h"
#include "auth/authenticator.h"
#include "engine/engine.h"
#include "trigger/admission.h"

namespace opz::api {

// Body: {"project_id"?, "pipeline_yaml"? | "flow_template_id"?, "environment",
// "branch"?, "commit_sha"?, "tag"?, "name"?}. Without a pipeline or template
// the pipeline is opzenix.yml of the project's repository at that commit.
// Also "override_freeze_reason"? (admins: run through a freeze window). The
// typed governance request goes with it: who may start where is decided by
// the environment's protection on the one admission path, never here.
Result<trigger::AdmissionRequest> read_start_request(ApiContext& ctx, const Json& body,
                                                     const auth::Principal& who);
// POST /api/v1/executions and its seed alias: admit, create, audit.
Result<store::ExecutionRecord> start_execution(ApiContext& ctx, trigger::AdmissionRequest request,
                                               const auth::Principal& who,
                                               const http::Request& req, const char* via);
// Cancel, rerun and fail act on an execution: the caller's role must be at
// least what its environment requires (an operator cannot touch an
// admin-only environment's executions). 403 otherwise.
Status check_execution_action(ApiContext& ctx, const store::ExecutionRecord& execution,
                              const auth::Principal& who, std::string_view action);

Result<Reply> cancel_execution(ApiContext& ctx, const std::string& id, const std::string& reason,
                               const auth::Principal& who, const std::string& ip);
Result<Reply> rerun_execution(ApiContext& ctx, const std::string& id,
                              const std::string& checkpoint_id, bool failed_only,
                              const auth::Principal& who, const std::string& ip);
Result<Reply> node_logs_reply(ApiContext& ctx, const std::string& execution_id,
                              const std::string& node_id, const std::string& after,
                              const std::string& limit);

Result<Reply> fail_execution(ApiContext& ctx, const std::string& id, const std::string& reason,
                             const auth::Principal& who, const std::string& ip);

}  // namespace opz::api
