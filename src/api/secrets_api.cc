// Secrets (issue 12; docs/secrets.md, docs/api.md "Secrets and environment
// configuration"):
//   GET    /api/v1/projects/{id}/secrets                 the project's secrets, never a value
//   PUT    /api/v1/projects/{id}/secrets/{secret}        {"value", "environment"?}: 201 created,
//                                                        200 replaced (operator/admin)
//   DELETE /api/v1/projects/{id}/secrets/{secret}        ?environment=: 204
//   GET / PUT / DELETE /api/v1/secrets[/{secret}]        global secrets (PUT/DELETE admin)
// An answer never holds a value, ciphertext or key id beyond what is listed;
// audit rows name the secret, its scope and environment, never the value.
// Bad input is 422 naming the field ("name", "value", "environment") and
// stores nothing; without a master key PUT answers 503 saying how to create
// one (`opzenix secrets init`).
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "secrets/master_keys.h"
#include "secrets/secret_cipher.h"
#include "secrets/secret_rules.h"
#include "store/secret_store.h"

namespace opz::api {

namespace {

Json secret_json(const store::SecretRecord& s) {
  return Json{{"name", s.name},
              {"environment", s.environment.empty() ? Json(nullptr) : Json(s.environment)},
              {"scope", s.scope},
              {"updated_at", s.updated_at},
              {"updated_by", s.updated_by.empty() ? Json(nullptr) : Json(s.updated_by)}};
}

class SecretRoutes {
 public:
  explicit SecretRoutes(ApiContext& ctx) : ctx_(ctx), store_(ctx.db, ctx.clock) {}

  Result<Reply> list(http::Request& req) {
    const std::string project = req.param("id");
    std::vector<store::SecretRecord> rows;
    if (project.empty()) {
      OPZ_TRY(rows, store_.list_global());
    } else {
      OPZ_TRY_STATUS(check_id(project, "project"));
      OPZ_TRY(rows, store_.list_project(project));
    }
    Json items = Json::array();
    for (const auto& s : rows) items.push_back(secret_json(s));
    return Reply{200, Json{{"items", std::move(items)}}};
  }

  Result<Reply> put(http::Request& req, const auth::Principal& p) {
    const std::string project = req.param("id");
    const std::string name = req.param("secret");
    if (!project.empty()) OPZ_TRY_STATUS(check_id(project, "project"));
    OPZ_TRY_STATUS(secrets::check_secret_name(name));
    OPZ_TRY(Json body, parse_json_body(req));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    OPZ_TRY_STATUS(f.reject_unknown({"value", "environment"}));
    const Json* value = f.get("value");
    if (!value || !value->is_string())
      return Error::validation("'value' (a string) is required", "value");
    const std::string& text = value->get_ref<const std::string&>();
    OPZ_TRY_STATUS(secrets::check_secret_value(text));
    OPZ_TRY(auto environment, f.optional_string("environment", 200));
    const std::string env = environment.value_or("");
    if (!env.empty()) OPZ_TRY_STATUS(check_printable(env, "environment"));
    if (project.empty() && !env.empty())
      return Error::validation("a global secret has no environment", "environment");
    if (!ctx_.master_keys)
      return Error::unavailable("secrets are not available: no master key source");
    OPZ_TRY(auto ring, ctx_.master_keys->ring());
    auto seal = [&](const store::SecretRecord& row) -> Result<store::SecretCiphertext> {
      OPZ_TRY(secrets::SealedSecret s,
              secrets::seal_secret(*ring, {row.id, row.project_id, row.environment_id, row.name},
                                   text));
      return store::SecretCiphertext{s.key_id, s.nonce, s.ciphertext};
    };
    OPZ_TRY(store::SecretWrite w, store_.put(project, env, name, p.user_id, seal, audit(req, p)));
    return Reply{w.created ? 201 : 200, secret_json(w.record)};
  }

  Result<Reply> remove(http::Request& req, const auth::Principal& p) {
    const std::string project = req.param("id");
    const std::string name = req.param("secret");
    if (!project.empty()) OPZ_TRY_STATUS(check_id(project, "project"));
    OPZ_TRY_STATUS(secrets::check_secret_name(name));
    const std::string env = req.query_or("environment");
    OPZ_TRY_STATUS(store_.remove(project, env, name, audit(req, p, "secret.deleted")));
    return Reply{204, {}};
  }

 private:
  // Audit rows: what changed and where, never the value.
  store::SecretAlso audit(const http::Request& req, const auth::Principal& p,
                          std::string deleted_action = {}) {
    return [this, &req, &p, deleted_action](store::SqlSession& tx, const store::SecretRecord& s,
                                            bool created) -> Status {
      const std::string action = !deleted_action.empty() ? deleted_action
                                 : created               ? "secret.created"
                                                         : "secret.updated";
      Json details = secret_json(s);
      details["project_id"] = s.project_id.empty() ? Json(nullptr) : Json(s.project_id);
      if (deleted_action.empty()) details["key_id"] = s.sealed.key_id;
      return ctx_.audit.record_in(tx, {action, "secret", s.id, p.user_id, std::move(details),
                                       req.remote_addr, std::string(req.header("User-Agent"))});
    };
  }

  ApiContext& ctx_;
  store::SecretStore store_;
};

}  // namespace

Status register_secret_routes(http::Router& r, ApiContext& ctx) {
  auto routes = std::make_shared<SecretRoutes>(ctx);
  struct Scope {
    std::string base;
    std::string manage;
  };
  for (const Scope& scope : {Scope{"/api/v1/projects/{id}/secrets", "secrets.manage"},
                             Scope{"/api/v1/secrets", "secrets.manage_global"}}) {
    OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", scope.base, "secrets.read",
                                [routes](http::Request& req, const auth::Principal&) {
                                  return routes->list(req);
                                }));
    OPZ_TRY_STATUS(add_endpoint(r, ctx, "PUT", scope.base + "/{secret}", scope.manage,
                                [routes](http::Request& req, const auth::Principal& p) {
                                  return routes->put(req, p);
                                }));
    OPZ_TRY_STATUS(add_endpoint(r, ctx, "DELETE", scope.base + "/{secret}", scope.manage,
                                [routes](http::Request& req, const auth::Principal& p) {
                                  return routes->remove(req, p);
                                }));
  }
  return {};
}

}  // namespace opz::api
