// Engine: runs pipeline executions for real and records every state change.
//
// Model (docs/engine.md): one engine thread (EngineLoop) owns all scheduling.
// Runner callbacks, API commands and timers become tasks on it; after each
// round it starts ready nodes (Plan decides, at most max_parallel processes
// over all executions) and commits the round's changes in one transaction,
// then publishes them on the EventBus. Steps run through the LocalRunner,
// each in its own process group.
//
// API contract: submit() validates and creates the execution row and all node
// rows (one transaction) on the caller's thread and answers at once; the run
// proceeds on the engine thread. cancel(), resolve_approval() and force_fail()
// are answered by the engine thread (kNotFound, kConflict for a finished
// execution or a node not waiting). rerun() creates a new execution from an
// old one's pipeline snapshot. All calls answer kUnavailable when the engine
// is not running.
//
// Several servers (EngineOptions::ownership, engine/execution_ownership.h):
// an execution runs on the server that claimed it; recover() and the
// periodic takeover claim before they resume; a command for an execution
// another live server owns is queued for that server and its answer awaited
// here, on the caller's thread (up to command_answer_timeout, then
// kUnavailable "the owning server did not answer", nothing changed).
//
// Durability: recover() at start-up resumes every idle/running/paused
// execution found in the journal that no other live server owns: leftover step processes of the dead server
// are killed, nodes that were running become a new attempt (or fail when no
// attempt is left), and the execution runs to completion. stop() stops
// scheduling and leaves executions 'running' in the journal; the processes
// die with the runner's shutdown. So a graceful stop behaves like a crash for
// running work, by design: restart always goes through the one recovery path.
// Thread-safety: every public method may be called from any thread except the
// engine thread itself (ExternalNodeHandler::start/cancel and EventBus
// on_ready callbacks run there: commands from them answer kInternal);
// start()/stop() not concurrently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "engine/engine_loop.h"
#include "engine/engine_options.h"
#include "engine/event_bus.h"
#include "engine/execution_journal.h"
#include "engine/external_node.h"
#include "engine/workspace.h"
#include "pipeline/model.h"
#include "runner/runner.h"
#include "store/execution_store.h"
#include "telemetry/metrics.h"

