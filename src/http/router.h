// Router: the table (method, pattern) -> Handler, with path parameters.
//
// Patterns are absolute paths whose segments are literals or "{name}"
// parameters: "/api/v1/executions/{id}/nodes/{node_id}/logs". Matching rules:
//   - The path given to match() is the RAW path (still percent-encoded); it is
//     split on '/' first and each segment is decoded afterwards, so "%2F" inside
//     a parameter is data ("a%2Fb" -> "a/b"), not a separator. A segment with a
//     malformed escape matches nothing.
//   - Literal segments beat parameters; when a literal branch leads to no route
//     for the whole path, the parameter branch is tried (backtracking).
//   - The first node (literals first) that has routes for the whole path
//     decides: if the method is not registered there the answer is
//     kMethodNotAllowed with the allowed methods (HEAD is allowed, and served by
//     the GET handler, wherever GET is registered and HEAD is not).
//   - Parameters never match an empty segment, "." or ".." (handlers often turn
//     ids into file names).
//   - Trailing slashes are significant: "/x/" does not match "/x". No redirects.
//   - Methods are case-sensitive (RFC 9110); register them upper case.
//   - The fallback (set_fallback): a GET or HEAD whose path matches no route
//     at all (kNotFound, never kMethodNotAllowed) and is not under one of the
//     fallback's reserved prefixes goes to the fallback handler, reported with
//     the pattern "*" (so metrics stay bounded). A prefix "/api" reserves
//     "/api" and everything under "/api/" (not "/apiary"): unmatched API
//     paths keep their JSON 404. This is how the web app's client routes
//     ("/executions/abc") reach its index.html.
// add() returns an error for a malformed pattern or a duplicate (method,
// pattern). Thread-safety: build the table on one thread, then match()/routes()
// may be called concurrently (const).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace opz::http {

struct RouteOptions {
  std::string action;                // policy action name checked by auth; empty = public
  std::optional<uint64_t> max_body;  // request body limit; unset = the server default
  // A POST/PUT/... handler that runs on the I/O thread like a GET (see
  // server.h): it must not block either. It reads at most, hands its writes
  // to Database::write_async and answers with Response::deferred.
  bool on_io_thread = false;
  // A GET/HEAD handler that runs on the handler pool instead of the I/O
  // thread (see server.h): a read that may take long (a large scan) and so
  // must not stall the other connections its I/O thread serves.
  bool on_handler_pool = false;
};

// One registered route, as listed by Router::routes().
struct RouteInfo {
  std::string method;
  std::string pattern;
  RouteOptions options;
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  // kFound: the route. Pointers stay valid as long as the Router lives.
  const Handler* handler = nullptr;
  const RouteOptions* options = nullptr;
  std::map<std::string, std::string> params;  // decoded parameter values
  // kFound and kMethodNotAllowed: the pattern of the matched path.
  std::string_view pattern;
  // kMethodNotAllowed: sorted allowed methods, for the `Allow` header.
  std::vector<std::string> allowed;

  bool found() const { return kind == Kind::kFound; }
  // "GET, HEAD, POST"
  std::string allow_header() const;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  Status add(std::string method, std::string_view pattern, Handler handler,
             RouteOptions options = {});

  RouteMatch match(std::string_view method, std::string_view raw_path) const;

  // Replaces the fallback for unmatched GET/HEAD (see the rules above).
  void set_fallback(Handler handler, std::vector<std::string> reserved_prefixes,
                    RouteOptions options = {});

  // Every registered route, in registration order.
  std::vector<RouteInfo> routes() const;

 private:
  struct Node;
  struct Route;
  struct Fallback;
  bool falls_back(std::string_view method, std::string_view raw_path) const;
  std::unique_ptr<Node> root_;
  std::vector<RouteInfo> listed_;
  std::unique_ptr<Fallback> fallback_;
};

}  // namespace opz::http
