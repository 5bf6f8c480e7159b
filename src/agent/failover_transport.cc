#include "agent/failover_transport.h"

#include <spdlog/spdlog.h>

namespace opz::agent {

namespace {

bool server_failed(const Result<HttpAnswer>& answer) { return !answer || answer->status >= 500; }

std::string describe(const Result<HttpAnswer>& answer) {
  return answer ? "answered " + std::to_string(answer->status) : answer.error().message;
}

}  // namespace

FailoverTransport::FailoverTransport(std::vector<std::string> servers, const MakeTransport& make,
                                     RotationPolicy policy, const Clock& clock)
    : clock_(clock), rotation_(std::move(servers), policy) {
  for (size_t i = 0; i < rotation_.size(); ++i) transports_.push_back(make(rotation_.server(i)));
}

std::string FailoverTransport::current_server() const {
  std::lock_guard lock(mu_);
  return rotation_.server(rotation_.current());
}

Result<HttpAnswer> FailoverTransport::post(const std::string& path, const Json& body,
                                           std::chrono::milliseconds timeout) {
  Result<HttpAnswer> answer = Error::unavailable("no server tried");
  for (size_t tries = 0; tries < transports_.size(); ++tries) {
    size_t index = 0;
    {
      std::lock_guard lock(mu_);
      if (!rotation_.may_try(clock_.now())) {
        if (tries > 0) return answer;  // the last server's own failure says more
        return Error::unavailable("every server failed; backing off before the next round");
      }
      index = rotation_.current();
    }
    answer = transports_[index]->post(path, body, timeout);
    std::lock_guard lock(mu_);
    if (!server_failed(answer)) {
      rotation_.succeeded(index);
      return answer;
    }
    if (!rotation_.failed(index, clock_.now())) return answer;
    spdlog::warn("agent: server {} {}; switching to {}", rotation_.server(index), describe(answer),
                 rotation_.server(rotation_.current()));
  }
  return answer;
}

}  // namespace opz::agent
