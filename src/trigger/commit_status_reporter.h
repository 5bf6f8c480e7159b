// CommitStatusReporter: reports the state of executions started by a GitHub
// webhook back to GitHub as commit statuses
//   POST {api_base}/repos/{owner}/{repo}/statuses/{sha}
//   {state, target_url: <public_url>/executions/<id>, description,
//    context: "opzenix/<environment>"}
// when the project's integration has a token.
//
// Two halves, both off the pipeline's path:
//   - on_event(): an execution state event from the engine's EventBus; for a
//     finished execution whose metadata says it came from a GitHub webhook
//     (metadata.source == "github_webhook"), queues the final report
//     (success / warning -> success, failed -> failure, cancelled -> error) in
//     commit_status_reports. "pending" is queued by the trigger itself, in the
//     transaction that records the delivery's outcome.
//   - send_due(): sends the queued reports that are due, oldest first; a
//     report overtaken by a newer one of the same context is dropped; a
//     retryable failure (GitHub 5xx, 429, rate limit, no answer) is retried
//     after 2s, 4s, 8s, 16s, 32s, 60s (github::next_retry_delay) and given up
//     after 6 attempts; any other failure (bad token, unknown repository) is
//     given up at once. Errors are kept in last_error, never thrown.
// Thread-safety: on_event() and send_due() may be called from different
// threads; send_due() from one thread at a time.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "engine/event_bus.h"
#include "github/api_client.h"
#include "secrets/master_keys.h"
#include "secrets/secret_box.h"
#include "store/commit_status_store.h"
#include "store/execution_store.h"
#include "store/github_store.h"
#include "trigger/trigger_metrics.h"

namespace opz::trigger {

struct CommitStatusReporterDeps {
  store::ExecutionStore& executions;
  store::GithubStore& github;
  store::CommitStatusStore& statuses;
  const secrets::SecretBox& box;
  TriggerMetrics& metrics;
  const Clock& clock;
  std::function<std::string()> public_url;
  github::HttpTransportOptions transport;
  // The master key ring the tokens in github_tokens are sealed with
  // (trigger/github_token.h); null: only tokens sealed with `box` open.
  secrets::MasterKeys* master_keys = nullptr;
};

// "success" | "failure" | "error" for a finished execution status; "" for
// any status that is not final.
std::string final_commit_state(std::string_view execution_status);

class CommitStatusReporter {
 public:
  explicit CommitStatusReporter(CommitStatusReporterDeps deps) : d_(std::move(deps)) {}

  // Queues a report for a finished GitHub-triggered execution; ignores
  // everything else. Answers whether a report was queued.
  Result<bool> on_event(const engine::EngineEvent& event);
  // Sends every due report once; answers how many were delivered.
  int send_due();

 private:
  CommitStatusReporterDeps d_;
};

}  // namespace opz::trigger
