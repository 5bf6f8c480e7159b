#include "governance/admission.h"

#include <algorithm>
#include <chrono>

#include "core/time_format.h"
#include "governance/enum_names.h"

namespace opz::governance {

namespace {

constexpr detail::NameTable<AdmissionStatus, 4> kAdmissionStatuses{{
    {AdmissionStatus::kAllowed, "allowed"},
    {AdmissionStatus::kPendingApproval, "pending_approval"},
    {AdmissionStatus::kWaiting, "waiting"},
    {AdmissionStatus::kBlocked, "blocked"},
}};

// Who may lock/unlock and change an environment's rules (seed 000 §7.2:
// operators for non-production, admins for all; an admin-only environment is
// production-grade).
std::string lock_managers(const EnvironmentProtection& p) {
  return p.required_role == auth::Role::kAdmin ? "admin" : "operator or admin";
}

RuleOutcome emergency_stop(const EmergencyStop& stop) {
  if (!stop.active) return pass_rule("emergency_stop", "no emergency stop is active");
  return {"emergency_stop", RuleResult::kWait,
          "Emergency stop by " + stop.by + " since " + format_time(stop.since) + ": " + stop.reason,
          "admin", std::nullopt};
}

RuleOutcome environment_locked(const ExecutionRequest& r, const EnvironmentProtection& p) {
  if (!p.is_locked)
    return pass_rule("environment_locked", "Environment " + p.name + " is unlocked");
  // Seed 000 §6.3: rolling back into a locked environment needs an unlock —
  // or an admin, whose rollback passes the lock (and is audited as such).
  if (r.trigger == TriggerKind::kRollback && r.requester_role == auth::Role::kAdmin)
    return pass_rule("environment_locked", "Environment " + p.name +
                                               " is locked: " + p.lock_reason +
                                               "; an admin's rollback passes the lock");
  return {"environment_locked", RuleResult::kBlock,
          "Environment " + p.name + " is locked: " + p.lock_reason, lock_managers(p), std::nullopt};
}

}  // namespace

bool needs_approval(const ExecutionRequest& r, const EnvironmentProtection& p) {
  return p.requires_approval || (!p.auto_deploy && is_system_trigger(r.trigger));
}

namespace {

RuleOutcome approval_required(const ExecutionRequest& r, const EnvironmentProtection& p,
                              const std::optional<Tally>& tally) {
  const std::string rule = "approval_required";
  if (!needs_approval(r, p)) return pass_rule(rule, "Environment " + p.name + " needs no approval");
  const int required = std::max(1, p.requires_approval ? p.required_approvals : 1);
  std::string need = std::to_string(required) + " approval" + (required == 1 ? "" : "s");
  std::string who = describe_reviewers(p);
  if (!tally || tally->commit_sha != r.commit_sha)
    return {rule, RuleResult::kNeedsApproval,
            "Environment " + p.name +
                (p.requires_approval ? std::string(" needs ")
                                     : " does not deploy automatically: a trigger needs ") +
                need + " of commit " + r.commit_sha,
            who, std::nullopt};
  switch (tally->status) {
    case ApprovalStatus::kApproved:
      return pass_rule(rule, "approved by " + std::to_string(tally->approvals) + " of " + need);
    case ApprovalStatus::kRejected:
      return {rule,
              RuleResult::kBlock,
              "Rejected by " + tally->rejected_by + ": " + tally->rejection_comment,
              {},
              std::nullopt};
    case ApprovalStatus::kExpired:
      return {rule,
              RuleResult::kBlock,
              "The approval request expired at " + format_time(tally->expires_at),
              {},
              std::nullopt};
    case ApprovalStatus::kSuperseded:
      return {rule, RuleResult::kBlock, "The approval request was superseded", {}, std::nullopt};
    case ApprovalStatus::kPending:
      break;
  }
  return {rule, RuleResult::kNeedsApproval,
          std::to_string(tally->approvals) + " of " + need + " so far; expires at " +
              format_time(tally->expires_at),
          who, tally->expires_at};
}

RuleOutcome wait_timer(const ExecutionRequest& r, const EnvironmentProtection& p,
                       const std::optional<Tally>& tally, const AdmissionState& state,
                       TimePoint now) {
  const std::string rule = "wait_timer";
  if (p.wait_timer_seconds == 0)
    return pass_rule(rule, "Environment " + p.name + " has no wait timer");
  std::optional<TimePoint> from = state.requested_at.value_or(now);
  if (needs_approval(r, p)) {
    from = tally && tally->status == ApprovalStatus::kApproved ? tally->decided_at : std::nullopt;
    if (!from) return skip_rule(rule, "the wait timer starts when the approval is complete");
  }
  TimePoint ends = *from + std::chrono::seconds{p.wait_timer_seconds};
  if (now >= ends) return pass_rule(rule, "the wait timer ended at " + format_time(ends));
  return {rule, RuleResult::kWait,
          "wait timer of " + std::to_string(p.wait_timer_seconds) + " s runs until " +
              format_time(ends),
          lock_managers(p) + " (cancel the timer)", ends};
}

RuleOutcome role_authorized(const ExecutionRequest& r, const EnvironmentProtection& p) {
  const std::string rule = "role_authorized";
  std::string need = std::string(auth::to_string(p.required_role));
  if (!r.requester_role) {
    if (is_system_trigger(r.trigger))
      return pass_rule(rule, "started by the " + std::string(to_string(r.trigger)) +
                                 " integration, which authorizes it");
    return {rule, RuleResult::kBlock,
            "a " + std::string(to_string(r.trigger)) + " request carries no requester role", need,
            std::nullopt};
  }
  std::string have = std::string(auth::to_string(*r.requester_role));
  if (*r.requester_role >= p.required_role)
    return pass_rule(rule,
                     "role " + have + " may deploy to " + p.name + " (requires " + need + ")");
  return {rule, RuleResult::kBlock,
          "Role " + have + " may not deploy to " + p.name + " (requires " + need + ")", need,
          std::nullopt};
}

RuleOutcome ref_allowed_rule(const ExecutionRequest& r, const EnvironmentProtection& p) {
  const std::string rule = "ref_allowed";
  std::string allowed = describe_allowed_refs(p);
  std::string ref = r.ref_kind == RefKind::kNone
                        ? "a commit without a branch or tag"
                        : std::string(to_string(r.ref_kind)) + " '" + r.ref_name + "'";
  if (ref_allowed(p, r.ref_kind, r.ref_name))
    return pass_rule(rule, ref + " may deploy to " + p.name + " (allowed: " + allowed + ")");
  return {rule, RuleResult::kBlock,
          ref + " may not deploy to " + p.name + " (allowed: " + allowed + ")",
          "admin (change the allowed refs)", std::nullopt};
}

RuleOutcome freeze_window(const ExecutionRequest& r, const AdmissionState& state, TimePoint now,
                          bool& overridden) {
  const std::string rule = "freeze_window";
  auto freeze = active_freeze(state.freeze_windows, r.project_id, r.environment, now);
  if (!freeze) return pass_rule(rule, "no freeze window is active");
  std::string what = "Frozen by window " + freeze->window_id + " (" + freeze->reason + ") until " +
                     format_time(freeze->ends_at);
  if (!r.override_freeze_reason.empty()) {
    if (r.requester_role == auth::Role::kAdmin) {
      overridden = true;
      return pass_rule(
          rule, what + "; overridden by " + r.requested_by + ": " + r.override_freeze_reason);
    }
    what += "; the override was ignored: only an admin may override a freeze";
  }
  return {rule, RuleResult::kWait, what, "admin (override with a reason)", freeze->ends_at};
}

bool holds(const RuleOutcome& o) {
  return o.result == RuleResult::kBlock || o.result == RuleResult::kWait ||
         o.result == RuleResult::kNeedsApproval;
}

void settle(AdmissionDecision& d) {
  auto first = [&](RuleResult r) {
    return std::find_if(d.rules.begin(), d.rules.end(),
                        [&](const RuleOutcome& o) { return o.result == r; });
  };
  if (auto b = first(RuleResult::kBlock); b != d.rules.end()) {
    d.status = AdmissionStatus::kBlocked;
    d.blocked_reason = b->reason;
    return;
  }
  if (first(RuleResult::kNeedsApproval) != d.rules.end()) {
    d.status = AdmissionStatus::kPendingApproval;
    return;
  }
  for (const auto& o : d.rules) {
    if (o.result != RuleResult::kWait) continue;
    d.status = AdmissionStatus::kWaiting;
    if (o.ends_at && (!d.wait_until || *o.ends_at > *d.wait_until)) d.wait_until = o.ends_at;
  }
}

}  // namespace

const RuleOutcome* AdmissionDecision::find(std::string_view rule) const {
  for (const auto& o : rules)
    if (o.rule == rule) return &o;
  return nullptr;
}

AdmissionDecision admit(const ExecutionRequest& request, const EnvironmentProtection* protection,
                        const AdmissionState& state, TimePoint now) {
  AdmissionDecision d;
  static constexpr std::string_view kRules[] = {
      "emergency_stop", "environment_locked", "deploy_hold", "lifecycle",     "approval_required",
      "wait_timer",     "role_authorized",    "ref_allowed", "freeze_window", "deploy_queue"};
  if (protection == nullptr) {
    d.rules.push_back({"environment_exists", RuleResult::kBlock,
                       "Environment '" + request.environment + "' does not exist in project " +
                           request.project_id,
                       "admin (create the environment)", std::nullopt});
    for (auto name : kRules)
      d.rules.push_back(skip_rule(std::string(name), "the environment does not exist"));
    settle(d);
    return d;
  }
  const EnvironmentProtection& p = *protection;
  d.rules.push_back(pass_rule("environment_exists", "Environment " + p.name + " exists"));
  if (request.ci_only) {
    const std::string why = "ci-only: nothing is deployed";
    for (auto name : kRules) {
      if (name == "role_authorized")
        d.rules.push_back(role_authorized(request, p));
      else
        d.rules.push_back(skip_rule(std::string(name), why));
    }
    settle(d);
    return d;
  }
  d.rules.push_back(emergency_stop(state.emergency_stop));
  d.rules.push_back(environment_locked(request, p));
  d.rules.push_back(check_deploy_hold(request, p.name, state.hold));
  d.rules.push_back(check_lifecycle(request, p.name, state.lifecycle, now));
  d.rules.push_back(approval_required(request, p, state.approval));
  d.rules.push_back(wait_timer(request, p, state.approval, state, now));
  d.rules.push_back(role_authorized(request, p));
  d.rules.push_back(ref_allowed_rule(request, p));
  d.rules.push_back(freeze_window(request, state, now, d.freeze_overridden));
  if (std::any_of(d.rules.begin(), d.rules.end(), holds)) {
    d.rules.push_back(
        skip_rule("deploy_queue", "the queue is consulted once the rules above pass"));
  } else {
    QueueEntry candidate{state.execution_id, state.requested_at.value_or(now), true};
    d.queue = decide_queue(state.queue, candidate, p.queue_mode);
    switch (d.queue->verdict) {
      case QueueVerdict::kRunNow:
        d.rules.push_back(pass_rule("deploy_queue", d.queue->reason));
        break;
      case QueueVerdict::kWait:
        d.rules.push_back({"deploy_queue", RuleResult::kWait, d.queue->reason,
                           "the deployment ahead finishing", std::nullopt});
        break;
      case QueueVerdict::kSuperseded:
        d.rules.push_back({"deploy_queue", RuleResult::kBlock, d.queue->reason, {}, std::nullopt});
        break;
    }
  }
  settle(d);
  return d;
}

std::string_view to_string(AdmissionStatus status) {
  return detail::name_of(kAdmissionStatuses, status);
}

}  // namespace opz::governance
