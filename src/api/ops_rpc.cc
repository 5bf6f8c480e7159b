#include "api/ops_rpc.h"

#include <algorithm>

#include "api/postgrest_error.h"
#include "core/ids.h"
#include "core/json_optional.h"

namespace opz::api {

namespace {

constexpr std::string_view kSchema = "ops";

// The profile the caller asked for (Content-Profile wins, as on a POST).
std::string requested_profile(const http::Request& req) {
  std::string_view p = req.header("Content-Profile");
  if (p.empty()) p = req.header("Accept-Profile");
  return std::string(p);
}

// "ops.fn(a, b)" for messages; user text is capped, never interpreted.
std::string signature(const std::string& function, const Json& args) {
  std::string s = std::string(kSchema) + "." + function.substr(0, 100) + "(";
  bool first = true;
  for (const auto& [key, value] : args.items()) {
    s += (first ? "" : ", ") + key.substr(0, 100);
    first = false;
  }
  return s + ")";
}

http::Response no_such_function(const std::string& function, const Json& args) {
  return postgrest_error(
      404, "PGRST202",
      "Could not find the function " + signature(function, args) + " in the schema cache",
      "Searched for the function " + std::string(kSchema) + "." + function.substr(0, 100) +
          " with the given parameters, but no matches were found in the schema cache.",
      "The ops functions are list_projects() and project_branches(project_id)");
}

// The call's arguments: the JSON object body (POST) or the query (GET).
Result<Json> read_arguments(const http::Request& req) {
  if (req.method != "POST") {
    Json args = Json::object();
    for (const auto& [key, value] : req.query)
      if (key != "access_token") args[key] = value;  // a GET's credential, not an argument
    return args;
  }
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  auto body = parse_json(req.body);
  if (!body || !body->is_object())
    return Error::validation("the body must be a JSON object of the function's arguments");
  return std::move(body).value();
}

// At most ctx.db_max_rows rows (db-max-rows), as PostgREST cuts an RPC's set.
http::Response rows_response(const ApiContext& ctx, Json rows) {
  const auto cap = static_cast<size_t>(std::max<int64_t>(ctx.db_max_rows, 0));
  if (rows.size() > cap) rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(cap), rows.end());
  http::Response r;
  r.status = 200;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.headers.set("Content-Profile", std::string(kSchema));
  r.body = dump_json(rows);
  return r;
}

http::Response store_failure(const Error& e) {
  return postgrest_error(e.code == ErrorCode::kUnavailable ? 503 : 500, "PGRST000",
                         "the database could not answer: " + e.message);
}

http::Response list_projects(ApiContext& ctx) {
  auto rows = store::OpsProjectStore(ctx.db).list_projects();
  if (!rows) return store_failure(rows.error());
  Json out = Json::array();
  for (const auto& row : *rows) out.push_back(to_json(row));
  return rows_response(ctx, std::move(out));
}

http::Response project_branches(ApiContext& ctx, const Json& args) {
  auto id = args.find("project_id");
  if (id == args.end())
    return postgrest_error(400, "22023",
                           "missing argument project_id of ops.project_branches(project_id)",
                           "project_id", R"(send {"project_id": "<uuid>"})");
  const std::string text = id->is_string() ? id->get<std::string>() : dump_json(*id);
  if (!id->is_string() || !is_uuid(text))
    return postgrest_error(400, "22P02",
                           "invalid input syntax for type uuid: \"" + text.substr(0, 100) + "\"",
                           "project_id");
  auto rows = store::OpsProjectStore(ctx.db).project_branches(text);
  Json out = Json::array();
  if (!rows) {
    if (!rows.error().is_not_found()) return store_failure(rows.error());
    return rows_response(ctx, std::move(out));  // no such project: no rows
  }
  for (const auto& row : *rows) out.push_back(to_json(row));
  return rows_response(ctx, std::move(out));
}

}  // namespace

http::Response answer_ops_rpc(ApiContext& ctx, const http::Request& req,
                              const std::string& function) {
  const std::string profile = requested_profile(req);
  if (!profile.empty() && profile != kSchema)
    return postgrest_error(406, "PGRST106", "The schema must be one of the following: ops",
                           "asked for schema '" + profile.substr(0, 100) + "'");
  auto args = read_arguments(req);
  if (!args) return postgrest_error(400, "PGRST102", "Empty or invalid json", args.error().message);
  if (function == "list_projects" && args->empty()) return list_projects(ctx);
  if (function == "project_branches") {
    for (const auto& [key, value] : args->items())
      if (key != "project_id") return no_such_function(function, *args);
    return project_branches(ctx, *args);
  }
  return no_such_function(function, *args);
}

Json to_json(const store::OpsProjectRow& r) {
  return {{"id", r.id},
          {"org_id", string_or_null(r.org_id)},
          {"name", r.name},
          {"slug", r.slug},
          {"repo_url", string_or_null(r.repo_url)},
          {"runtime_version", string_or_null(r.runtime_version)},
          {"created_at", r.created_at},
          {"branch_count", r.branch_count},
          {"last_build_status", string_or_null(r.last_build_status)},
          {"last_build_at", string_or_null(r.last_build_at)}};
}

Json to_json(const store::OpsBranchRow& r) {
  return {{"id", r.id},
          {"project_id", r.project_id},
          {"name", r.name},
          {"stage", r.stage},
          {"is_production", r.is_production},
          {"created_at", r.created_at},
          {"last_build_status", string_or_null(r.last_build_status)},
          {"last_build_at", string_or_null(r.last_build_at)}};
}

}  // namespace opz::api
