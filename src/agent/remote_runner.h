// RemoteRunner: runner::Runner over the agent job queue (docs/agents.md).
// start() writes an agent_jobs row (store::AgentStore::enqueue) and returns;
// an agent claims it through the API, and what the agent reports comes back
// through deliver_output() / deliver_exit() (the API's handlers, fenced by
// the lease generation in the store first), or deliver_lost() when the lease
// monitor declares the agent lost (exit_code -1, "agent <name> lost").
//
// The Runner contract (runner.h, local_runner.h) holds: on_exit exactly once
// per started job, after its last on_output, never from inside start() or
// cancel() (such deliveries go through `post`, another thread); on_output
// after on_exit is dropped. Each job's callbacks are serialised by a per-job
// lock, so output and exit arriving on two API threads cannot interleave.
// A job whose row could not be written fails like a spawn failure.
//
// Outputs: the agent sends the step's outputs as an object; they are written
// to the server-side $OPZENIX_OUTPUT file of the spec (where the engine reads
// them) before on_exit. Ids are >= kRemoteIdBase (RoutingRunner tells remote
// from local ids by that).
//
// Server restarts and several servers (docs/agents.md "Server restarts"):
// each RemoteRunner has its own runner id, written with every job it queues.
// start() always queues a new job. The engine's recovery (a restart, or a
// takeover of another server's execution) first calls adopt() for the node
// attempt that was running: the job of that exact attempt, when it is still
// queued, leased to an online agent whose lease holds, or ended with an
// outcome (store::AgentStore::adopt, one transaction), becomes this runner's
// and is followed, so the node continues at the same attempt and its step
// runs once; otherwise nothing is adopted and the node runs again as its next
// attempt, never reusing an attempt number a job ran under. cancel() stops
// only a job this runner still follows (a server that lost the execution to a
// takeover leaves the adopted job alone). sync() (the agent service's thread,
// every second) delivers the end of jobs whose agent reported to another
// server.
//
// Log lines across servers (docs/scaling.md "Log lines across servers"): an
// agent's batches posted to another server wait in the store's log spool
// (store::AgentStore::spool_logs). This runner takes its jobs' spooled
// batches in sync(), and before any line it receives directly and before any
// exit (finish), so each job's lines reach on_output in the order the agent
// posted its batches (it posts one at a time, each acknowledged before the
// next) and before on_exit. A spool take happens under the job's lock, so a
// direct batch cannot overtake spooled ones being handed on. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/job_spec.h"
#include "core/clock.h"
#include "core/task_queue.h"
#include "runner/runner.h"
#include "store/agent_store.h"

namespace opz::agent {

inline constexpr runner::ProcessId kRemoteIdBase = runner::ProcessId{1} << 62;

// A line on a job's log from the server itself: stderr, "[opzenix] " + text.
runner::LogLine server_log_line(std::string text);

class RemoteRunner final : public runner::Runner {
 public:
  // `post` runs a task later on another thread (AgentService's thread);
  // `enqueued` is called (outside any lock) after a job was queued.
  using Post = std::function<void(Task)>;
  RemoteRunner(store::AgentStore& store, const Clock& clock, Post post,
               std::function<void()> enqueued = {});

  runner::ProcessId start(runner::ProcessSpec spec, runner::ProcessCallbacks cb) override;
  // Queued: cancelled at once (on_exit cancelled, through post). Leased: the
  // agent is asked to stop it (it sees that in its next heartbeat or poll) and
  // reports the exit; a lost agent's job ends through deliver_lost.
  void cancel(runner::ProcessId id) override;
  size_t running() const override;
  // See above; kNoProcess (with the highest attempt jobs of the node ran
  // under) when the attempt's job cannot be adopted or the store fails.
  runner::Adoption adopt(const runner::AdoptRequest& request,
                         runner::ProcessCallbacks cb) override;
  // Refuses new jobs from now on (start answers kNoProcess).
  void shutdown();

  // Whether this runner follows the job (it started or adopted it and it has
  // not ended here): the agent service hands its log lines on directly, else
  // spools them for the runner that does.
  bool follows(const std::string& job_id) const { return find(job_id) != nullptr; }
  // From the API, after the store accepted the report's generation.
  void deliver_output(const std::string& job_id, std::vector<runner::LogLine>&& lines);
  void deliver_exit(const std::string& job_id, const JobResult& result);
  void deliver_lost(const store::LostJob& lost);
  // Hands on the spooled log lines of this runner's jobs, and delivers the
  // end of every job of this runner that ended in the store without a report
  // through this server (its agent talked to another one).
  void sync();
  const std::string& runner_id() const { return runner_id_; }
  // A line on the job's log from the server itself ("[opzenix] running on agent a").
  void note(const std::string& job_id, const std::string& text);

 private:
  struct Job {
    std::mutex mu;  // serialises this job's callbacks
    bool ended = false;
    std::string job_id;
    std::string output_path;
    runner::ProcessCallbacks cb;
  };
  std::shared_ptr<Job> find(const std::string& job_id) const;
  std::shared_ptr<Job> take(const std::string& job_id);
  // on_exit once: first the job's spooled lines, then `last` (a line from
  // the server itself), then the exit.
  void finish(Job& job, const runner::ProcessResult& result,
              std::vector<runner::LogLine> last = {});
  // With job.mu held and the job not ended: hands the job's spooled batches
  // to on_output, oldest first (a failed take leaves them for the next try).
  // `known_spooled`: the caller read that there are some (skips that read).
  void drain_spool_locked(Job& job, bool known_spooled = false);
  // A job another runner queued (store::AgentStore::adopt), followed from
  // now on.
  void follow(const store::AgentJobRecord& adopted, const std::shared_ptr<Job>& job,
              runner::ProcessId pid);
  void track(const std::string& job_id, const std::shared_ptr<Job>& job, runner::ProcessId pid);
  void deliver_ended(const store::EndedJob& ended);

  store::AgentStore& store_;
  const std::string runner_id_;
  Post post_;
  std::function<void()> enqueued_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  runner::ProcessId next_id_ = kRemoteIdBase;                         // guarded by mu_
  std::unordered_map<std::string, std::shared_ptr<Job>> jobs_;        // by job id, guarded
  std::unordered_map<runner::ProcessId, std::string> job_of_;         // guarded by mu_
};

}  // namespace opz::agent
