// Dispatcher: everything the transport does with a request that is not I/O.
//
// The Beast session (beast_server.cc) reads bytes and writes bytes; this class
// decides what happens in between, so that it is testable without sockets:
//   1. begin(head): parse the target, keep or make the X-Request-Id, route.
//      Answers 400 (bad target), 404 or 405 (with Allow) as `early` responses,
//      and tells the body limit of the route (or the server default).
//   2. handle(exchange, body): the before_handler hook (auth), then the
//      handler. Exceptions from either become a 500 JSON error, logged with the
//      request id; nothing escapes.
//   3. finish(exchange, status, bytes, duration): the access log line on the
//      "http" logger (method, raw path without query, status, bytes, duration,
//      request id, remote address; never headers or the query string) and the
//      metrics opzenix_http_requests_total{route,method,status} and
//      opzenix_http_request_duration_seconds{route}. The route label is the
//      pattern ("unmatched" when no path matched); unknown methods count as
//      "other", so label cardinality stays bounded.
// Every Response it returns carries X-Request-Id, a valid status, and only
// headers that are safe to write (no CR/LF/NUL; framing headers such as
// Content-Length, Transfer-Encoding and Connection are the transport's).
// Thread-safety: all methods are const and may be called concurrently; the
// Router, the hook and the registry must outlive the Dispatcher.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "http/message.h"
#include "http/router.h"

namespace spdlog {
class logger;
}
namespace opz::telemetry {
class MetricsRegistry;
template <typename M>
class Family;
class Counter;
class Histogram;
}  // namespace opz::telemetry

namespace opz::http {

// Called after routing, before the handler; a returned Response is sent instead
// of calling the handler (e.g. 401/403 from the API layer's auth).
using BeforeHandler = std::function<std::optional<Response>(Request&, const RouteOptions&)>;

inline constexpr uint64_t kDefaultMaxBody = 10ull * 1024 * 1024;

struct DispatchOptions {
  uint64_t max_body = kDefaultMaxBody;
  BeforeHandler before_handler;                   // optional
  telemetry::MetricsRegistry* metrics = nullptr;  // optional; must outlive the Dispatcher
};

// The request head as the transport read it.
struct RequestHead {
  std::string method;
  std::string target;
  Headers headers;
  std::string remote_addr;
};

// One request on its way through the Dispatcher.
struct Exchange {
  Request request;
  RouteMatch route;
  std::optional<Response> early;  // answer without reading the body or calling a handler
  uint64_t body_limit = 0;        // bytes; meaningful when !early
  std::string route_label;        // metrics label
  uint64_t body_bytes = 0;        // the request body's size, once read
};

class Dispatcher {
 public:
  Dispatcher(const Router& router, DispatchOptions options);
  ~Dispatcher();

  Exchange begin(RequestHead head) const;
  // For a request whose head could not be parsed: an Exchange whose `early` is
  // the error, with `status` (0 = mapped from the code), so finish() counts it.
  Exchange reject(const Error& error, std::string remote_addr, int status = 0) const;
  Response handle(Exchange& exchange, std::string body) const;
  // The answer of a handler that answered later (Response::later), ready to
  // send: stamped like handle()'s.
  Response complete(const Exchange& exchange, Response answer) const;
  // 413 for a body over exchange.body_limit.
  Response body_too_large(const Exchange& exchange) const;
  void finish(const Exchange& exchange, int status, uint64_t bytes_sent,
              std::chrono::nanoseconds duration) const;

 private:
  Response stamp(Response response, const std::string& request_id) const;

  const Router& router_;
  DispatchOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  telemetry::Family<telemetry::Counter>* requests_ = nullptr;
  telemetry::Family<telemetry::Histogram>* durations_ = nullptr;
};

// The "http" logger (created from the default logger's sinks on first use).
std::shared_ptr<spdlog::logger> http_logger();

}  // namespace opz::http
