// WebhookEvent: one GitHub webhook delivery parsed into the typed fields
// Opzenix acts on. The event name comes from the X-GitHub-Event header, the
// payload from the raw JSON body (verify its signature first:
// github/signature.h).
//
// Handled kinds: ping, push, pull_request, create, release, workflow_run.
// Every other event name parses as kind kOther with only the common fields
// (repository, sender, action), so unknown events are acknowledged and
// ignored rather than rejected. What to do with an event is decided by
// github/trigger_decision.h, not here.
//
// Errors: a body that is not JSON is kMalformed with the byte offset; a body
// over kMaxWebhookBodyBytes is kTooLarge; a missing event name, a non-object
// payload, or a missing/ill-typed field a handled kind needs is kValidation
// naming the JSON path (field "pull_request.head.sha"). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/git_ref_name.h"
#include "github/changed_paths.h"
#include "core/json.h"
#include "core/result.h"

namespace opz::github {

// GitHub caps webhook payloads at 25 MB; the HTTP layer enforces it first.
inline constexpr size_t kMaxWebhookBodyBytes = 25u * 1024u * 1024u;
inline constexpr std::string_view kEventHeader = "X-GitHub-Event";
inline constexpr std::string_view kDeliveryHeader = "X-GitHub-Delivery";
// The "after" sha of a push that deletes its ref.
inline constexpr std::string_view kZeroSha = "0000000000000000000000000000000000000000";

enum class EventKind { kPing, kPush, kPullRequest, kCreate, kRelease, kWorkflowRun, kOther };

std::string_view event_kind_name(EventKind kind);  // "ping", "push", ..., "other"

struct Repository {
  std::string id;         // decimal (GitHub ids are 64-bit); "" when absent
  std::string full_name;  // "owner/name"
  std::string owner;      // owner.login (or the part before '/' when absent)
  std::string name;
  std::string clone_url;
  std::string html_url;
  std::string default_branch;
};

struct CommitSummary {
  std::string id;
  std::string message;
  std::string author_name;
  std::string author_username;  // may be empty (not a GitHub user)
  std::string timestamp;        // as GitHub sent it (ISO 8601)
};

struct PingEvent {
  std::string zen;
  int64_t hook_id = 0;
};

struct PushEvent {
  std::string ref;  // "refs/heads/main"
  RefType ref_type = RefType::kBranch;
  std::string short_ref;  // "main", "v1.2.3"
  std::string before;
  std::string after;
  bool created = false;
  bool deleted = false;
  bool forced = false;
  std::optional<CommitSummary> head_commit;  // absent on deletes
  size_t commit_count = 0;
  // The files the commits of the payload changed (github/changed_paths.h).
  ChangedPaths changed;
  std::string pusher;  // pusher.name
  std::string compare_url;
};

struct PullRequestEvent {
  std::string action;  // "opened", "synchronize", "closed", ...
  int64_t number = 0;
  std::string title;
  std::string head_sha;
  std::string head_ref;  // source branch (short name)
  std::string base_ref;  // target branch (short name)
  bool merged = false;
  std::string html_url;
};

struct CreateEvent {
  std::string ref;  // short name as GitHub sends it ("v1.2.3")
  RefType ref_type = RefType::kTag;
};

struct ReleaseEvent {
  std::string action;  // "published", "created", ...
  std::string tag_name;
  std::string target_commitish;  // branch name or sha the tag points at
  std::string name;
  bool draft = false;
  bool prerelease = false;
  std::string html_url;
};

struct WorkflowRunEvent {
  std::string action;  // "requested", "in_progress", "completed"
  int64_t id = 0;
  std::string name;  // may be empty
  std::string head_sha;
  std::string head_branch;
  std::string status;      // "queued", "in_progress", "completed"
  std::string conclusion;  // "success", "failure", ...; empty until completed
  int64_t workflow_id = 0;
  std::string path;   // ".github/workflows/deploy.yml"; may be empty
  std::string event;  // what triggered the run, e.g. "workflow_dispatch"
  int64_t run_number = 0;
  std::string html_url;
};

struct OtherEvent {};

struct WebhookEvent {
  std::string event_name;                // X-GitHub-Event as received
  std::string action;                    // top-level "action" when present
  std::optional<Repository> repository;  // absent e.g. for organization pings
  std::string sender_login;              // empty when the payload has no sender
  std::variant<OtherEvent, PingEvent, PushEvent, PullRequestEvent, CreateEvent, ReleaseEvent,
               WorkflowRunEvent>
      payload;

  EventKind kind() const;
  const PushEvent* push() const { return std::get_if<PushEvent>(&payload); }
  const PullRequestEvent* pull_request() const { return std::get_if<PullRequestEvent>(&payload); }
  const CreateEvent* create() const { return std::get_if<CreateEvent>(&payload); }
  const ReleaseEvent* release() const { return std::get_if<ReleaseEvent>(&payload); }
  const WorkflowRunEvent* workflow_run() const { return std::get_if<WorkflowRunEvent>(&payload); }
  const PingEvent* ping() const { return std::get_if<PingEvent>(&payload); }
};

// Parses a delivery: `event_name` from X-GitHub-Event, `raw_body` the JSON.
Result<WebhookEvent> parse_webhook_event(std::string_view event_name, std::string_view raw_body);
// Same, from an already parsed body (parse once, then locate, verify, parse).
// (A distinct name: a std::string would convert to either parameter type.)
Result<WebhookEvent> parse_webhook_json(std::string_view event_name, const Json& body);

}  // namespace opz::github
