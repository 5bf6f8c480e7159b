// HttpClient: the agent's own small HTTP/1.1 client (issue 14: libcurl
// alone made an idle agent 9.5 MB bigger, docs/performance.md). It does the
// one thing the agent needs: POST a body with Content-Length to its server
// and read the status and the answer (HttpResponseParser).
//
// Connections are kept alive and reused. Thread-safety: post() may be called
// from several threads at once (the agent's poll loop and its reporter); a
// call takes an idle connection from a small pool guarded by a mutex, or
// opens one, uses it alone and gives it back when the answer allowed
// keep-alive. So there are as many connections as calls at once, and at most
// `max_idle_connections` idle ones.
//
// A reused connection that turns out closed before any byte of the answer
// arrived (the server timed an idle connection out) is replaced by a new one
// and the request sent again, once: the server saw nothing it answered.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "agent/http_connection.h"
#include "agent/http_response_parser.h"
#include "agent/http_server_url.h"
#include "agent/http_tls.h"
#include "core/result.h"

namespace opz::agent {

struct HttpClientOptions {
  std::string ca_file;  // https: the CA bundle; empty = the system store (kSystemCaFile)
  std::chrono::milliseconds connect_timeout{10000};
  size_t max_idle_connections = 4;
  HttpResponseLimits limits;
};

class HttpClient {
 public:
  explicit HttpClient(ServerUrl server, HttpClientOptions options = {});
  ~HttpClient();

  // POSTs `body` as application/json to base path + `path` with a bearer
  // token when `token` is not empty; all of it, connecting included, within
  // `timeout`. Any status is an answer; no connection, a timeout or a
  // malformed answer is an Error (unavailable, or the parser's validation
  // error), its message starting "POST <url>: ".
  Result<HttpResponse> post(std::string_view path, std::string_view body, std::string_view token,
                            std::chrono::milliseconds timeout);

  // Connections opened so far (tests check the reuse).
  size_t connections_opened() const { return opened_; }

 private:
  std::unique_ptr<HttpConnection> take_idle();
  void give_back(std::unique_ptr<HttpConnection> conn);
  Result<std::unique_ptr<HttpConnection>> connect(Deadline deadline);
  Result<HttpResponse> exchange(HttpConnection& conn, const std::string& request,
                                HttpResponseParser& parser, Deadline deadline);

  const ServerUrl server_;
  const HttpClientOptions options_;
  std::mutex mu_;  // guards idle_ and tls_
  std::vector<std::unique_ptr<HttpConnection>> idle_;
  std::shared_ptr<TlsClientContext> tls_;  // made on the first https connection
  std::atomic<size_t> opened_{0};
};

}  // namespace opz::agent
