#include "trigger/execution_notifications.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace opz::trigger {

namespace {

bool is_final(const std::string& status) {
  return status == "success" || status == "warning" || status == "failed" ||
         status == "cancelled";
}

// One line for people (Slack webhooks).
std::string text_of(const std::string& type, const store::ExecutionRecord& e,
                    const std::string& reason) {
  const std::string what = "execution " + e.name + " (" +
                           (e.environment.empty() ? std::string("no environment") : e.environment) +
                           ")";
  std::string text = "[Opzenix] ";
  if (type == "deployment_complete") {
    text += "deployment complete: " + e.name + " to " + e.environment;
  } else if (type == "execution_blocked") {
    text += what + " was blocked";
  } else if (type == "execution_failed") {
    text += what + " failed";
  } else {
    text += what + " finished: " + e.status;
  }
  if (!reason.empty() && type != "deployment_complete") text += ": " + reason;
  return text;
}

}  // namespace

ExecutionNotifications::ExecutionNotifications(ExecutionNotificationsDeps deps,
                                               ExecutionNotificationsOptions options)
    : d_(deps),
      options_(options),
      executions_(deps.db),
      approvals_(deps.db, deps.clock),
      users_(deps.db, deps.clock) {
  engine::EventFilter filter;
  filter.kinds = static_cast<uint32_t>(engine::EventKind::kExecutionState);
  subscription_ = d_.bus.subscribe(filter, std::max<size_t>(1, options_.queue_capacity));
}

ExecutionNotifications::~ExecutionNotifications() { stop(); }

void ExecutionNotifications::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void ExecutionNotifications::stop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  subscription_->close();  // wakes next()
  if (thread_.joinable()) thread_.join();
}

Result<int> ExecutionNotifications::process_pending() {
  int sent = 0;
  for (const auto& event : subscription_->drain()) {
    OPZ_TRY(int n, on_event(*event));
    sent += n;
  }
  return sent;
}

Result<std::vector<std::string>> ExecutionNotifications::account_of(const std::string& user_id) {
  // "github:octocat", "cli:alice", "poll", ...: not a person to notify here.
  if (user_id.empty() || user_id.find(':') != std::string::npos) return std::vector<std::string>{};
  OPZ_TRY(bool exists, users_.user_exists(user_id));
  if (!exists) return std::vector<std::string>{};
  return std::vector<std::string>{user_id};
}

Result<bool> ExecutionNotifications::deployed(const std::string& execution_id) {
  OPZ_TRY(auto nodes, executions_.nodes(execution_id));
  return std::any_of(nodes.begin(), nodes.end(), [](const store::ExecutionNodeRecord& n) {
    return n.type == "deploy" && n.status == "success";
  });
}

Status ExecutionNotifications::send(const std::string& type, const store::ExecutionRecord& e,
                                    const std::string& reason,
                                    const std::vector<std::string>& targets) {
  Notification n;
  n.type = type;
  n.target_user_ids = targets;
  n.project_id = e.project_id;
  n.payload = Json{{"execution_id", e.id},
                   {"name", e.name},
                   {"project_id", e.project_id},
                   {"environment", e.environment},
                   {"branch", e.branch},
                   {"commit_sha", e.commit_hash},
                   {"status", e.status},
                   {"reason", reason},
                   {"started_by", e.started_by}};
  n.text = text_of(type, e, reason);
  return d_.notifier.notify(n);
}

Result<int> ExecutionNotifications::on_event(const engine::EngineEvent& event) {
  if (event.kind != engine::EventKind::kExecutionState || !event.node_id.empty() ||
      !is_final(event.new_state))
    return 0;
  // A finished execution may free its environment's deploy queue: held
  // executions behind it are decided again now, not at the next safety-net
  // pass (AdmissionService).
  if (d_.admission) d_.admission->reevaluate_all();
  OPZ_TRY(store::ExecutionRecord e, executions_.find(event.execution_id, false));
  // The row is the truth (the event committed with it); a later state would
  // have its own event.
  if (!is_final(e.status)) return 0;
  std::string type = "execution_finished";
  std::string reason = event.reason;
  if (e.status == "failed") {
    type = e.governance_status == "blocked" ? "execution_blocked" : "execution_failed";
    if (!e.blocked_reason.empty()) reason = e.blocked_reason;
  } else if (e.status == "cancelled") {
    if (!e.cancel_reason.empty()) reason = e.cancel_reason;
  } else {
    reason.clear();  // success / warning need no explanation
  }
  OPZ_TRY(std::vector<std::string> starter, account_of(e.started_by));
  OPZ_TRY_STATUS(send(type, e, reason, starter));
  int sent = 1;
  if (e.status == "success" || e.status == "warning") {
    OPZ_TRY(bool did_deploy, deployed(e.id));
    if (did_deploy) {
      OPZ_TRY_STATUS(send("deployment_complete", e, "", starter));
      ++sent;
    }
  }
  return sent;
}

Result<int> ExecutionNotifications::expire_approvals() {
  OPZ_TRY(std::vector<store::ApprovalRecord> expired, approvals_.expire_due());
  for (const store::ApprovalRecord& a : expired) {
    spdlog::info("governance: approval request {} of execution {} expired", a.id, a.execution_id);
    Notification n;
    n.type = "approval_decided";
    n.project_id = a.project_id;
    OPZ_TRY(n.target_user_ids, account_of(a.requested_by));
    n.payload = Json{{"approval_request_id", a.id}, {"execution_id", a.execution_id},
                     {"node_id", a.node_id},        {"environment", a.environment},
                     {"status", a.status},          {"decided_by", a.decided_by},
                     {"expires_at", a.expires_at}};
    OPZ_TRY_STATUS(d_.notifier.notify(n));
  }
  if (!expired.empty() && d_.admission) d_.admission->reevaluate_all();
  return static_cast<int>(expired.size());
}

void ExecutionNotifications::run() {
  using Steady = std::chrono::steady_clock;
  auto next_sweep = Steady::now();
  while (!stopping_) {
    auto now = Steady::now();
    if (now >= next_sweep) {
      auto swept = expire_approvals();
      if (!swept) spdlog::warn("approval expiry: {}", swept.error().to_string());
      next_sweep = now + options_.sweep_interval;
    }
    const auto wait = std::max(Millis{1}, std::chrono::duration_cast<Millis>(next_sweep - now));
    auto event = subscription_->next(wait);
    if (event) {
      auto sent = on_event(**event);
      if (!sent)
        spdlog::warn("execution notifications: {} ({}): {}", (*event)->execution_id,
                     (*event)->new_state, sent.error().to_string());
    }
    const uint64_t dropped = subscription_->dropped();
    if (dropped > reported_drops_) {
      spdlog::warn("execution notifications: {} execution event(s) dropped (queue full)",
                   dropped - reported_drops_);
      reported_drops_ = dropped;
    }
  }
}

}  // namespace opz::trigger
