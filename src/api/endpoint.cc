#include "api/endpoint.h"

#include "audit/audit_log.h"
#include "auth/policy.h"
#include "http/error_body.h"

namespace opz::api {

namespace {

// A refused attempt to change something (the policy table's 403, or a
// handler's) is audited on its own transaction: it changes nothing else.
// Refused reads are not audited.
void audit_denied(audit::AuditLog& audit, const http::Request& req, const auth::Principal& who,
                  const std::string& action, const Error& refusal) {
  if (req.method != "POST" && req.method != "PUT" && req.method != "PATCH" &&
      req.method != "DELETE")
    return;
  (void)audit.record({"access.denied", "route", req.path, who.user_id,
                      Json{{"action", action},
                           {"method", req.method},
                           {"path", req.path},
                           {"role", std::string(auth::to_string(who.role))},
                           {"reason", refusal.message}},
                      req.remote_addr, std::string(req.header("User-Agent"))});
}

// The caller of `req` if it may perform `action`: 401 without valid
// credentials, 403 (audited for state-changing methods) when the role's
// policy refuses it.
Result<auth::Principal> admit_caller(auth::Authenticator& authn, audit::AuditLog& audit,
                                     const http::Request& req, const std::string& action) {
  OPZ_TRY(auth::Principal who, authenticate_request(authn, req));
  if (!auth::is_allowed(action, who.role)) {
    Error refused = Error::forbidden("role '" + std::string(auth::to_string(who.role)) +
                                     "' may not " + action);
    audit_denied(audit, req, who, action, refused);
    return refused;
  }
  return who;
}

// The route options every authenticated route carries: its policy action
// (walked by the policy test); a missing action aborts start-up.
Result<http::RouteOptions> authenticated_route(const std::string& method,
                                               std::string_view pattern,
                                               const std::string& action) {
  if (!auth::find_policy(action))
    return Error::internal("route " + method + " " + std::string(pattern) + " names action '" +
                           action + "' which is not in the policy table");
  http::RouteOptions ro;
  ro.action = action;
  return ro;
}

}  // namespace

http::Response to_response(const Result<Reply>& reply) {
  if (!reply) return http::error_response(reply.error());
  http::Response r;
  if (reply->status == 204) {
    r.status = 204;
  } else {
    r = http::Response::json(reply->status, dump_json(reply->body));
  }
  for (const auto& [name, value] : reply->headers.items()) r.headers.add(name, value);
  return r;
}

Result<auth::Principal> authenticate_request(auth::Authenticator& authn, const http::Request& req) {
  auth::Credentials presented;
  presented.authorization = req.header("Authorization");
  presented.cookie_header = req.header("Cookie");
  presented.apikey = req.header("apikey");
  if (auto it = req.query.find("access_token"); it != req.query.end())
    presented.access_token = it->second;
  presented.safe_method = req.method == "GET" || req.method == "HEAD";
  return authn.authenticate(presented);
}

Json list_body(Json items, const std::optional<std::string>& next_cursor) {
  Json out = Json::object();
  out["items"] = std::move(items);
  out["next_cursor"] = next_cursor ? Json(*next_cursor) : Json(nullptr);
  return out;
}

Status add_endpoint(http::Router& router, ApiContext& ctx, std::string method,
                    std::string_view pattern, std::string action, EndpointFn fn,
                    EndpointOptions options) {
  OPZ_TRY(http::RouteOptions ro, authenticated_route(method, pattern, action));
  ro.max_body = options.max_body;
  ro.on_handler_pool = options.on_handler_pool;
  if (options.cached && method != "GET")
    return Error::internal("route " + method + " " + std::string(pattern) +
                           ": only GET answers may be cached");
  auth::Authenticator* authn = &ctx.authenticator;
  ResponseCache* cache = options.cached ? ctx.responses : nullptr;
  store::Database* db = &ctx.db;
  audit::AuditLog* audit = &ctx.audit;
  return router.add(
      std::move(method), pattern,
      [authn, action, cache, db, audit, fn = std::move(fn)](http::Request& req) -> http::Response {
        auto who = admit_caller(*authn, *audit, req, action);
        if (!who) return http::error_response(who.error());
        if (cache == nullptr) {
          Result<Reply> reply = fn(req, *who);
          if (!reply && reply.error().code == ErrorCode::kForbidden)
            audit_denied(*audit, req, *who, action, reply.error());
          return to_response(reply);
        }
        const uint64_t generation = db->committed_writes();  // before the query: see the cache
        if (auto body = cache->find(req.target, generation))
          return http::Response::json(200, std::move(*body));
        Result<Reply> reply = fn(req, *who);
        http::Response res = to_response(reply);
        if (reply && reply->status == 200) cache->store(req.target, generation, res.body);
        return res;
      },
      std::move(ro));
}

Status add_response_endpoint(http::Router& router, ApiContext& ctx, std::string method,
                             std::string_view pattern, std::string action, ResponseFn fn,
                             EndpointOptions options) {
  OPZ_TRY(http::RouteOptions ro, authenticated_route(method, pattern, action));
  ro.max_body = options.max_body;
  ro.on_handler_pool = options.on_handler_pool;
  auth::Authenticator* authn = &ctx.authenticator;
  audit::AuditLog* audit = &ctx.audit;
  return router.add(
      std::move(method), pattern,
      [authn, audit, action, fn = std::move(fn)](http::Request& req) -> http::Response {
        auto who = admit_caller(*authn, *audit, req, action);
        if (!who) return http::error_response(who.error());
        Result<http::Response> res = fn(req, *who);
        if (!res) return http::error_response(res.error());
        return std::move(res).value();
      },
      std::move(ro));
}

Status add_public(http::Router& router, std::string method, std::string_view pattern, PublicFn fn,
                  EndpointOptions options) {
  http::RouteOptions ro;
  ro.max_body = options.max_body;
  return router.add(
      std::move(method), pattern,
      [fn = std::move(fn)](http::Request& req) -> http::Response { return to_response(fn(req)); },
      std::move(ro));
}

Status add_public_later(http::Router& router, std::string method, std::string_view pattern,
                        PublicLaterFn fn, LaterOptions options) {
  http::RouteOptions ro;
  ro.max_body = options.max_body;
  ro.on_io_thread = options.on_io_thread;
  return router.add(
      std::move(method), pattern,
      [fn = std::move(fn)](http::Request& req) -> http::Response {
        auto pending = std::make_shared<http::PendingAnswer>();
        fn(req, [pending](const Result<Reply>& reply) { pending->answer(to_response(reply)); });
        return http::Response::deferred(std::move(pending));
      },
      std::move(ro));
}

}  // namespace opz::api
