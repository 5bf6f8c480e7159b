// AgentStore: remote agents, their registration tokens and the agent job
// queue (migration 022, docs/agents.md).
//
// Tokens arrive here already hashed (the caller uses auth::hash_token); the
// store never sees a token in clear.
//
// The job queue. A job is 'queued' until an agent claims it: claim() picks,
// in one write transaction, the oldest queued job whose runs_on labels are
// all among the agent's labels (and only while the agent runs fewer leased
// jobs than its concurrency), and moves it to 'leased' with the agent, a
// lease generation one higher than before and a lease expiry. Every later
// report of the agent names that generation: heartbeat(), check_lease() and
// complete() answer kConflict ("stale lease") when the job is no longer
// leased to that agent under that generation, and change nothing. complete()
// of the same generation again (an agent retrying until acknowledged) answers
// the stored outcome with first_time = false. expire() declares agents whose
// last_seen_at is older than the lease timeout lost, and every job leased to
// them (or whose lease ran out) lost; a lost job never comes back (the engine
// retries the node as a new job). adopt() hands a job to the runner of a
// server that resumed its execution. Each call is one transaction.
//
// The log spool (migration 026, agent_log_spool.cc): an agent posts log
// batches to whichever server it reaches; a server whose runner does not
// follow the job spools the batch (spool_logs), and the runner the job names
// (runner_id) takes it (take_spooled_logs) and hands the lines on.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

// A job an agent holds now (list_agents only): what the agents page links to.
struct RunningAgentJob {
  std::string id;
  std::string execution_id;
  std::string node_id;
  int64_t attempt = 0;
};

struct AgentRecord {
  std::string id;
  std::string name;
  std::vector<std::string> labels;
  int64_t concurrency = 1;
  std::string registered_by;  // the registration token's id
  std::string created_at;
  std::string last_seen_at;
  std::string status;  // online | lost | disabled
  std::string version;
  int64_t running_jobs = 0;  // leased now (list_agents only)
  std::vector<RunningAgentJob> running;  // those jobs, oldest first (list_agents only)
};

struct NewAgent {
  std::string registration_token_hash;
  std::string token_hash;  // the agent's own token, hashed
  std::string name;
  std::vector<std::string> labels;
  int64_t concurrency = 1;
  std::string version;
};

struct NewAgentJob {
  std::string execution_id;
  std::string node_id;
  int64_t attempt = 0;
  Json spec;  // what the agent runs (agent/job_spec.h)
  std::vector<std::string> runs_on;
  std::string runner_id{};  // the RemoteRunner waiting for its result
};

struct AgentJobRecord {
  std::string id;
  std::string execution_id;
  std::string node_id;
  int64_t attempt = 0;
  Json spec;
  std::vector<std::string> runs_on;
  std::string status;  // queued | leased | succeeded | failed | lost | cancelled
  std::string agent_id;
  int64_t generation = 0;
  std::string lease_expires_at;
  bool cancel_requested = false;
  std::optional<int64_t> exit_code;
  Json result;  // null until completed
  std::string created_at;
};

// What complete() did: first_time is false when the same generation had
// already completed (the stored outcome is answered again).
struct CompletedJob {
  AgentJobRecord job;
  bool first_time = true;
};

// A job that ended (succeeded, failed, cancelled or lost), as a runner that
// waits for it needs to hear of it.
struct EndedJob {
  std::string id;
  std::string status;
  Json result;  // the agent's complete body; null for lost and cancelled-while-queued
  std::string agent_name;
};

// One spooled log batch: `lines` is the JSON array the agent posted
// (agent::log_lines_to_json), `seq` its place in the spool (ascending = the
// order the batches were accepted in).
struct SpooledLogs {
  int64_t seq = 0;
  Json lines;
};

// A job the lease monitor declared lost, with the agent that held it.
struct LostJob {
  std::string job_id;
  std::string agent_name;
};

class AgentStore {
 public:
  AgentStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Registration tokens (admin). Answers the token's id and expiry.
  struct RegistrationToken {
    std::string id;
    std::string expires_at;
  };
  Result<RegistrationToken> create_registration_token(const std::string& token_hash,
                                                      const std::string& created_by,
                                                      std::chrono::seconds ttl);
  // kUnauthenticated when the registration token is unknown, expired or
  // revoked; a new agent row (status online) otherwise.
  Result<AgentRecord> register_agent(const NewAgent& agent);
  // The agent whose token hashes to `token_hash`; kUnauthenticated when none
  // or when it is disabled. Marks it seen (last_seen_at, a lost agent online
  // again) in the same transaction, unless it is online and was seen in the
  // last 2 s (then only read: last_seen_at is that coarse).
  Result<AgentRecord> authenticate(const std::string& token_hash);
  Result<std::vector<AgentRecord>> list_agents();
  // kNotFound when there is no such agent. Its leased jobs are lost at once.
  Result<std::vector<LostJob>> disable_agent(const std::string& id);
  // True when an online agent has every label of `runs_on`.
  Result<bool> has_online_match(const std::vector<std::string>& runs_on);

