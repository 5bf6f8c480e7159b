// AgentService: the server's side of the agent protocol (docs/agents.md),
// used by api/agent_api.cc: registration, agent authentication, the
// long-poll for work, heartbeats, log batches and completion, the agent list,
// and the lease monitor. Owns the RemoteRunner the engine's RoutingRunner
// hands runs_on steps to.
//
// One thread (start()): runs the RemoteRunner's deliveries, answers waiting
// polls (a job was queued: waiting agents claim it, oldest waiter first; a
// wait ran out: answered without a job) and, every second, the lease check:
// agents not seen for lease_timeout are lost, their jobs end as failures
// (exit -1, "agent <name> lost") so the engine's retry policy applies.
// check_leases() runs the same check at once (tests, with a ManualClock).
// A waiting poll holds no thread: its answer is a callback. Thread-safe.
//
// Several servers: log lines of a job this server's runner does not follow
// are spooled in the store for the runner that does (logs(), RemoteRunner);
// the lease check purges, at most once a minute, spooled lines of jobs that
// ended more than spool_retention ago (their server is gone).
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/job_spec.h"
#include "agent/remote_runner.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/task_queue.h"
#include "store/agent_store.h"

namespace opz::agent {

struct AgentServiceOptions {
  std::chrono::milliseconds lease_timeout{30000};  // <= 45 s (config check)
  std::chrono::milliseconds max_poll_wait{30000};
  std::chrono::seconds registration_token_ttl{24 * 3600};
  // How long spooled log lines of an ended job wait for a runner to take
  // them (a restarted or taking-over server adopts the job within that).
  std::chrono::milliseconds spool_retention{std::chrono::minutes(10)};
};

struct IssuedToken {
  std::string token;  // shown once
  std::string expires_at;
};

struct RegisteredAgent {
  std::string agent_id;
  std::string token;  // shown once
};

struct PollAnswer {
  std::optional<store::AgentJobRecord> job;
  std::vector<std::string> stop;  // of the agent's running jobs: kill these
};

class AgentService {
 public:
  AgentService(store::AgentStore& store, const Clock& clock, AgentServiceOptions options);
  ~AgentService();
  AgentService(const AgentService&) = delete;
  AgentService& operator=(const AgentService&) = delete;

  void start();
  // Answers waiting polls without a job, refuses new jobs, joins the thread.
  void stop();
  RemoteRunner& runner() { return runner_; }
  const AgentServiceOptions& options() const { return options_; }

  Result<IssuedToken> create_registration_token(const std::string& created_by);
  Result<RegisteredAgent> register_agent(const std::string& registration_token,
                                         const std::string& name, std::vector<std::string> labels,
                                         int64_t concurrency, const std::string& version);
  // The agent presenting `token` (marks it seen); kUnauthenticated otherwise.
  Result<store::AgentRecord> authenticate(const std::string& token);
  // Answers once through `answer`: a claimed job at once when one matches,
  // else after up to `wait` when one is queued meanwhile, else without one.
  void poll(const store::AgentRecord& agent, const std::vector<std::string>& running,
            std::chrono::milliseconds wait, std::function<void(Result<PollAnswer>)> answer);
  // Renews the lease; answers whether the agent must stop the job. kConflict
  // for a stale generation.
  Result<bool> heartbeat(const store::AgentRecord& agent, const std::string& job_id,
                         int64_t generation);
  // Fenced like heartbeat. Lines of a job this server's runner follows go to
  // it at once; any other job's are spooled in the store (one transaction,
  // fenced there) for the runner that follows it, on whichever server.
  Status logs(const store::AgentRecord& agent, const std::string& job_id, int64_t generation,
              std::vector<runner::LogLine>&& lines);
  // Answers whether this call completed the job (false: a repeated complete).
  Result<bool> complete(const store::AgentRecord& agent, const std::string& job_id,
                        int64_t generation, const JobResult& result);
  Result<std::vector<store::AgentRecord>> list();
  Status disable(const std::string& agent_id);
  // The lease check; answers how many jobs were lost.
  size_t check_leases();
  bool has_online_match(const std::vector<std::string>& runs_on);
  // Whether an agent job of the node is still queued or leased (the engine's
  // recovery: resume the node at the same attempt, its step is adopted).
  bool has_live_job(const std::string& execution_id, const std::string& node_id);
  // How often an agent heartbeats a job: min(5 s, lease_timeout / 3). A
  // waiting poll is answered within lease_timeout / 3 too, so an idle agent
  // is seen often enough not to be declared lost.
  std::chrono::milliseconds heartbeat_interval() const;

 private:
  struct Waiter {
    store::AgentRecord agent;
    std::vector<std::string> stop;
    std::function<void(Result<PollAnswer>)> answer;
    uint64_t seq;
  };
  void loop();
  void post(Task task) { queue_->post(std::move(task)); }
  // On the service thread: waiting agents claim queued jobs.
  void match_waiters();
  void expire_waiter(uint64_t seq);
  std::optional<Waiter> take_waiter(uint64_t seq);
  Result<std::optional<store::AgentJobRecord>> claim(const store::AgentRecord& agent);
  void schedule_lease_check();
  // Fenced lines: to this runner when it follows the job, else spooled (the
  // fence checked in the spool's transaction) for the runner that does.
  Status deliver_or_spool(const std::string& agent_id, const std::string& job_id,
                          int64_t generation, std::vector<runner::LogLine>&& lines);
  void purge_spool_now_and_then();

  store::AgentStore& store_;
  const Clock& clock_;
  AgentServiceOptions options_;
  std::shared_ptr<TaskQueue> queue_ = std::make_shared<TaskQueue>();
  RemoteRunner runner_;
  std::mutex mu_;
  std::list<Waiter> waiters_;  // guarded by mu_, oldest first
  uint64_t next_waiter_ = 1;   // guarded by mu_
  std::optional<TimePoint> last_spool_purge_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace opz::agent
