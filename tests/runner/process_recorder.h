// ProcessRecorder: test helper that records what LocalRunner reports for one
// process (lines, on_output batches, on_exit calls) and lets the test wait,
// with a bound, for the exit. Thread-safe (callbacks run on the loop thread).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runner/local_runner.h"

namespace opz::runner::testing {

class ProcessRecorder {
 public:
  ProcessCallbacks callbacks() {
    return ProcessCallbacks{[this](std::vector<LogLine>&& batch) {
                              std::lock_guard lock(mu_);
                              if (exits_ > 0) output_after_exit_ = true;
                              ++batches_;
                              for (LogLine& line : batch) lines_.push_back(std::move(line));
                              cv_.notify_all();
                            },
                            [this](const ProcessResult& result) {
                              std::lock_guard lock(mu_);
                              ++exits_;
                              result_ = result;
                              exited_at_ = std::chrono::steady_clock::now();
                              cv_.notify_all();
                            }};
  }

  // True once on_exit ran; waits at most `limit`.
  bool wait_exit(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return exits_ > 0; });
  }
  // True once `count` lines arrived; waits at most `limit`.
  bool wait_lines(size_t count, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return lines_.size() >= count; });
  }

  ProcessResult result() {
    std::lock_guard lock(mu_);
    return result_.value_or(ProcessResult{});
  }
  std::vector<LogLine> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }
  std::vector<std::string> texts(Stream stream) {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const LogLine& l : lines_) {
      if (l.stream == stream) out.push_back(l.text);
    }
    return out;
  }
  int exits() {
    std::lock_guard lock(mu_);
    return exits_;
  }
  bool output_after_exit() {
    std::lock_guard lock(mu_);
    return output_after_exit_;
  }
  std::chrono::steady_clock::time_point exited_at() {
    std::lock_guard lock(mu_);
    return exited_at_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<LogLine> lines_;
  int batches_ = 0;
  int exits_ = 0;
  bool output_after_exit_ = false;
  std::optional<ProcessResult> result_;
  std::chrono::steady_clock::time_point exited_at_;
};

inline ProcessSpec shell(std::string command) {
  ProcessSpec spec;
  spec.command = std::move(command);
  return spec;
}

}  // namespace opz::runner::testing