namespace opz::engine {

class EngineMetrics;
class Scheduler;
struct CommandAnswer;

struct NewExecution {
  std::string name;  // default: the pipeline's name (or "opzenix.yml") + short sha
  std::string project_id;
  std::string flow_template_id;
  // The pipeline to run; required unless pipeline_from_repository.
  std::optional<pipeline::Pipeline> pipeline;
  // Read `pipeline_path` from the checkout (a git workspace) instead; a missing
  // or invalid file fails the execution with the validation message.
  bool pipeline_from_repository = false;
  std::string pipeline_path = "opzenix.yml";
  std::string environment;
  std::string branch;
  std::string tag;
  std::string commit_sha;
  std::string started_by;
  std::string trigger_type =
      "manual";  // manual | push | pull_request | tag | release | poll | rerun | replay | cli
                 // | rollback | promotion
  std::string governance_status;  // empty: NULL
  // Held by governance (waiting for approval, a freeze window, the deploy
  // queue): created 'paused' with all its nodes, but not scheduled until
  // release(); recovery leaves held executions alone (their governance_status
  // is 'waiting' or 'pending_approval').
  bool held = false;
  WorkspaceSource workspace;
  Json metadata = Json::object();  // extra keys stored with the execution
  // The execution's id; empty: a new one. A batch admission names the
  // executions of its batch before they exist (a later request of the batch
  // may wait behind an earlier one, and its explanation links to it).
  std::string id;
};

struct RerunRequest {
  std::string checkpoint_id;  // restore the nodes that checkpoint recorded as success
  bool failed_only = false;   // restore the nodes that succeeded; run the others
  // Set by the admission path: the rerun's own governance decision (see
  // NewExecution::held, governance_status) and metadata keys to add.
  bool held = false;
  std::string governance_status;
  Json metadata = Json::object();
};

struct RecoveryReport {
  int executions = 0;        // resumed
  int nodes_retried = 0;     // were running; run again as a new attempt
  int nodes_failed = 0;      // were running with no attempt left
  int processes_killed = 0;  // leftovers of the dead server
  // Were queued or running on remote agents: each is adopted (its job still
  // holds: the same attempt continues), retried or failed when the scheduler
  // reaches it, after recover() answers; the outcomes are counted in
  // opzenix_recovered_nodes_total{outcome}.
  int nodes_on_agents = 0;
};

struct EngineSnapshot {
  size_t active_executions = 0;  // in memory: running, paused, or still draining processes
  size_t running_processes = 0;
  size_t queued_nodes = 0;  // waiting for a process slot
};

class Engine {
 public:
  Engine(ExecutionJournal& journal, runner::Runner& runner, EventBus& bus, const Clock& clock,
         EngineOptions options, telemetry::MetricsRegistry* metrics = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Before start(): the handler for nodes of `type` (e.g. "github_workflow").
  void register_external_handler(const std::string& type,
                                 std::shared_ptr<ExternalNodeHandler> handler);

  // Starts the engine thread (and the periodic workspace sweep / stuck check).
  void start();
  // Resumes unfinished executions from the journal. Call once, after start().
  Result<RecoveryReport> recover();
  // Stops scheduling; joins the engine thread. Idempotent.
  void stop();

  // kValidation for a pipeline that is missing, invalid or cyclic (message
  // names the cycle), or a bad trigger type / workspace.
  Result<store::ExecutionRecord> submit(NewExecution request);
  // submit() for many executions, one answer per request in order: each is
  // validated alone (a bad one fails alone), and the rows of the valid ones
  // are written kSubmitChunk executions per transaction, with the rows and
  // state events submit() writes; the ones not held are handed to the engine
  // thread together. A chunk whose transaction fails answers its error for
  // every execution of the chunk (none of them exists). submit() is this for
  // one request.
  std::vector<Result<store::ExecutionRecord>> submit_many(std::vector<NewExecution> requests);
  static constexpr size_t kSubmitChunk = 100;
  Status cancel(const std::string& execution_id, const std::string& reason,
                const std::string& actor);
  // The approval gate `node_id` is waiting: approve (the node succeeds, the
  // execution resumes) or reject (the node fails, the execution fails unless
  // other work continues).
  Status resolve_approval(const std::string& execution_id, const std::string& node_id,
                          bool approved, const std::string& actor, const std::string& reason);
  Result<store::ExecutionRecord> rerun(const std::string& execution_id, const RerunRequest& request,
                                       const std::string& actor);
  // Starts an execution submitted `held`, once governance admitted it (the
  // caller has recorded governance_status 'allowed' first). kNotFound for an
  // unknown execution, kConflict when it is not held (already running or
  // finished).
  Status release(const std::string& execution_id, const std::string& reason);
  // The troubleshooting guide's "force update stuck execution": failed, with
  // blocked_reason = reason, every process killed. Also for an execution this
  // engine does not hold in memory (updated in the journal directly).
  Status force_fail(const std::string& execution_id, const std::string& reason,
                    const std::string& actor);

  Result<EngineSnapshot> snapshot();
  // One ownership round now (Scheduler::ownership_round): renew the lease,
  // drop runs another server owns, take over orphans, run queued commands.
  // The engine does this every lease_timeout/3 by itself; tests call it.
  Status check_ownership();
  EventBus& bus() { return bus_; }

 private:
  template <typename R>
  R call(std::function<R()> fn);
  // The answer, or, when another live server owns the execution, that
  // server's answer to the command sent to it.
  Status answer(const CommandAnswer& answer, const std::string& execution_id,
                const std::string& kind, const Json& payload, const std::string& actor);

  ExecutionJournal& journal_;
  runner::Runner& runner_;
  EventBus& bus_;
  const Clock& clock_;
  EngineOptions options_;
  SoleOwnership sole_owner_;
  ExecutionOwnership& ownership_;  // options_.ownership or sole_owner_
  std::unique_ptr<EngineMetrics> metrics_;
  std::map<std::string, std::shared_ptr<ExternalNodeHandler>> handlers_;
  EngineLoop loop_;
  std::unique_ptr<Scheduler> scheduler_;
};

}  // namespace opz::engine
