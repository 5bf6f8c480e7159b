// FailoverTransport: an AgentTransport over several servers that share one
// database (docs/agents.md "Several servers"). Each request goes to the
// rotation's current server; a connection error, a timeout or a 5xx counts
// as that server's failure, anything else (2xx, 4xx) as its success. When a
// failure moves the rotation on, the same request is tried at once on the
// next server (each server at most once per request), so a result or a
// heartbeat is not held back by a dead server. While the rotation backs off
// after a full round of failures, requests fail at once with
// Error::unavailable, without I/O; the worker retries them at its own pace.
//
// Every agent request may be repeated on another server: the agent's token
// is valid on all of them, and the server side fences by lease generation
// (a complete sent twice answers 200 with first_time false, or 409).
// Thread-safe: the worker's poll loop and its reporter share it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/agent_transport.h"
#include "agent/server_rotation.h"
#include "core/clock.h"

namespace opz::agent {

class FailoverTransport final : public AgentTransport {
 public:
  using MakeTransport = std::function<std::unique_ptr<AgentTransport>(const std::string& url)>;

  // `servers` must not be empty; `make` builds the transport of one server
  // (HttpTransport in the agent, a fake in tests).
  FailoverTransport(std::vector<std::string> servers, const MakeTransport& make,
                    RotationPolicy policy = {}, const Clock& clock = SystemClock::instance());

  Result<HttpAnswer> post(const std::string& path, const Json& body,
                          std::chrono::milliseconds timeout) override;

  // The URL requests go to now.
  std::string current_server() const;

 private:
  std::vector<std::unique_ptr<AgentTransport>> transports_;
  const Clock& clock_;
  mutable std::mutex mu_;
  ServerRotation rotation_;  // guarded by mu_
};

}  // namespace opz::agent