  Result<std::string> enqueue(const NewAgentJob& job);
  Result<AgentJobRecord> find_job(const std::string& id);
  // The oldest matching queued job, leased to the agent until now + lease;
  // nullopt when none matches or the agent is at its concurrency.
  Result<std::optional<AgentJobRecord>> claim(const AgentRecord& agent,
                                              std::chrono::milliseconds lease);
  // Renews the lease (now + lease); kConflict when stale. Answers the job
  // (cancel_requested tells the agent to stop it).
  Result<AgentJobRecord> heartbeat(const std::string& agent_id, const std::string& job_id,
                                   int64_t generation, std::chrono::milliseconds lease);
  // kConflict when the job is not leased to this agent under this generation
  // (log lines of a stale lease are refused); kNotFound when no such job.
  Status check_lease(const std::string& agent_id, const std::string& job_id, int64_t generation);
  // leased -> succeeded / failed / cancelled (cancelled when cancel was
  // requested and the exit was not a success), with exit code and result.
  Result<CompletedJob> complete(const std::string& agent_id, const std::string& job_id,
                                int64_t generation, std::optional<int64_t> exit_code,
                                bool success, const Json& result);
  // queued -> cancelled (answers true: nobody runs it), or leased ->
  // cancel_requested (answers false: the agent stops it and completes).
  // kConflict when the job already ended, or when `runner_id` is given and
  // the job is another runner's now (a server that lost an execution to a
  // takeover must not stop the job the new owner adopted; field "runner_id").
  Result<bool> cancel(const std::string& id, const std::string& runner_id = "");
  // Jobs of `agent_id` that are no longer leased to it or that it must stop:
  // of `running` (ids the agent says it runs), those it should kill.
  Result<std::vector<std::string>> jobs_to_stop(const std::string& agent_id,
                                                const std::vector<std::string>& running);
  // Agents not seen for `timeout` become lost, their leased jobs and every
  // job whose lease ran out become lost; answers the jobs.
  Result<std::vector<LostJob>> expire(std::chrono::milliseconds timeout);
  // At a server start: every leased job whose lease already ran out becomes
  // lost. Jobs still leased (or queued) stay: the engine's recovery starts
  // their steps again and the new runner adopts them (adopt()).
  Result<int64_t> abandon_unfinished();

  // Recovery and takeover (engine: a node found running, or about to start,
  // after a restart or a takeover): in one write transaction, the newest job
  // of (execution_id, node_id) under exactly `attempt` becomes runner_id's
  // when it can be adopted — queued; leased to an online agent with a lease
  // that still holds (the UPDATE is conditional on the status and lease
  // generation read, so an expiry committed first wins); or ended with an
  // outcome nobody consumed yet (succeeded, failed, cancelled). A lost job,
  // an expired lease or an agent declared lost: not adopted, nothing changes.
  // `highest_attempt` is the highest attempt any job of the node ran under
  // (0: none), so the caller never starts a job under a used attempt number.
  // `earlier_results`: with an adopted job, the stored results of the jobs
  // of the same node attempt that succeeded before it (the node's earlier
  // steps), oldest first, so the new runner can rebuild the outputs those
  // steps wrote on the old server's disk.
  struct Adoption {
    std::optional<AgentJobRecord> job;
    int64_t highest_attempt = 0;
    std::vector<Json> earlier_results;
  };
  Result<Adoption> adopt(const std::string& execution_id, const std::string& node_id,
                         int64_t attempt, const std::string& runner_id);
  // True when a job of (execution_id, node_id) is queued, or leased with a
  // lease that still holds: a restarted engine can resume the node at the
  // same attempt and let its runner adopt the job.
  Result<bool> has_live_job(const std::string& execution_id, const std::string& node_id);
  // Of `ids`, the jobs that have ended.
  Result<std::vector<EndedJob>> ended_jobs(const std::vector<std::string>& ids);

  // The log spool. spool_logs() stores one batch (a JSON array) for the job,
  // fenced like check_lease (kConflict when the job is not leased to this
  // agent under this generation, kNotFound when there is no such job) in the
  // same transaction as the insert, with the job's row locked on PostgreSQL:
  // a batch is either refused or committed before the job leaves 'leased',
  // so a runner that saw the job end and then takes its spool has every line.
  Status spool_logs(const std::string& agent_id, const std::string& job_id, int64_t generation,
                    const Json& lines);
  // The jobs whose runner_id is `runner_id` that have spooled batches (a
  // read, driven by the spool, which is empty unless agents talk to several
  // servers).
  Result<std::vector<std::string>> spooled_log_jobs(const std::string& runner_id);
  // Whether the job has spooled batches: one indexed lookup, for the hot
  // path of a runner that receives the job's lines directly.
  Result<bool> has_spooled_logs(const std::string& job_id);
  // Reads and deletes the job's spooled batches in one transaction, oldest
  // first; none when the job is not `runner_id`'s (another server adopted it).
  Result<std::vector<SpooledLogs>> take_spooled_logs(const std::string& runner_id,
                                                     const std::string& job_id);
  // Deletes the spooled batches of jobs that ended more than `retention` ago
  // (no runner took them: the server waiting for the job is gone); answers
  // how many batches.
  Result<int64_t> purge_spooled_logs(std::chrono::milliseconds retention);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
