// GithubWorkflowHandler: the `github_workflow` node type (the seeds'
// trigger-github-workflow). A node
//   - id: deploy
//     type: github_workflow
//     with: {workflow: deploy.yml, ref: main, inputs: {env: prod}, timeout: 20m}
// dispatches the workflow on the project's integration repository
// (POST .../actions/workflows/{workflow}/dispatches {ref, inputs}) and waits
// for that run to complete; conclusion "success" -> the node succeeds (outputs
// run_id, run_number, conclusion, html_url), anything else -> it fails with
// the conclusion in the error.
//
// Defaults: workflow = the integration's workflow_file; ref = with.ref, else
// the execution's branch, else its tag, else "main"; timeout = with.timeout
// (a duration like "20m", or seconds), default 30m (the engine's node timeout
// applies as well). Input values that are not strings are sent as JSON text.
//
// Finding the run: a dispatch answers no run id, so the handler lists the
// workflow's workflow_dispatch runs on that ref and takes the newest created
// at or after the dispatch (minus a small clock skew) that no other node
// claimed. Completion arrives either as a `workflow_run` webhook
// (on_workflow_run, via the delivery processor) or, when none comes, by
// polling the runs list every `poll_interval`. Retryable GitHub errors are
// retried with the 2s..60s backoff, 6 attempts; other errors fail the node.
// After a server restart the engine runs the node again as a new attempt,
// which dispatches again (documented; GitHub offers no idempotent dispatch).
//
// Threads: start()/cancel() only queue work; one worker thread (start_worker)
// does every GitHub call and calls reporter.finish(). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "engine/external_node.h"
#include "github/api_client.h"
#include "secrets/master_keys.h"
#include "secrets/secret_box.h"
#include "store/github_store.h"
#include "trigger/delivery_processor.h"
#include "trigger/trigger_metrics.h"

namespace opz::trigger {

struct WorkflowHandlerOptions {
  std::chrono::milliseconds poll_interval{std::chrono::seconds(30)};
  // How often to look for the dispatched run until it shows up.
  std::chrono::milliseconds find_interval{std::chrono::seconds(3)};
  std::chrono::milliseconds default_timeout{std::chrono::minutes(30)};
  // Runs created this long before our dispatch still count as ours.
  std::chrono::milliseconds clock_skew{std::chrono::seconds(5)};
  github::HttpTransportOptions transport;
  // The master key ring the tokens in github_tokens are sealed with
  // (trigger/github_token.h); null: only tokens sealed with the box open.
  secrets::MasterKeys* master_keys = nullptr;
};

class GithubWorkflowHandler final : public engine::ExternalNodeHandler, public WorkflowRunSink {
 public:
  GithubWorkflowHandler(store::GithubStore& github, const secrets::SecretBox& box,
                        const Clock& clock, TriggerMetrics& metrics,
                        WorkflowHandlerOptions options = {});
  ~GithubWorkflowHandler() override;

  void start_worker();
  void stop_worker();

  void start(const engine::ExternalNodeRequest& request,
             engine::ExternalNodeReporter reporter) override;
  void cancel(const std::string& execution_id, const std::string& node_id, int attempt) override;
  std::string on_workflow_run(const std::string& repository,
                              const github::WorkflowRunEvent& run) override;

  // Nodes currently dispatched or waiting (tests, metrics).
  size_t waiting() const;

 private:
  struct Waiter;
  void loop();
  void step(Waiter& w);
  void finish(Waiter& w, bool success, const std::string& error, const github::WorkflowRun* run);
  Status prepare(Waiter& w);

  store::GithubStore& github_;
  const secrets::SecretBox& box_;
  const Clock& clock_;
  TriggerMetrics& metrics_;
  const WorkflowHandlerOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::list<std::shared_ptr<Waiter>> waiters_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace opz::trigger
