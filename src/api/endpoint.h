// Endpoint registration: every authenticated route goes through add_endpoint,
// which wraps the handler so that, before it runs,
//   1. the caller is authenticated (401 otherwise): the bearer token, or on
//      GET/HEAD the session cookie or access_token parameter
//      (authenticate_request),
//   2. the route's policy action is checked for the caller's role against the
//      one policy table in auth/policy.h (403 otherwise),
// and so that an Error returned by the handler becomes the JSON error shape.
// The action is also stored in the route's options, which lets the policy test
// walk every route x role.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "auth/authenticator.h"
#include "core/json.h"
#include "http/message.h"
#include "http/router.h"

namespace opz::api {

// A handler answers a status + JSON document, or an Error.
struct Reply {
  int status = 200;
  Json body;
  http::Headers headers = {};  // extra response headers (Set-Cookie)
};
using EndpointFn = std::function<Result<Reply>(http::Request&, const auth::Principal&)>;
using PublicFn = std::function<Result<Reply>(http::Request&)>;
// A handler whose answer is not a JSON document (the event stream's push
// response); an Error still becomes the JSON error shape.
using ResponseFn =
    std::function<Result<http::Response>(http::Request&, const auth::Principal&)>;
// A public handler that answers later: it calls `reply` exactly once, from
// any thread (e.g. from a Database::write_async completion).
using ReplyLater = std::function<void(Result<Reply>)>;
using PublicLaterFn = std::function<void(http::Request&, ReplyLater reply)>;

struct EndpointOptions {
  std::optional<uint64_t> max_body;
  // GET only: the 200 answer depends on nothing but the request target and
  // the database (not on the caller), so it may be served from
  // ApiContext::responses (see api/response_cache.h). Auth still runs.
  bool cached = false;
  // GET only: run on the handler pool, not the I/O thread
  // (http::RouteOptions::on_handler_pool): a read that may take long.
  bool on_handler_pool = false;
};
inline const EndpointOptions kCachedAnswer{std::nullopt, true};

// Options of a route that answers later.
struct LaterOptions {
  std::optional<uint64_t> max_body;
  // Run on the I/O thread (http::RouteOptions::on_io_thread): only when the
  // handler never blocks (reads at most; writes through write_async).
  bool on_io_thread = false;
};

// Registers an authenticated route; aborts start-up (returns the error) on a
// malformed pattern, a duplicate route or an action missing from the policy.
Status add_endpoint(http::Router& router, ApiContext& ctx, std::string method,
                    std::string_view pattern, std::string action, EndpointFn fn,
                    EndpointOptions options = {});
// The same checks for a handler that builds its own http::Response.
Status add_response_endpoint(http::Router& router, ApiContext& ctx, std::string method,
                             std::string_view pattern, std::string action, ResponseFn fn,
                             EndpointOptions options = {});
// Registers a public route (health, login, webhooks) with the same error mapping.
Status add_public(http::Router& router, std::string method, std::string_view pattern, PublicFn fn,
                  EndpointOptions options = {});
// The same for a handler that answers later (http::Response::deferred).
Status add_public_later(http::Router& router, std::string method, std::string_view pattern,
                        PublicLaterFn fn, LaterOptions options = {});

http::Response to_response(const Result<Reply>& reply);

// The caller of `req`, from what it presents (auth::Credentials: the
// Authorization header; on GET/HEAD also the opzenix_session cookie, then the
// access_token query parameter).
Result<auth::Principal> authenticate_request(auth::Authenticator& authn, const http::Request& req);

// {"items": [...], "next_cursor": ... } for every list.
Json list_body(Json items, const std::optional<std::string>& next_cursor);

}  // namespace opz::api
