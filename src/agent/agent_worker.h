// AgentWorker: the agent process (`opzenix agent`, docs/agents.md). Polls its
// server for work (long-poll, no inbound port), runs each job with the same
// runner::LocalRunner the server uses, in its work directory (a checkout of
// the job's repository at the job's commit, shared by the jobs of one
// execution, made from <work-dir>/mirrors/<hash of url>.git: one bare mirror
// per repository, fetched only when it lacks the commit, under a per-mirror
// flock that several jobs and agent processes on one work dir share; see
// git/mirror_checkout.h),
// streams the job's log lines in batches (every log_flush_every or
// log_batch_bytes), heartbeats each job's lease every heartbeat_every, and
// completes it, retrying until the server acknowledges (200, or 409 when the
// lease went stale: then the result is not wanted).
//
// Durability: when a job's process ends, its result is written to
// <work-dir>/jobs/<id>/result.json (a temporary file renamed into place)
// before it is sent, and removed once acknowledged; on start the worker
// re-sends every result.json it finds, so a restart of the agent or the
// server loses no exit code. Each job's <dir>.lock is flock'ed while a worker
// owns it, so several agent processes may share one work dir: a starting one
// re-sends or clears only the jobs no live worker holds. A job the server
// fences (409 on heartbeat or logs) or tells it to stop (poll's "stop",
// heartbeat's "cancel") is killed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_transport.h"
#include "agent/job_spec.h"
#include "runner/runner.h"
#include "runner/unique_fd.h"

namespace opz::agent {

struct AgentWorkerOptions {
  int concurrency = 1;
  std::string work_dir;
  std::chrono::milliseconds poll_wait{25000};
  std::chrono::milliseconds heartbeat_every{5000};
  std::chrono::milliseconds log_flush_every{200};
  size_t log_batch_bytes = 64 * 1024;
  // Git mirrors not used for this long are removed when the worker starts
  // (git/mirror_sweep.h); 0 keeps them all.
  std::chrono::milliseconds mirror_unused_for = std::chrono::hours(24 * 14);
};

class AgentWorker {
 public:
  AgentWorker(AgentTransport& server, runner::Runner& runner, AgentWorkerOptions options);
  // Polls and runs jobs until `stop` is set (then stops asking for work and
  // returns; running jobs are left to the lease). Answers a process exit code.
  int run(const std::atomic<bool>& stop);

 private:
  using Steady = std::chrono::steady_clock;
  struct Job {
    std::string id;
    int64_t generation = 0;
    runner::ProcessId pid = runner::kNoProcess;
    std::string dir;
    std::string output_path;
    std::vector<runner::LogLine> pending;
    size_t pending_bytes = 0;
    std::optional<JobResult> result;
    bool abandoned = false;  // fenced or told to stop: nothing more is sent
    std::chrono::milliseconds heartbeat_every{5000};  // the server's heartbeat_ms
    Steady::time_point last_heartbeat = Steady::now();
    Steady::time_point last_flush = Steady::now();
    runner::UniqueFd lock;  // <dir>.lock, flock'ed while this worker owns the job
  };

  void recover();
  void start_job(const Json& job);
  void on_exit(const std::string& id, const runner::ProcessResult& result);
  void kill(const std::string& id);
  // Removes the job's dir and lock file and drops it; mu_ held.
  void forget(std::map<std::string, Job>::iterator it);
  // One pass of log flushes, heartbeats and completes (the reporter thread).
  void report();
  void report_loop(const std::atomic<bool>& stop);

  AgentTransport& server_;
  runner::Runner& runner_;
  AgentWorkerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Job> jobs_;  // guarded by mu_
};

}  // namespace opz::agent
