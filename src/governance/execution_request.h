// ExecutionRequest: the one typed description of "please run this pipeline
// against this environment", built by every entry point (webhook trigger, git
// poller, POST /api/v1/executions, reruns, promotions, rollbacks) and handed
// to governance::admit(). Typed fields, never keys in a metadata JSON blob.
//
// A plain value: no invariants beyond its fields, safe to copy between
// threads. The string helpers below name the enums the way the API and the
// store spell them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/role.h"
#include "core/result.h"

namespace opz::governance {

// What the commit was reached through: a branch, a tag, or nothing (an API
// call naming a bare commit).
enum class RefKind { kBranch, kTag, kNone };

enum class TriggerKind { kWebhook, kPoll, kApi, kRerun, kPromotion, kRollback };

struct ExecutionRequest {
  std::string project_id;
  std::string environment;  // exact environment name in the project
  RefKind ref_kind = RefKind::kBranch;
  std::string ref_name;  // short name: "main", "v1.2.3"; empty for kNone
  std::string commit_sha;
  TriggerKind trigger = TriggerKind::kApi;
  // A user id, or "github:<login>" for a push nobody in Opzenix maps to.
  std::string requested_by;
  // The requester's role; absent for system triggers (webhook, poll), which
  // the integration itself authorizes.
  std::optional<auth::Role> requester_role;
  // The GitHub sender of the push, when it maps to an Opzenix user: counts as
  // a "self" for prevent_self_approval.
  std::optional<std::string> pusher_user_id;
  std::string delivery_id;  // X-GitHub-Delivery, empty otherwise
  std::string trigger_key;  // idempotency key of the trigger
  bool ci_only = false;     // the ref maps, but nothing is deployed
  // An admin's reason to run through an active freeze window; empty normally.
  std::string override_freeze_reason;
};

// True for the triggers no person starts (webhook, poll).
bool is_system_trigger(TriggerKind kind);

std::string_view to_string(RefKind kind);      // "branch", "tag", "none"
std::string_view to_string(TriggerKind kind);  // "webhook", "poll", "api", "rerun", ...
// The inverse of to_string; kValidation naming `field` otherwise.
Result<RefKind> parse_ref_kind(std::string_view text, std::string_view field = "ref_kind");
Result<TriggerKind> parse_trigger_kind(std::string_view text, std::string_view field = "trigger");

}  // namespace opz::governance
