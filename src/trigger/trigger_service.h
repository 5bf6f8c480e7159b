// TriggerService: everything that starts executions from outside — GitHub
// webhooks, git polling — and reports back to GitHub (commit statuses,
// github_workflow nodes). It owns the trigger stores and three threads:
//   - the delivery worker: processes stored deliveries one at a time, in the
//     order they were received (a queue fed by receive(); at start() it is
//     filled with every delivery still 'pending', so a crash between storing
//     and processing loses nothing);
//   - the poll thread: GitPoller::poll_due() every `poll_tick`;
//   - the status thread: turns the engine's execution state events into
//     queued commit statuses and sends the due ones every `status_tick`;
// plus the github_workflow handler's own worker.
//
// Lifecycle (app/server_app.cc): construct; register workflow_handler() with
// the engine BEFORE Engine::start(); after Engine::recover(), start(); stop()
// before the engine stops. receive()/replay() may be called from any thread
// once started (receive() before start() stores the delivery; it is processed
// at start()). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "secrets/secret_box.h"
#include "store/branch_mapping_store.h"
#include "store/commit_status_store.h"
#include "store/database.h"
#include "store/execution_store.h"
#include "store/git_poll_store.h"
#include "store/github_store.h"
#include "store/project_store.h"
#include "store/webhook_delivery_store.h"
#include "telemetry/metrics.h"
#include "trigger/delivery_processor.h"
#include "trigger/delivery_receiver.h"
#include "trigger/git_remote.h"
#include "trigger/github_token.h"
#include "trigger/github_workflow_handler.h"
#include "trigger/integration_cache.h"
#include "trigger/mapper_cache.h"

namespace opz::trigger {

class CommitStatusReporter;
class GitPoller;

struct TriggerServiceOptions {
  std::chrono::milliseconds poll_tick{std::chrono::seconds(1)};
  std::chrono::milliseconds status_tick{std::chrono::seconds(1)};
  GitRemoteOptions git;
  WorkflowHandlerOptions workflow;
  github::HttpTransportOptions github_transport;
  std::string public_url;  // base of links to executions; settable later
  // The server's data dir: its git mirrors (<data_dir>/mirrors, shared with
  // the engine's checkouts) tell path filters what a push changed when the
  // payload does not list it all (trigger/mirror_diff.h). Empty: no mirror.
  std::string data_dir;
  // Git polling runs only while this answers true: with several servers on
  // one database, only the cluster's leader polls (app::LeaderGate), so one
  // new commit starts one execution. Empty: always poll (one server).
  std::function<bool()> poll_gate;
  size_t max_queued_deliveries = 10000;  // delivery ids kept in memory (see queue_)
  size_t delivery_batch = 256;           // most deliveries the worker processes at once
  // Under a steady stream the worker starts at most one batch per interval
  // (unless a full batch waits); one after a quiet spell starts at once.
  std::chrono::milliseconds delivery_batch_interval{5};
};

struct TriggerServiceDeps {
  store::Database& db;
  store::ProjectStore& projects;
  store::ExecutionStore& executions;
  audit::AuditLog& audit;
  const secrets::SecretBox& box;
  const Clock& clock;
  telemetry::MetricsRegistry* metrics = nullptr;
  engine::EventBus* bus = nullptr;  // null: no commit statuses from execution events
  // The one admission path (trigger::AdmissionService); null: nothing starts
  // (deliveries stay pending).
  ExecutionSubmitter* submitter = nullptr;
  engine::Engine* engine = nullptr;
  // The master key ring GitHub tokens are sealed with (github_token.h); null:
  // tokens are sealed with `box` in the old place.
  secrets::MasterKeys* master_keys = nullptr;
};

class TriggerService {
 public:
  TriggerService(TriggerServiceDeps deps, TriggerServiceOptions options = {});
  ~TriggerService();
  TriggerService(const TriggerService&) = delete;
  TriggerService& operator=(const TriggerService&) = delete;

  std::shared_ptr<GithubWorkflowHandler> workflow_handler() { return workflow_; }

  // Queues every pending delivery and starts the threads.
  Status start();
  // Stops and joins the threads (pending deliveries stay pending). Idempotent.
  void stop();

  // The webhook receiver: answers later, without blocking
  // (DeliveryReceiver::receive_async).
  void receive_async(IncomingDelivery delivery, std::function<void(Result<ReceiveAnswer>)> done);
  // Stores a copy of delivery `id` marked replay_of = id and processes it now,
  // on the caller's thread: a new execution (trigger_type 'replay').
  Result<std::pair<std::string, ProcessedDelivery>> replay(const std::string& id);
  // Processes a delivery now (tests; the worker does this).
  Result<ProcessedDelivery> process(const std::string& delivery_id);

  void set_public_url(std::string url);
  std::string public_url() const;

  store::GithubStore& github() { return github_; }
  store::WebhookDeliveryStore& deliveries() { return deliveries_; }
  store::BranchMappingStore& mappings() { return mappings_; }
  store::CommitStatusStore& statuses() { return statuses_; }
  store::GitPollStore& polls() { return polls_; }
  const secrets::SecretBox& secret_box() const { return d_.box; }
  GithubTokens github_tokens() const { return GithubTokens(d_.box, d_.master_keys); }

 private:
  void enqueue(QueuedDelivery delivery);
  void delivery_loop();
  void reload_pending(std::unique_lock<std::mutex>& lock);
  void poll_loop();
  void status_loop();

  TriggerServiceDeps d_;
  TriggerServiceOptions options_;
  TriggerMetrics metrics_;
  store::GithubStore github_;
  IntegrationCache integrations_;  // over github_
  store::WebhookDeliveryStore deliveries_;
  store::BranchMappingStore mappings_;
  MapperCache mapper_cache_;  // over mappings_
  store::CommitStatusStore statuses_;
  store::GitPollStore polls_;
  std::unique_ptr<ExecutionSubmitter> owned_submitter_;
  ExecutionSubmitter* submitter_ = nullptr;
  std::shared_ptr<GithubWorkflowHandler> workflow_;
  std::unique_ptr<DeliveryProcessor> processor_;
  std::unique_ptr<DeliveryReceiver> receiver_;
  std::unique_ptr<GitPoller> poller_;
  std::unique_ptr<CommitStatusReporter> reporter_;
  std::shared_ptr<engine::EventSubscription> subscription_;

  mutable std::mutex mu_;
  std::condition_variable cv_;        // stop, for the poll and status threads
  std::condition_variable queue_cv_;  // arrivals and stop, for the delivery worker
  bool worker_idle_ = false;          // the worker waits on queue_cv_ for arrivals
  std::chrono::steady_clock::time_point last_batch_{};  // the worker's; when it started
  // Ids of stored, pending deliveries in arrival order. Bounded: past
  // max_queued_deliveries new arrivals stay only in the database
  // (queue_overflowed_) and the worker reads them back, oldest first, once
  // it has caught up; so a sustained flood costs disk, not memory.
  std::deque<QueuedDelivery> queue_;
  bool queue_overflowed_ = false;
  bool running_ = false;
  bool stopping_ = false;
  std::string public_url_;
  std::thread delivery_thread_;
  std::thread poll_thread_;
  std::thread status_thread_;
};

}  // namespace opz::trigger
