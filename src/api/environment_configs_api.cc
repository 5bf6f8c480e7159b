// Environment configuration (issue 12; docs/api.md "Secrets and environment
// configuration"): the non-secret variables of one project's environment,
// shown in full, injected into that environment's steps (below secrets) and
// recorded in checkpoints.
//   GET  /api/v1/projects/{id}/environments/{name}/config   {"variables": {...}, ...}
//   PUT  /api/v1/projects/{id}/environments/{name}/config   {"variables": {"KEY": "value"}}
//   POST /functions/v1/update-environment-config            the seed alias:
//        {"project_id", "environment", "variables"}
// PUT replaces every variable. Names are environment variable names
// ([A-Za-z_][A-Za-z0-9_]*, at most 128, not OPZENIX_*); values are strings,
// numbers or booleans (stored as text), at most 64 KiB, without NUL; at most
// 200 variables. Bad input is 422 naming the field ("variables.KEY"); an
// unknown project or environment 404. Changes are audited with the values
// before and after (they are not secret).
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/ids.h"
#include "core/json_optional.h"
#include "secrets/secret_rules.h"
#include "store/environment_config_store.h"

namespace opz::api {

namespace {

constexpr size_t kMaxVariables = 200;

Json variables_json(const std::map<std::string, std::string>& vars) {
  Json out = Json::object();
  for (const auto& [k, v] : vars) out[k] = v;
  return out;
}

Json config_json(const store::EnvironmentConfigRecord& c) {
  return Json{{"project_id", c.project_id},
              {"environment", c.environment},
              {"variables", variables_json(c.variables)},
              {"updated_at", string_or_null(c.updated_at)},
              {"updated_by", string_or_null(c.updated_by)}};
}

bool is_variable_name(const std::string& name) {
  if (name.empty() || name.size() > secrets::kMaxSecretNameLength) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return !name.starts_with("OPZENIX_");
}

Result<std::map<std::string, std::string>> read_variables(const Json* vars) {
  if (!vars || !vars->is_object())
    return Error::validation("'variables' must be an object of name -> value", "variables");
  if (vars->size() > kMaxVariables)
    return Error::validation("at most " + std::to_string(kMaxVariables) + " variables",
                             "variables");
  std::map<std::string, std::string> out;
  for (auto it = vars->begin(); it != vars->end(); ++it) {
    const std::string field = "variables." + it.key();
    if (!is_variable_name(it.key()))
      return Error::validation(
          "a variable name is [A-Za-z_][A-Za-z0-9_]* (at most 128, not OPZENIX_...)", field);
    std::string value;
    if (it->is_string()) {
      value = it->get<std::string>();
    } else if (it->is_number() || it->is_boolean()) {
      value = it->dump();
    } else {
      return Error::validation("a variable's value is a string, number or boolean", field);
    }
    Status ok = secrets::check_secret_value(value);
    if (!ok) return Error::validation(ok.error().message, field);
    out[it.key()] = std::move(value);
  }
  return out;
}

class EnvironmentConfigRoutes {
 public:
  explicit EnvironmentConfigRoutes(ApiContext& ctx) : ctx_(ctx), store_(ctx.db, ctx.clock) {}

  Result<Reply> get(const std::string& project, const std::string& environment) {
    OPZ_TRY_STATUS(check_id(project, "project"));
    OPZ_TRY(auto config, store_.get(project, environment));
    return Reply{200, config_json(config)};
  }

  Result<Reply> put(const http::Request& req, const auth::Principal& p, const std::string& project,
                    const std::string& environment, const Json* variables) {
    OPZ_TRY_STATUS(check_id(project, "project"));
    OPZ_TRY(auto vars, read_variables(variables));
    auto also = [&](store::SqlSession& tx, const store::EnvironmentConfigRecord& before,
                    const store::EnvironmentConfigRecord& after) -> Status {
      return ctx_.audit.record_in(
          tx, {"environment_config.updated", "environment_config", after.id, p.user_id,
               Json{{"project_id", project},
                    {"environment", environment},
                    {"before", variables_json(before.variables)},
                    {"after", variables_json(after.variables)}},
               req.remote_addr, std::string(req.header("User-Agent"))});
    };
    OPZ_TRY(auto config, store_.put(project, environment, vars, p.user_id, also));
    return Reply{200, config_json(config)};
  }

 private:
  ApiContext& ctx_;
  store::EnvironmentConfigStore store_;
};

}  // namespace

Status register_environment_config_routes(http::Router& r, ApiContext& ctx) {
  auto routes = std::make_shared<EnvironmentConfigRoutes>(ctx);
  const std::string path = "/api/v1/projects/{id}/environments/{name}/config";
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", path, "environment_config.read",
                              [routes](http::Request& req, const auth::Principal&) {
                                return routes->get(req.param("id"), req.param("name"));
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", path, "environment_config.manage",
      [routes](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.expect_object());
        OPZ_TRY_STATUS(f.reject_unknown({"variables"}));
        return routes->put(req, p, req.param("id"), req.param("name"), f.get("variables"));
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/functions/v1/update-environment-config", "environment_config.manage",
      [routes](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.expect_object());
        OPZ_TRY_STATUS(f.reject_unknown({"project_id", "environment", "variables"}));
        OPZ_TRY(std::string project, f.required_string("project_id", 64));
        OPZ_TRY(std::string environment, f.required_string("environment", 200));
        if (!is_uuid(project))
          return Error::validation("no project with id " + project, "project_id");
        return routes->put(req, p, project, environment, f.get("variables"));
      }));
  return {};
}

}  // namespace opz::api
