// admit(): the one admission decision for an ExecutionRequest — allow, wait
// for approval, wait (timer, freeze, emergency stop, queue) or block — with
// every rule it evaluated, why, who can unblock it and when it ends
// (issue 8 "One admission path"; seed 000 §2.1 "Governance Layer", §2.2
// step 5).
//
// Rules, in the seeds' order (each one always appears in `rules`):
//   environment_exists   the environment must exist in the project (exact
//                        name); otherwise block, and every other rule is
//                        skipped.
//   emergency_stop       an active stop holds every deployment (wait; ends
//                        when an admin lifts it).
//   environment_locked   a locked environment blocks, quoting the lock's
//                        reason verbatim: "Environment Production is locked:
//                        <reason>".
//   deploy_hold          after a rollback, a trigger's (webhook, poll)
//                        execution waits until the hold is released (no
//                        end: the release re-runs admission); a person's
//                        request passes, said so (deploy_hold.h).
//   lifecycle            the project's lifecycle: the commit must have
//                        succeeded in the previous phase's environment
//                        (block otherwise), at least the soak time ago
//                        (wait until then); rollbacks pass
//                        (lifecycle_gate.h).
//   approval_required    N-of-M approvals of this commit: needs_approval
//                        until the tally approves; rejected or expired block.
//                        An environment that does not deploy automatically
//                        (auto_deploy false) needs one from a trigger's run.
//   wait_timer           after approval (or, without approval, after the
//                        request was first admitted) the environment's wait
//                        timer runs: wait until it ends.
//   role_authorized      requester_role >= required_role; system triggers
//                        (webhook, poll) carry no role and are authorized by
//                        the integration; any other trigger without a role
//                        blocks.
//   ref_allowed          the branch/tag must match the allowed globs.
//   freeze_window        an active freeze waits until the end of the chain
//                        of overlapping windows; an admin's
//                        override_freeze_reason passes it (to be audited).
//   deploy_queue         evaluated only when everything above passes: run
//                        now, wait behind another execution, or superseded.
// The status: any block -> kBlocked (blocked_reason = the first block's
// reason); else any needs_approval -> kPendingApproval; else any wait ->
// kWaiting; else kAllowed. wait_until is the latest known end among the
// waits (a freeze, the wait timer, a soak); waits without an end (emergency
// stop, deploy hold, queue) resume on an event, so the caller re-runs admit()
// then.
//
// ci_only requests deploy nothing: they check that the environment exists
// and the requester's role, and skip every deployment rule (stop, lock,
// hold, lifecycle, approval, timer, refs, freeze, queue).
//
// Pure: no I/O, no clock (now is an argument), no store. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "governance/approval_tally.h"
#include "governance/deploy_hold.h"
#include "governance/deploy_queue.h"
#include "governance/environment_protection.h"
#include "governance/execution_request.h"
#include "governance/freeze_window.h"
#include "governance/lifecycle_gate.h"
#include "governance/rule_outcome.h"

namespace opz::governance {

struct EmergencyStop {
  bool active = false;
  std::string reason;
  std::string by;  // the admin's user id
  TimePoint since{};
};

struct AdmissionState {
  EmergencyStop emergency_stop;
  // Every window that might apply (any scope); admit() filters by the
  // request's project and environment.
  std::vector<ZonedFreezeWindow> freeze_windows;
  QueueSnapshot queue;       // this (project, environment)
  std::string execution_id;  // the candidate's id; empty before it exists
  // When the execution was first admitted (queue order, and the wait timer
  // of environments without approval); nullopt: now.
  std::optional<TimePoint> requested_at;
  // The tally of this execution's approval request, when one exists.
  std::optional<Tally> approval;
  // The active rollback hold of this (project, environment), if any.
  std::optional<DeployHold> hold;
  // The lifecycle phase in front of this environment; nullopt: not gated.
  std::optional<LifecycleGate> lifecycle;
};

enum class AdmissionStatus { kAllowed, kPendingApproval, kWaiting, kBlocked };
struct AdmissionDecision {
  AdmissionStatus status = AdmissionStatus::kAllowed;
  std::string blocked_reason;  // kBlocked: the first blocking rule's reason
  std::optional<TimePoint> wait_until;
  std::vector<RuleOutcome> rules;
  std::optional<QueueDecision> queue;  // when the deploy queue was consulted
  bool freeze_overridden = false;      // an admin override let it through a freeze

  // The outcome of `rule`, or nullptr.
  const RuleOutcome* find(std::string_view rule) const;
};

// `protection`: the request's environment in its project, or nullptr when
// no environment of that exact name exists.
AdmissionDecision admit(const ExecutionRequest& request, const EnvironmentProtection* protection,
                        const AdmissionState& state, TimePoint now);

// Whether deploying needs approvals: the environment requires them, or it
// does not deploy automatically (auto_deploy false) and a trigger (webhook,
// poll), not a person, asked: then one approval is the manual "go".
bool needs_approval(const ExecutionRequest& request, const EnvironmentProtection& protection);

std::string_view to_string(AdmissionStatus status);  // "allowed", "pending_approval", ...

}  // namespace opz::governance
