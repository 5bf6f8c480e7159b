#include "http/dispatcher.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <algorithm>
#include <array>
#include <exception>

#include "core/memory_release.h"
#include "http/error_body.h"
#include "http/request_id.h"
#include "http/target.h"
#include "telemetry/metrics.h"

namespace opz::http {

std::shared_ptr<spdlog::logger> http_logger() {
  if (auto existing = spdlog::get("http")) return existing;
  auto created = spdlog::default_logger()->clone("http");
  try {
    spdlog::register_logger(created);
  } catch (const spdlog::spdlog_ex&) {
    // Another thread registered it first; use theirs.
    if (auto existing = spdlog::get("http")) return existing;
  }
  return created;
}

namespace {

constexpr std::string_view kUnmatched = "unmatched";

std::string method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",   "HEAD",   "POST",   "PUT",
                                                             "PATCH", "DELETE", "OPTIONS"};
  for (auto m : kKnown)
    if (m == method) return std::string(m);
  return "other";
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_safe_header(const std::string& name, const std::string& value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) return false;
  for (const char* framing : {"content-length", "transfer-encoding", "connection"}) {
    if (strcasecmp(name.c_str(), framing) == 0) return false;
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, DispatchOptions options)
    : router_(router), options_(std::move(options)), log_(http_logger()) {
  if (options_.metrics == nullptr) return;
  auto requests = options_.metrics->counter("opzenix_http_requests_total",
                                            "HTTP requests answered, by route pattern.",
                                            {"route", "method", "status"});
  auto durations = options_.metrics->histogram(
      "opzenix_http_request_duration_seconds",
      "Time from request head to response sent, by route pattern.", {"route"});
  if (requests && durations) {
    requests_ = *requests;
    durations_ = *durations;
  } else {
    log_->error("HTTP metrics disabled: {}",
                (requests ? durations.error() : requests.error()).to_string());
  }
}

Dispatcher::~Dispatcher() = default;

Response Dispatcher::stamp(Response response, const std::string& request_id) const {
  if (response.status < 200 || response.status > 599) {
    log_->error("handler returned invalid status {} (request id {})", response.status, request_id);
    response = error_response(Error::internal("internal error (request id " + request_id + ")"));
  }
  Headers safe;
  for (const auto& [name, value] : response.headers.items()) {
    if (is_safe_header(name, value)) {
      safe.add(name, value);
    } else {
      log_->warn("dropped unsafe response header '{}' (request id {})",
                 name.substr(0, std::min<size_t>(name.size(), 64)), request_id);
    }
  }
  safe.set("X-Request-Id", request_id);
  response.headers = std::move(safe);
  return response;
}

Exchange Dispatcher::begin(RequestHead head) const {
  Exchange ex;
  Request& req = ex.request;
  req.method = std::move(head.method);
  req.target = std::move(head.target);
  req.headers = std::move(head.headers);
  req.remote_addr = std::move(head.remote_addr);
  req.request_id = accept_request_id(req.headers.get("X-Request-Id"));
  ex.route_label = kUnmatched;

  auto target = parse_target(req.target);
  if (!target) {
    ex.early = stamp(error_response(target.error()), req.request_id);
    return ex;
  }
  req.path = std::move(target->path);
  req.query = std::move(target->query);

  ex.route = router_.match(req.method, target->raw_path);
  switch (ex.route.kind) {
    case RouteMatch::Kind::kNotFound:
      ex.early =
          stamp(error_response(Error::not_found("no route matches this path")), req.request_id);
      return ex;
    case RouteMatch::Kind::kMethodNotAllowed: {
      ex.route_label = ex.route.pattern;
      Response r =
          error_response(Error{ErrorCode::kMethodNotAllowed,
                               "method " + method_label(req.method) +
                                   " is not allowed here; allowed: " + ex.route.allow_header(),
                               {}});
      r.headers.set("Allow", ex.route.allow_header());
      ex.early = stamp(std::move(r), req.request_id);
      return ex;
    }
    case RouteMatch::Kind::kFound:
      break;
  }
  ex.route_label = ex.route.pattern;
  req.path_params = std::move(ex.route.params);
  ex.route.params.clear();
  ex.body_limit = ex.route.options->max_body.value_or(options_.max_body);
  return ex;
}

Exchange Dispatcher::reject(const Error& error, std::string remote_addr, int status) const {
  Exchange ex;
  ex.request.method = "-";
  ex.request.remote_addr = std::move(remote_addr);
  ex.request.request_id = accept_request_id({});
  ex.route_label = kUnmatched;
  ex.early = stamp(status == 0 ? error_response(error) : error_response(status, error),
                   ex.request.request_id);
  return ex;
}

Response Dispatcher::handle(Exchange& ex, std::string body) const {
  Request& req = ex.request;
  if (ex.early) return *ex.early;
  ex.body_bytes = body.size();
  req.body = std::move(body);
  std::string failure;
  try {
    if (options_.before_handler) {
      if (std::optional<Response> answer = options_.before_handler(req, *ex.route.options)) {
        return stamp(std::move(*answer), req.request_id);
      }
    }
    return stamp((*ex.route.handler)(req), req.request_id);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  log_->error("handler for {} {} threw: {} (request id {})", method_label(req.method),
              ex.route_label, failure, req.request_id);
  return stamp(
      error_response(Error::internal("internal error (request id " + req.request_id + ")")),
      req.request_id);
}

Response Dispatcher::complete(const Exchange& ex, Response answer) const {
  return stamp(std::move(answer), ex.request.request_id);
}

Response Dispatcher::body_too_large(const Exchange& ex) const {
  return stamp(error_response(Error::too_large("request body exceeds the limit of " +
                                               std::to_string(ex.body_limit) + " bytes")),
               ex.request.request_id);
}

void Dispatcher::finish(const Exchange& ex, int status, uint64_t bytes_sent,
                        std::chrono::nanoseconds duration) const {
  // Large bodies leave their copies and parse trees in the allocator's
  // arenas: give those pages back now (core/memory_release.h).
  if (ex.body_bytes >= kLargeBodyBytes) release_free_memory();
  const double seconds = std::chrono::duration<double>(duration).count();
  if (requests_ != nullptr) {
    requests_->with({ex.route_label, method_label(ex.request.method), std::to_string(status)})
        .inc();
    durations_->with({ex.route_label}).observe(seconds);
  }
  const std::string_view target = ex.request.target;
  std::string_view raw_path = target.substr(0, target.find('?'));
  if (raw_path.size() > 256) raw_path = raw_path.substr(0, 256);
  log_->log(status >= 500 ? spdlog::level::warn : spdlog::level::info,
            "{} {} {} {}B {:.1f}ms rid={} remote={}", method_label(ex.request.method),
            raw_path.empty() ? "-" : raw_path, status, bytes_sent, seconds * 1000.0,
            ex.request.request_id, ex.request.remote_addr);
}

}  // namespace opz::http
