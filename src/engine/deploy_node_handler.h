// DeployNodeHandler: runs `deploy` nodes. The engine hands it every deploy
// node attempt (ExternalNodeHandler, registered for type "deploy"); it turns
// the attempt into a deploy::DeploymentRun (strategy, health checks, hooks,
// automatic rollback) and records the deployment at the edge:
//
//   start      a deployments row (or the pending row the API created for a
//              rollback / promotion, metadata.deployment.id) goes 'running'
//              with its version, commit, image tag, artifact and strategy;
//              the stable version (the current one of the environment) is
//              what an automatic rollback restores.
//   progress   phase, slot and canary weight on the row; every probe in
//              deployment_probes; messages in the node's log.
//   succeeded  the row 'success' and its version current, in one
//              transaction. A successful rollback also marks the version it
//              replaced bad and holds automatic deploys to the environment.
//   rolled back / failed / blocked / cancelled
//              the row ends so; a rolled-back version is marked bad and
//              automatic deploys to the environment are held until someone
//              releases the hold (argo-cd#5351, kargo#3016). The node fails
//              with the reason.
// The node's outputs: deployment_id, version, slot.
//
// Threading: engine calls (start, cancel) return at once; everything else
// runs on the deploy loop's one thread (deploy::DeployTimers), including the
// store writes, so a slow database never stalls the engine. promote() and
// abort() (DeploymentControl, from HTTP threads) are posted there and wait
// for the answer.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "deploy/deployment_run.h"
#include "engine/deployment_control.h"
#include "engine/external_node.h"
#include "store/deployment_store.h"
#include "store/execution_history_store.h"

namespace opz::engine {

// Told once per finished deployment (notifications, audit), on the deploy loop.
struct DeploymentOutcome {
  store::DeploymentRecord deployment;  // as finished
  std::string outcome;                 // "succeeded" | "failed" | "rolled_back" | ...
  std::string error;
  bool hold_created = false;
};

struct DeployNodeHandlerDeps {
  runner::Runner& runner;
  deploy::Prober& prober;
  deploy::DeployTimers& timers;  // the deploy loop
  store::DeploymentStore& deployments;
  store::ExecutionHistoryStore& history;  // the execution's artifacts
  const Clock& clock;
  std::function<void(const DeploymentOutcome&)> on_finished = {};
  // The ingested ops metrics canary `metric` analyses read (engine/
  // ops_metric_source.h); nullptr: such analyses fail.
  store::Database* ops_metrics_db = nullptr;
};

class DeployNodeHandler final : public ExternalNodeHandler, public DeploymentControl {
 public:
  explicit DeployNodeHandler(DeployNodeHandlerDeps deps);
  ~DeployNodeHandler() override;

  // At start-up, before the engine recovers: deployments still 'running' were
  // cut off by the previous server's end; they end 'failed' (interrupted).
  // Their nodes are retried or failed by the engine's recovery. Answers how
  // many were closed.
  Result<int> close_interrupted();

  void start(const ExternalNodeRequest& request, ExternalNodeReporter reporter) override;
  void cancel(const std::string& execution_id, const std::string& node_id, int attempt) override;

  Status promote(const std::string& deployment_id) override;
  Status abort(const std::string& deployment_id, const std::string& reason) override;

 private:
  struct Attempt;
  static std::string key(const std::string& execution_id, const std::string& node_id,
                         int attempt);
  // On the deploy loop.
  void begin(const std::shared_ptr<Attempt>& attempt);
  void finished(const std::shared_ptr<Attempt>& attempt, const deploy::DeployResult& result);
  Status on_loop(const std::function<Status()>& fn);

  DeployNodeHandlerDeps deps_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Attempt>> attempts_;  // by key(); guarded by mu_
  // The last FINISHED run per "project\nenvironment" (deploy loop only): a
  // blue-green run may still have its cleanup pending; the next deployment to
  // the environment cancels it, since it deploys into that idle slot.
  std::map<std::string, std::shared_ptr<deploy::DeploymentRun>> latest_runs_;
};

}  // namespace opz::engine
