#include "trigger/commit_status_reporter.h"

#include <spdlog/spdlog.h>

#include "core/time_format.h"
#include "trigger/github_token.h"

namespace opz::trigger {

namespace {

github::CommitState to_commit_state(const std::string& state) {
  if (state == "success") return github::CommitState::kSuccess;
  if (state == "failure") return github::CommitState::kFailure;
  if (state == "error") return github::CommitState::kError;
  return github::CommitState::kPending;
}

std::string describe(const store::ExecutionRecord& e, const std::string& state) {
  const bool ci_only = e.metadata.is_object() && e.metadata.value("ci_only", false);
  const std::string what = ci_only ? "CI" : "Deploy to " + e.environment;
  if (state == "success")
    return what + (e.status == "warning" ? " succeeded with warnings" : " succeeded");
  if (state == "failure") {
    std::string why = e.blocked_reason.empty() && e.metadata.is_object()
                          ? e.metadata.value("error", std::string())
                          : e.blocked_reason;
    return what + " failed" + (why.empty() ? "" : ": " + why);
  }
  if (state == "error")
    return what + " cancelled" + (e.cancel_reason.empty() ? "" : ": " + e.cancel_reason);
  return what + " running";
}

}  // namespace

std::string final_commit_state(std::string_view status) {
  if (status == "success" || status == "warning") return "success";
  if (status == "failed") return "failure";
  if (status == "cancelled") return "error";
  return "";
}

Result<bool> CommitStatusReporter::on_event(const engine::EngineEvent& event) {
  if (event.kind != engine::EventKind::kExecutionState || !event.node_id.empty()) return false;
  const std::string state = final_commit_state(event.new_state);
  if (state.empty()) return false;
  OPZ_TRY(store::ExecutionRecord e, d_.executions.find(event.execution_id, false));
  if (!e.metadata.is_object() || e.metadata.value("source", "") != "github_webhook" ||
      e.commit_hash.empty() || e.project_id.empty())
    return false;
  auto integration = d_.github.find_by_project(e.project_id);
  if (!integration) {
    if (integration.error().is_not_found()) return false;
    return integration.error();
  }
  if (integration->token_sealed.empty()) return false;
  store::CommitStatusRecord r;
  r.project_id = e.project_id;
  r.execution_id = e.id;
  r.commit_sha = e.commit_hash;
  r.state = state;
  r.context = "opzenix/" + e.environment;
  r.description = github::truncate_description(describe(e, state));
  if (d_.public_url) {
    std::string base = d_.public_url();
    while (!base.empty() && base.back() == '/') base.pop_back();
    r.target_url = base + "/executions/" + e.id;
  }
  OPZ_TRY_STATUS(d_.statuses.enqueue(r));
  return true;
}

int CommitStatusReporter::send_due() {
  auto due = d_.statuses.due(format_time(d_.clock.now()));
  if (!due) {
    spdlog::error("commit statuses: cannot read the queue: {}", due.error().to_string());
    return 0;
  }
  int delivered = 0;
  for (const store::CommitStatusRecord& r : *due) {
    auto give_up = [&](const std::string& why, int attempts) {
      (void)d_.statuses.mark_failed(r.id, attempts, "", why);
      d_.metrics.commit_status("gave_up");
      spdlog::warn("commit statuses: gave up on {} for {}: {}", r.state, r.commit_sha, why);
    };
    auto newer = d_.statuses.superseded(r);
    if (newer && *newer) {
      (void)d_.statuses.mark_failed(r.id, r.attempts, "", "superseded by a newer status");
      continue;
    }
    auto integration = d_.github.find_by_project(r.project_id);
    if (!integration) {
      give_up("no GitHub integration: " + integration.error().message, r.attempts);
      continue;
    }
    auto token = GithubTokens(d_.box, d_.master_keys).open(*integration);
    if (!token) {
      give_up("no usable token: " + token.error().message, r.attempts);
      continue;
    }
    github::ApiClientConfig config;
    config.api_base = integration->api_base_url;
    config.token = *token;
    config.transport = d_.transport;
    github::ApiClient client(config);
    github::CommitStatusRequest req;
    req.owner = integration->repository_owner;
    req.repo = integration->repository_name;
    req.sha = r.commit_sha;
    req.state = to_commit_state(r.state);
    req.target_url = r.target_url;
    req.description = r.description;
    req.context = r.context;
    Status sent = client.create_commit_status(req);
    const int attempts = r.attempts + 1;
    if (sent.ok()) {
      (void)d_.statuses.mark_delivered(r.id);
      d_.metrics.commit_status("delivered");
      ++delivered;
    } else if (github::is_retryable(sent.error()) && attempts < github::kMaxGithubAttempts) {
      const auto next = d_.clock.now() + github::next_retry_delay(attempts);
      (void)d_.statuses.mark_failed(r.id, attempts, format_time(next), sent.error().message);
      d_.metrics.commit_status("retry");
    } else {
      give_up(sent.error().message, attempts);
    }
  }
  return delivered;
}

}  // namespace opz::trigger
