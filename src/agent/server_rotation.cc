#include "agent/server_rotation.h"

#include <cassert>
#include <sstream>

#include "core/backoff.h"

namespace opz::agent {

ServerRotation::ServerRotation(std::vector<std::string> servers, RotationPolicy policy)
    : servers_(std::move(servers)), policy_(policy) {
  assert(!servers_.empty());
  if (policy_.failures_before_switch < 1) policy_.failures_before_switch = 1;
}

void ServerRotation::succeeded(size_t index) {
  if (index != current_) return;
  failures_ = 0;
  servers_left_ = 0;
  rounds_failed_ = 0;
}

bool ServerRotation::failed(size_t index, TimePoint now) {
  if (index != current_) return false;
  if (++failures_ < policy_.failures_before_switch) return false;
  failures_ = 0;
  current_ = (current_ + 1) % servers_.size();
  if (++servers_left_ >= servers_.size()) {
    servers_left_ = 0;
    ++rounds_failed_;
    resume_at_ = now + exponential_backoff(rounds_failed_, policy_.initial_backoff,
                                           policy_.max_backoff);
  }
  return true;
}

std::vector<std::string> split_server_urls(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& value : values) {
    std::stringstream in(value);
    std::string url;
    while (std::getline(in, url, ',')) {
      while (!url.empty() && (url.back() == '/' || url.back() == ' ')) url.pop_back();
      while (!url.empty() && url.front() == ' ') url.erase(0, 1);
      if (!url.empty()) out.push_back(url);
    }
  }
  return out;
}

}  // namespace opz::agent
