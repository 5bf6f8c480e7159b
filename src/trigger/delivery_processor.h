// DeliveryProcessor: the asynchronous half of a webhook delivery — turns one
// stored, verified, pending delivery into its outcome.
//
//   ping                      -> processed ("ping from hook N: <zen>")
//   workflow_run (completed)  -> the github_workflow node waiting for that run
//                                is finished with its conclusion (processed),
//                                or nobody waits (ignored)
//   push / pull_request /
//   create / release          -> should_trigger() + branch mapping
//                                (trigger_plan.h) -> an execution (processed)
//                                or a reason (ignored)
//   anything else             -> ignored, "event X is not handled"
//   payload not of its event  -> rejected, naming the field (the sender's fault)
//   another repository        -> ignored: the payload names a repository that
//                                is not the integration's (by id, else name)
//   a server-side failure     -> failed
//
// Exactly-once: the outcome is recorded by ONE transaction (delivery row,
// audit entry, the first "pending" commit status) that only succeeds while
// the delivery is still pending. The execution itself is created by the
// engine just before; if the process dies in between, the delivery is still
// pending at the next start and processing it again finds the execution by
// its metadata.delivery_id instead of creating a second one. A tag is built
// once: the push, create and release events of one tag share a trigger key,
// and only the first starts an execution. When the engine cannot take an
// execution now (kUnavailable) the delivery stays pending for a later retry.
//
// Batches: process_batch() does for many deliveries what process() does for
// one, sharing the work: one read transaction for the deliveries (none for
// those that arrive with their row, process_queued()), a
// project's record, integration and branch rules read once per batch (the
// batch sees them as of its first use), and the outcomes that start nothing
// (ignored, failed, ping, workflow_run) recorded together in ONE transaction
// at the end; a delivery that starts an execution still records its outcome
// and audit entry at once. The worker drains its queue this way, so under a
// flood it spends one commit per batch instead of one per delivery.
//
// Thread-safety: process() and process_batch() may run concurrently for DIFFERENT deliveries
// (the worker and a synchronous replay); one delivery is processed by one
// caller at a time (the outcome transaction guards against doubles).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "github/webhook_event.h"
#include "store/branch_mapping_store.h"
#include "store/commit_status_store.h"
#include "store/database.h"
#include "store/github_store.h"
#include "store/project_store.h"
#include "store/webhook_delivery_store.h"
#include "trigger/arrived_delivery.h"
#include "trigger/delivery_targets.h"
#include "trigger/execution_submitter.h"
#include "trigger/path_gate.h"
#include "trigger/trigger_metrics.h"
#include "trigger/trigger_plan.h"

namespace opz::trigger {

// Whoever waits for GitHub Actions runs (the github_workflow node handler).
class WorkflowRunSink {
 public:
  virtual ~WorkflowRunSink() = default;
  // A workflow_run event for `repository` ("owner/name"). Answers what was
  // continued ("node deploy of execution X: success"), or "" when nothing
  // waited for this run.
  virtual std::string on_workflow_run(const std::string& repository,
                                      const github::WorkflowRunEvent& run) = 0;
};

struct ProcessedDelivery {
  std::string outcome;  // processed | ignored | rejected | failed | pending (left for a retry)
  std::string reason;
  std::string execution_id;
};

// A delivery to process: its id and, when the receiver stored it just now,
// its row and parsed event (then the row is not read back and the body is
// neither read nor parsed again; trigger/arrived_delivery.h).
struct QueuedDelivery {
  std::string id;
  std::shared_ptr<const ArrivedDelivery> arrived;  // null: read the stored row and body
};

struct DeliveryProcessorDeps {
  store::Database& db;
  store::WebhookDeliveryStore& deliveries;
  store::GithubStore& github;
  store::ProjectStore& projects;
  store::BranchMappingStore& mappings;
  store::CommitStatusStore& statuses;
  audit::AuditLog& audit;
  ExecutionSubmitter& submitter;
  TriggerMetrics& metrics;
  WorkflowRunSink* workflow_runs = nullptr;
  // The commit a tag points at (create/release events name none).
  std::function<Result<std::string>(const std::string& git_url, const std::string& tag)>
      resolve_tag;
  // Base of links to executions ("https://opzenix.example.com").
  std::function<std::string()> public_url;
  // The files a push changed, from the server's git mirror, for path filters
  // when the payload does not list them all (trigger/mirror_diff.h); empty:
  // no mirror (such pushes start every filtered project, saying why).
  MirrorPaths mirror_paths;
};

class DeliveryProcessor {
 public:
  explicit DeliveryProcessor(DeliveryProcessorDeps deps) : d_(std::move(deps)) {}

  // kNotFound for an unknown delivery. A delivery no longer pending answers
  // its recorded outcome and does nothing.
  Result<ProcessedDelivery> process(const std::string& delivery_id);
  // One answer per delivery, in order (see "Batches" above).
  std::vector<Result<ProcessedDelivery>> process_queued(const std::vector<QueuedDelivery>& batch);
  std::vector<Result<ProcessedDelivery>> process_batch(const std::vector<std::string>& ids);

 private:
  struct Batch;  // what one call shares between its deliveries
  using IntegrationMemo = std::map<std::string, std::optional<store::GithubIntegrationRecord>>;

  // `parsed`: the delivery's event when already parsed, else null.
  // batch.read_back says whether `delivery` was just read from the store or
  // is the receiver's snapshot (then start() confirms it is still pending).
  // `targets`: the projects an arrived delivery is for; null for one read
  // back (then its stored headers say, trigger/delivery_targets.h).
  Result<ProcessedDelivery> decide(const store::DeliveryRecord& delivery,
                                   const github::WebhookEvent* parsed,
                                   const DeliveryTargets* targets, Batch& batch);
  Result<IntegrationMemo::iterator> integration_of(const std::string& project_id, Batch& batch);
  TriggerContext context_for(const store::DeliveryRecord& delivery,
                             const store::ProjectRecord& project,
                             const std::optional<store::GithubIntegrationRecord>& integration) const;
  // The commit of a create/release event's tag ("" for other events).
  Result<std::string> tag_commit(const github::WebhookEvent& event,
                                 const github::TriggerDecision& decision,
                                 const TriggerContext& ctx) const;
  // One delivery for several projects (trigger/delivery_targets.h): each is
  // decided on its own (integration, path filters, branch mapping), the
  // executions are created, and the delivery's outcome, every execution's
  // audit entry and first commit status are recorded in ONE transaction.
  Result<ProcessedDelivery> fan_out(const store::DeliveryRecord& delivery,
                                    const github::WebhookEvent& event,
                                    const github::TriggerDecision& decision,
                                    const DeliveryTargets& targets, Batch& batch);
  // The recorded outcome of a delivery decided elsewhere meanwhile.
  Result<ProcessedDelivery> recorded(const std::string& delivery_id);
  Result<ProcessedDelivery> start(const store::DeliveryRecord& delivery,
                                  const store::ProjectRecord& project,
                                  const std::optional<store::GithubIntegrationRecord>& integration,
                                  const github::WebhookEvent& event,
                                  const github::TriggerDecision& decision, Batch& batch);
  // Records an outcome that starts nothing: now, or with the batch.
  Result<ProcessedDelivery> finish(const store::DeliveryRecord& delivery,
                                   const ProcessedDelivery& result, Batch& batch);

  DeliveryProcessorDeps d_;
};

}  // namespace opz::trigger
