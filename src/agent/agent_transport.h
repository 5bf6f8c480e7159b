// AgentTransport: how the agent process talks to its server: POST a JSON
// body to a path, get the status and JSON answer. CurlTransport is the real
// one (libcurl, `Authorization: Bearer <agent token>`); tests may fake it.
// A transport error (no connection, timeout) is an Error; any HTTP status is
// an answer. Thread-safe (a curl handle per call).
#pragma once

#include <chrono>
#include <string>

#include "core/json.h"
#include "core/result.h"

namespace opz::agent {

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

class CurlTransport final : public AgentTransport {
 public:
  // `server`: "http://host:port" (a trailing '/' is dropped); `token` may be
  // empty (registration).
  CurlTransport(std::string server, std::string token);
  Result<HttpAnswer> post(const std::string& path, const Json& body,
                          std::chrono::milliseconds timeout) override;

 private:
  std::string server_;
  std::string token_;
};

}  // namespace opz::agent
