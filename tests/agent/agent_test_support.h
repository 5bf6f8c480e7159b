// Test support for the agent service and the remote runner.
//
// RecordedJob: what a job started on a runner reports (its lines and its
// exit). The callbacks hold the recorded state by shared_ptr: a test body may end
// (and its RecordedJob go) while a service's threads still report on a job
// that has not exited, before TearDown stops the service. The Runner
// contract keeps callbacks alive until on_exit, so the state must outlive
// the test. Waits are for events, with a generous deadline.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent_service.h"
#include "runner/runner.h"

namespace opz::agent {

struct RecordedJob {
  // The prefix of the server's own notes among a job's lines.
  static constexpr std::string_view kServerPrefix = "[opzenix] ";

  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::string> lines;  // every line's text, in delivery order
    std::vector<runner::ProcessResult> exits;
    bool output_after_exit = false;
  };
  std::shared_ptr<State> state = std::make_shared<State>();
  // The state's members by name (lock `mu` to read them while jobs run).
  std::mutex& mu = state->mu;
  std::condition_variable& cv = state->cv;
  std::vector<std::string>& lines = state->lines;
  std::vector<runner::ProcessResult>& exits = state->exits;
  bool& output_after_exit = state->output_after_exit;

  RecordedJob() = default;
  RecordedJob(const RecordedJob&) = delete;
  RecordedJob& operator=(const RecordedJob&) = delete;

  runner::ProcessCallbacks callbacks() const {
    runner::ProcessCallbacks cb;
    cb.on_output = [s = state](std::vector<runner::LogLine>&& got) {
      std::lock_guard lock(s->mu);
      if (!s->exits.empty()) s->output_after_exit = true;
      for (auto& l : got) s->lines.push_back(l.text);
      s->cv.notify_all();
    };
    cb.on_exit = [s = state](const runner::ProcessResult& r) {
      std::lock_guard lock(s->mu);
      s->exits.push_back(r);
      s->cv.notify_all();
    };
    return cb;
  }
  bool wait_exit() const {
    std::unique_lock lock(state->mu);
    return state->cv.wait_for(lock, std::chrono::seconds(30),
                              [&] { return !state->exits.empty(); });
  }
  bool wait_lines(size_t n) const {
    std::unique_lock lock(state->mu);
    return state->cv.wait_for(lock, std::chrono::seconds(30),
                              [&] { return state->lines.size() >= n; });
  }
  // The agent's own lines (not the server's "[opzenix] ..." notes).
  std::vector<std::string> agent_lines() const {
    std::lock_guard lock(state->mu);
    std::vector<std::string> out;
    for (const std::string& l : state->lines)
      if (l.rfind(kServerPrefix, 0) != 0) out.push_back(l);
    return out;
  }
  std::vector<std::string> all_lines() const {
    std::lock_guard lock(state->mu);
    return state->lines;
  }
  size_t exit_count() const {
    std::lock_guard lock(state->mu);
    return state->exits.size();
  }
};

// An agent's poll of `service`, waited for (30 s at most); the answer, or an
// empty one (the test failed) when none or an error came.
inline PollAnswer answered_poll(AgentService& service, const store::AgentRecord& agent,
                                std::chrono::milliseconds wait) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Result<PollAnswer>> got;
  service.poll(agent, {}, wait, [&](Result<PollAnswer> a) {
    std::lock_guard lock(mu);
    got.emplace(std::move(a));
    cv.notify_all();
  });
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return got.has_value(); }));
  EXPECT_TRUE(got && got->ok());
  return got && got->ok() ? **got : PollAnswer{};
}

}  // namespace opz::agent
