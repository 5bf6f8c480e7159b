// Request and Response: Opzenix's own HTTP message types.
//
// Handlers (api/) see only these, never Boost.Beast types, so that handler
// files compile fast and are testable without sockets. The transport
// (http/server.cc) converts at the edge.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opz::http {

// Case-insensitive header lookup; keeps insertion order for output.
class Headers {
 public:
  void add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
  }
  void set(std::string name, std::string value);
  // Empty string_view when absent (first match wins).
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  std::string method;  // "GET", "POST", ... upper case
  std::string target;  // raw request target, "/api/v1/x?y=1"
  std::string path;    // percent-decoded path without query
  std::map<std::string, std::string> query;        // decoded; last value wins
  std::map<std::string, std::string> path_params;  // filled by the Router
  Headers headers;
  std::string body;
  std::string request_id;   // X-Request-Id (given or generated)
  std::string remote_addr;  // "127.0.0.1:53211"

  std::string_view header(std::string_view name) const { return headers.get(name); }
  // Query parameter or `fallback` when absent.
  std::string query_or(const std::string& key, std::string fallback = {}) const {
    auto it = query.find(key);
    return it == query.end() ? std::move(fallback) : it->second;
  }
  const std::string& param(const std::string& key) const {
    static const std::string kEmpty;
    auto it = path_params.find(key);
    return it == path_params.end() ? kEmpty : it->second;
  }
};

// A streaming body (server-sent events, log follow). The transport calls
// `next` repeatedly from its I/O thread until it returns false; each call may
// block up to ~1 s waiting for data and appends what it has to `out`.
// Returning false ends the response. `next` must be thread-compatible.
using BodyStream = std::function<bool(std::string& out)>;

class PendingAnswer;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::shared_ptr<BodyStream> stream;  // when set, `body` is ignored and sent chunked
  // When set, the handler answers later (see PendingAnswer); the rest of this
  // Response is ignored.
  std::shared_ptr<PendingAnswer> later;

  static Response deferred(std::shared_ptr<PendingAnswer> pending) {
    Response r;
    r.later = std::move(pending);
    return r;
  }

  static Response json(int status, std::string body) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
  }
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8") {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
  }
};

using Handler = std::function<Response(Request&)>;

// An answer given after the handler has returned (Response::deferred): for a
// handler that must not block its thread while, say, a database write it
// queued commits. Whoever holds it calls answer() exactly once, from any
// thread; the transport then sends the response from the connection's own
// I/O thread. Dropped without an answer, it answers 500, so a connection
// never hangs on a lost answer. Thread-safe.
class PendingAnswer {
 public:
  PendingAnswer() = default;
  ~PendingAnswer();
  PendingAnswer(const PendingAnswer&) = delete;
  PendingAnswer& operator=(const PendingAnswer&) = delete;

  void answer(Response response);
  // The transport's side: `then` gets the answer once, at once when it is
  // already given, else on the answering thread.
  void on_answer(std::function<void(Response)> then);

 private:
  std::mutex mu_;
  std::optional<Response> response_;
  std::function<void(Response)> then_;
  bool answered_ = false;
};

}  // namespace opz::http
