// Seed 003's RPCs in PostgREST's convention (ops.list_projects() and
// ops.project_branches(project_id) on PostgreSQL):
//   POST /rest/v1/rpc/<function>   arguments as a JSON object body ({} or empty)
//   GET  /rest/v1/rpc/<function>   arguments as query parameters
// answer 200 with a JSON array of rows (set-returning functions), at most
// ApiContext::db_max_rows of them (db-max-rows, as PostgREST cuts them). The schema
// is "ops": a Content-Profile / Accept-Profile header, when sent, must name it
// (406 PGRST106 otherwise). Errors have PostgREST's shape
// {"code","message","details","hint"} (api/postgrest_error.h):
//   unknown function, or arguments it does not take   404 PGRST202
//   body that is not a JSON object                     400 PGRST102
//   missing project_id                                 400 22023 (names it)
//   project_id not a UUID                              400 22P02 (PostgreSQL's text)
// An unknown but well-formed project_id answers [] (as the SQL function would).
// Rows: docs/ops-backend.md. Thread-safe (reads only).
#pragma once

#include "api/api_context.h"
#include "core/json.h"
#include "http/message.h"
#include "store/ops_project_store.h"

namespace opz::api {

http::Response answer_ops_rpc(ApiContext& ctx, const http::Request& req,
                              const std::string& function);

// One row of list_projects / project_branches (empty text -> null).
Json to_json(const store::OpsProjectRow& row);
Json to_json(const store::OpsBranchRow& row);

}  // namespace opz::api
