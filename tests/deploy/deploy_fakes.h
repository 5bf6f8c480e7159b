// Test doubles for the deployment seams: a runner that records every command
// and lets the test finish it, a prober with queued answers, timers on a
// ManualClock, and events that record everything. Single-threaded: the test
// body is the deploy loop.
#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "deploy/deployment_run.h"
#include "runner/runner.h"

namespace opz::deploy::testing {

// Records ProcessSpecs; the test completes processes with finish(). cancel()
// answers like LocalRunner would (on_exit with cancelled = true).
class RecordingRunner final : public runner::Runner {
 public:
  struct Process {
    runner::ProcessId id = 0;
    runner::ProcessSpec spec;
    runner::ProcessCallbacks callbacks;
    bool exited = false;
    bool cancel_requested = false;
  };

  runner::ProcessId start(runner::ProcessSpec spec, runner::ProcessCallbacks cb) override {
    if (refuse) return runner::kNoProcess;
    processes.push_back(Process{next_id_++, std::move(spec), std::move(cb)});
    return processes.back().id;
  }
  void cancel(runner::ProcessId id) override {
    Process* p = find(id);
    if (p == nullptr || p->exited) return;
    p->cancel_requested = true;
    runner::ProcessResult result;
    result.cancelled = true;
    exit(*p, result);
  }
  size_t running() const override {
    return static_cast<size_t>(std::count_if(processes.begin(), processes.end(),
                                             [](const Process& p) { return !p.exited; }));
  }

  // Finishes the oldest running process: stdout lines, then the exit.
  void finish(int exit_code, const std::vector<std::string>& stdout_lines = {}) {
    Process* p = oldest_running();
    if (p == nullptr) throw std::logic_error("no running process to finish");
    std::vector<runner::LogLine> lines;
    for (const std::string& text : stdout_lines) {
      lines.push_back(runner::LogLine{TimePoint{}, runner::Stream::kStdout, text});
    }
    if (!lines.empty()) p->callbacks.on_output(std::move(lines));
    runner::ProcessResult result;
    result.exit_code = exit_code;
    result.duration = Millis{25};
    exit(*p, result);
  }
  void time_out() {
    Process* p = oldest_running();
    if (p == nullptr) throw std::logic_error("no running process to time out");
    runner::ProcessResult result;
    result.timed_out = true;
    exit(*p, result);
  }

  const Process* current() const {
    for (const Process& p : processes) {
      if (!p.exited) return &p;
    }
    return nullptr;
  }
  std::vector<std::string> commands() const {
    std::vector<std::string> out;
    for (const Process& p : processes) out.push_back(p.spec.command);
    return out;
  }

  std::vector<Process> processes;
  bool refuse = false;

 private:
  Process* find(runner::ProcessId id) {
    for (Process& p : processes) {
      if (p.id == id) return &p;
    }
    return nullptr;
  }
  Process* oldest_running() {
    for (Process& p : processes) {
      if (!p.exited) return &p;
    }
    return nullptr;
  }
  static void exit(Process& p, const runner::ProcessResult& result) {
    p.exited = true;
    p.callbacks.on_exit(result);
  }

  runner::ProcessId next_id_ = 1;
};

// Answers get() at once with the queued answers in order, then `fallback`.
class FakeProber final : public Prober {
 public:
  void get(const std::string& url, Millis timeout,
           std::function<void(ProbeResponse)> done) override {
    urls.push_back(url);
    timeouts.push_back(timeout);
    ProbeResponse answer = fallback;
    if (!answers.empty()) {
      answer = std::move(answers.front());
      answers.pop_front();
    }
    done(std::move(answer));
  }
  static ProbeResponse http(int status, std::string body = "") {
    return ProbeResponse{true, status, std::move(body), "", Millis{3}};
  }
  static ProbeResponse refused() {
    return ProbeResponse{false, std::nullopt, "", "connection refused", Millis{1}};
  }

  std::deque<ProbeResponse> answers;
  ProbeResponse fallback = http(200, "ok");
  std::vector<std::string> urls;
  std::vector<Millis> timeouts;
};

// post() queues until drain(); post_after() holds tasks until advance()
// moves the clock past them, running each at its due time, in due order
// (ties in posting order), with the queued tasks drained after each.
class ManualTimers final : public DeployTimers {
 public:
  explicit ManualTimers(ManualClock& clock) : clock_(clock) {}

  void post(std::function<void()> task) override { queue_.push_back(std::move(task)); }
  void post_after(Millis delay, std::function<void()> task) override {
    delayed_.emplace(std::make_pair(clock_.now() + delay, seq_++), std::move(task));
  }

  void drain() {
    while (!queue_.empty()) {
      auto task = std::move(queue_.front());
      queue_.pop_front();
      task();
    }
  }
  void advance(Millis by) {
    const TimePoint until = clock_.now() + by;
    drain();
    while (!delayed_.empty() && delayed_.begin()->first.first <= until) {
      auto node = delayed_.extract(delayed_.begin());
      clock_.set(node.key().first);
      node.mapped()();
      drain();
    }
    clock_.set(until);
  }
  size_t delayed() const { return delayed_.size(); }
  // How far ahead the next delayed task is due.
  std::optional<Millis> next_delay() const {
    if (delayed_.empty()) return std::nullopt;
    return std::chrono::duration_cast<Millis>(delayed_.begin()->first.first - clock_.now());
  }

 private:
  ManualClock& clock_;
  std::deque<std::function<void()>> queue_;
  std::map<std::pair<TimePoint, uint64_t>, std::function<void()>> delayed_;
  uint64_t seq_ = 0;
};

class RecordingEvents final : public DeployEvents {
 public:
  struct Progress {
    std::string phase;
    std::string slot;
    int weight = 0;
  };
  void log(const std::string& level, const std::string& message) override {
    logs.push_back(level + ": " + message);
  }
  void output(const std::string& line, bool is_stderr) override {
    outputs.push_back((is_stderr ? "err: " : "") + line);
  }
  void progress(const std::string& phase, const std::string& slot, int weight) override {
    progresses.push_back({phase, slot, weight});
  }
  void probe(const ProbeRecord& probe) override { probes.push_back(probe); }

  std::vector<std::string> phases() const {
    std::vector<std::string> out;
    for (const Progress& p : progresses) out.push_back(p.phase);
    return out;
  }

  std::vector<std::string> logs;
  std::vector<std::string> outputs;
  std::vector<Progress> progresses;
  std::vector<ProbeRecord> probes;
};

}  // namespace opz::deploy::testing
