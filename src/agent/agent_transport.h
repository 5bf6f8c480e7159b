// AgentTransport: how the agent process talks to its server: POST a JSON
// body to a path, get the status and JSON answer. HttpTransport is the real
// one: the agent's own HTTP/1.1 client (http_client.h; keep-alive, TLS only
// for https:// servers), `Authorization: Bearer <agent token>`; tests may
// fake it. A transport error (no connection, timeout, a malformed answer) is
// an Error; any HTTP status is an answer. Thread-safe (HttpClient's
// connection pool).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/json.h"
#include "core/result.h"

namespace opz::agent {

class HttpClient;

struct HttpAnswer {
  long status = 0;
  Json body;  // null when the answer had no JSON body
};

class AgentTransport {
 public:
  virtual ~AgentTransport() = default;
  virtual Result<HttpAnswer> post(const std::string& path, const Json& body,
                                  std::chrono::milliseconds timeout) = 0;
};

struct HttpTransportOptions {
  // https: the CA bundle that signs the server's certificate; empty = the
  // system store (/etc/ssl/certs/ca-certificates.crt).
  std::string ca_file;
};

class HttpTransport final : public AgentTransport {
 public:
  // `server`: "http(s)://host[:port][/base]" (a trailing '/' is dropped);
  // `token` may be empty (registration). A bad URL is reported by post().
  HttpTransport(const std::string& server, std::string token, HttpTransportOptions options = {});
  ~HttpTransport() override;
  Result<HttpAnswer> post(const std::string& path, const Json& body,
                          std::chrono::milliseconds timeout) override;

 private:
  std::string token_;
  std::unique_ptr<HttpClient> client_;
  std::optional<Error> bad_url_;
};

}  // namespace opz::agent
