// ServerRotation: which of an agent's servers it talks to now (docs/agents.md
// "Several servers"). Pure: no I/O, no clock of its own (the caller passes
// `now`, from an opz::Clock), so failover is tested without a network or sleeps.
//
// The agent talks to one server at a time (the current one). A server that
// fails `failures_before_switch` times in a row (no connection, a timeout or
// a 5xx answer) is left for the next one, round-robin. When every server has
// been left in turn without one success between, a full round failed: the
// agent backs off (`may_try` is false until `now + backoff`, the back-off
// doubling from `initial_backoff` to `max_backoff`) before trying the next
// round. Any success resets the counts and the back-off.
//
// Outcomes are reported with the index of the server they came from: an
// outcome of a server that is no longer current (a request that was under
// way when another thread's failures moved on) changes nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/clock.h"

namespace opz::agent {

struct RotationPolicy {
  int failures_before_switch = 2;
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
};

class ServerRotation {
 public:
  // `servers` must not be empty.
  explicit ServerRotation(std::vector<std::string> servers, RotationPolicy policy = {});

  size_t current() const { return current_; }
  const std::string& server(size_t index) const { return servers_[index]; }
  size_t size() const { return servers_.size(); }

  // False while backing off after a full round of failures.
  bool may_try(TimePoint now) const { return now >= resume_at_; }
  TimePoint resume_at() const { return resume_at_; }

  void succeeded(size_t index);
  // Answers true when this failure moved the rotation to the next server.
  bool failed(size_t index, TimePoint now);

 private:
  std::vector<std::string> servers_;
  RotationPolicy policy_;
  size_t current_ = 0;
  int failures_ = 0;          // consecutive failures of the current server
  size_t servers_left_ = 0;   // servers left in a row since the last success
  int rounds_failed_ = 0;     // full rounds failed in a row (the back-off's exponent)
  TimePoint resume_at_{};
};

// Splits each of `values` at commas (`--server A,B --server C`), dropping
// empty parts and trailing '/'s: the agent's list of server URLs.
std::vector<std::string> split_server_urls(const std::vector<std::string>& values);

}  // namespace opz::agent
