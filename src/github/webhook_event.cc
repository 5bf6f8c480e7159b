#include "github/webhook_event.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "github/payload_reader.h"
#include "github/repository_locator.h"

namespace opz::github {
namespace {

constexpr size_t kMaxEventNameLength = 64;

Status check_event_name(std::string_view name) {
  if (name.empty()) {
    return Error::validation("missing X-GitHub-Event header", std::string(kEventHeader));
  }
  bool valid = name.size() <= kMaxEventNameLength;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) valid = false;
  }
  if (!valid) {
    return Error::validation(
        "X-GitHub-Event must be a lower-case event name like 'push' (at most 64 characters of "
        "[a-z0-9_])",
        std::string(kEventHeader));
  }
  return ok_status();
}

// Present-but-partial repository objects are an error; an absent one is not
// (the caller decides whether its kind needs one).
Result<std::optional<Repository>> read_repository(const PayloadReader& r) {
  if (!r.has_object("repository")) return std::optional<Repository>();
  Repository repo;
  OPZ_TRY(repo.full_name, r.required_string("repository.full_name"));
  OPZ_TRY_STATUS(check_full_name(repo.full_name));
  size_t slash = repo.full_name.find('/');
  OPZ_TRY(repo.id, r.optional_id("repository.id"));
  OPZ_TRY(repo.name, r.optional_string("repository.name"));
  if (repo.name.empty()) repo.name = repo.full_name.substr(slash + 1);
  OPZ_TRY(repo.owner, r.optional_string("repository.owner.login"));
  if (repo.owner.empty()) repo.owner = repo.full_name.substr(0, slash);
  OPZ_TRY(repo.clone_url, r.optional_string("repository.clone_url"));
  OPZ_TRY(repo.html_url, r.optional_string("repository.html_url"));
  OPZ_TRY(repo.default_branch, r.optional_string("repository.default_branch"));
  return std::optional<Repository>(std::move(repo));
}

Result<PingEvent> read_ping(const PayloadReader& r) {
  PingEvent e;
  OPZ_TRY(e.zen, r.optional_string("zen"));
  OPZ_TRY(e.hook_id, r.optional_int("hook_id"));
  return e;
}

Result<CommitSummary> read_commit(const PayloadReader& r, const std::string& at) {
  CommitSummary c;
  OPZ_TRY(c.id, r.required_string(at + ".id"));
  OPZ_TRY(c.message, r.optional_string(at + ".message"));
  OPZ_TRY(c.author_name, r.optional_string(at + ".author.name"));
  OPZ_TRY(c.author_username, r.optional_string(at + ".author.username"));
  OPZ_TRY(c.timestamp, r.optional_string(at + ".timestamp"));
  return c;
}

Result<PushEvent> read_push(const PayloadReader& r) {
  PushEvent e;
  OPZ_TRY(e.ref, r.required_string("ref"));
  GitRef ref = parse_git_ref(e.ref);
  e.ref_type = ref.type;
  e.short_ref = ref.short_name;
  OPZ_TRY(e.before, r.required_string("before"));
  OPZ_TRY(e.after, r.required_string("after"));
  OPZ_TRY(e.created, r.optional_bool("created"));
  OPZ_TRY(e.deleted, r.optional_bool("deleted"));
  OPZ_TRY(e.forced, r.optional_bool("forced"));
  if (r.has_object("head_commit")) {
    OPZ_TRY(CommitSummary head, read_commit(r, "head_commit"));
    e.head_commit = std::move(head);
  }
  OPZ_TRY(e.commit_count, r.array_size("commits"));
  e.changed = read_changed_paths(r.root(), e.deleted);
  OPZ_TRY(e.pusher, r.optional_string("pusher.name"));
  OPZ_TRY(e.compare_url, r.optional_string("compare"));
  return e;
}

Result<PullRequestEvent> read_pull_request(const PayloadReader& r) {
  PullRequestEvent e;
  OPZ_TRY(e.action, r.required_string("action"));
  OPZ_TRY(e.number, r.required_int("number"));
  OPZ_TRY(e.title, r.optional_string("pull_request.title"));
  OPZ_TRY(e.head_sha, r.required_string("pull_request.head.sha"));
  OPZ_TRY(e.head_ref, r.required_string("pull_request.head.ref"));
  OPZ_TRY(e.base_ref, r.required_string("pull_request.base.ref"));
  OPZ_TRY(e.merged, r.optional_bool("pull_request.merged"));
  OPZ_TRY(e.html_url, r.optional_string("pull_request.html_url"));
  return e;
}

Result<CreateEvent> read_create(const PayloadReader& r) {
  CreateEvent e;
  OPZ_TRY(e.ref, r.required_string("ref"));
  OPZ_TRY(std::string type, r.required_string("ref_type"));
  auto parsed = parse_ref_type(type);
  if (!parsed) {
    return Error::validation(
        "create event: field 'ref_type' must be 'branch' or 'tag', got '" + type + "'", "ref_type");
  }
  e.ref_type = *parsed;
  return e;
}

Result<ReleaseEvent> read_release(const PayloadReader& r) {
  ReleaseEvent e;
  OPZ_TRY(e.action, r.required_string("action"));
  OPZ_TRY(e.tag_name, r.required_string("release.tag_name"));
  OPZ_TRY(e.target_commitish, r.optional_string("release.target_commitish"));
  OPZ_TRY(e.name, r.optional_string("release.name"));
  OPZ_TRY(e.draft, r.optional_bool("release.draft"));
  OPZ_TRY(e.prerelease, r.optional_bool("release.prerelease"));
  OPZ_TRY(e.html_url, r.optional_string("release.html_url"));
  return e;
}

Result<WorkflowRunEvent> read_workflow_run(const PayloadReader& r) {
  WorkflowRunEvent e;
  OPZ_TRY(e.action, r.required_string("action"));
  OPZ_TRY(e.id, r.required_int("workflow_run.id"));
  OPZ_TRY(e.name, r.optional_string("workflow_run.name"));
  OPZ_TRY(e.head_sha, r.required_string("workflow_run.head_sha"));
  OPZ_TRY(e.head_branch, r.optional_string("workflow_run.head_branch"));
  OPZ_TRY(e.status, r.required_string("workflow_run.status"));
  OPZ_TRY(e.conclusion, r.optional_string("workflow_run.conclusion"));
  OPZ_TRY(e.workflow_id, r.required_int("workflow_run.workflow_id"));
  OPZ_TRY(e.path, r.optional_string("workflow_run.path"));
  OPZ_TRY(e.event, r.optional_string("workflow_run.event"));
  OPZ_TRY(e.run_number, r.optional_int("workflow_run.run_number"));
  OPZ_TRY(e.html_url, r.optional_string("workflow_run.html_url"));
  return e;
}

EventKind kind_of(std::string_view event_name) {
  if (event_name == "ping") return EventKind::kPing;
  if (event_name == "push") return EventKind::kPush;
  if (event_name == "pull_request") return EventKind::kPullRequest;
  if (event_name == "create") return EventKind::kCreate;
  if (event_name == "release") return EventKind::kRelease;
  if (event_name == "workflow_run") return EventKind::kWorkflowRun;
  return EventKind::kOther;
}

// The members the readers of this file use, as paths from the payload's
// root; a parent is kept when one of its children is. Keep in step with the
// readers: a field read but not listed here reads as absent (the fixture and
// octokit example tests catch that).
constexpr std::string_view kReadMembers[] = {
    "action", "after", "before", "commits", "compare", "created", "deleted", "forced",
    "hook_id", "number", "ref", "ref_type", "zen", "size", "distinct_size",
    "commits.[].added", "commits.[].modified", "commits.[].removed",
    "head_commit.author.name", "head_commit.author.username", "head_commit.id",
    "head_commit.message", "head_commit.timestamp", "pusher.name", "sender.login",
    "repository.clone_url", "repository.default_branch", "repository.full_name",
    "repository.html_url", "repository.id", "repository.name", "repository.owner.login",
    "pull_request.base.ref", "pull_request.base.sha", "pull_request.head.ref",
    "pull_request.head.sha", "pull_request.html_url", "pull_request.merged",
    "pull_request.number", "pull_request.title",
    "release.draft", "release.html_url", "release.name", "release.prerelease",
    "release.tag_name", "release.target_commitish",
    "workflow_run.conclusion", "workflow_run.event", "workflow_run.head_branch",
    "workflow_run.head_sha", "workflow_run.html_url", "workflow_run.id",
    "workflow_run.name", "workflow_run.path", "workflow_run.run_number",
    "workflow_run.status", "workflow_run.workflow_id",
};

// Every listed member and every parent of one, as dotted paths.
const std::unordered_set<std::string_view>& read_paths() {
  static const std::unordered_set<std::string_view> paths = [] {
    std::unordered_set<std::string_view> out;
    for (std::string_view member : kReadMembers) {
      for (size_t dot = member.find('.'); dot != std::string_view::npos;
           dot = member.find('.', dot + 1))
        out.insert(member.substr(0, dot));
      out.insert(member);
    }
    return out;
  }();
  return paths;
}

// A filter on the last name of a path, by its first byte and length: bit n
// of kNameLengths[c] is set when a listed path (or parent) has a part of n
// bytes starting with c. Most members of a payload (a repository's ninety
// *_url fields) fail it, and are refused without building their path.
using NameLengths = std::array<uint64_t, 256>;
const NameLengths& name_lengths() {
  static const NameLengths lengths = [] {
    NameLengths out{};
    for (std::string_view member : kReadMembers) {
      for (size_t start = 0; start <= member.size();) {
        const size_t dot = std::min(member.find('.', start), member.size());
        const std::string_view part = member.substr(start, dot - start);
        if (!part.empty() && part.size() < 64)
          out[static_cast<unsigned char>(part[0])] |= uint64_t{1} << part.size();
        start = dot + 1;
      }
    }
    return out;
  }();
  return lengths;
}

// True when `path` is a listed member or a parent of one (called for every
// member of the kept objects: one hash lookup at most, no allocation once
// warm).
bool read_member(const JsonPath& path) {
  if (path.empty()) return false;
  const std::string_view last = path.back();
  if (last.empty() || last.size() >= 64 ||
      !(name_lengths()[static_cast<unsigned char>(last[0])] & (uint64_t{1} << last.size())))
    return false;
  thread_local std::string dotted;
  dotted.clear();
  for (std::string_view part : path) {
    if (!dotted.empty()) dotted += '.';
    dotted += part;
  }
  return read_paths().contains(dotted);
}

template <typename T>
Status assign(WebhookEvent& event, Result<T> parsed) {
  if (!parsed) return std::move(parsed).error();
  event.payload = std::move(parsed).value();
  return ok_status();
}

}  // namespace

std::string_view event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::kPing:
      return "ping";
    case EventKind::kPush:
      return "push";
    case EventKind::kPullRequest:
      return "pull_request";
    case EventKind::kCreate:
      return "create";
    case EventKind::kRelease:
      return "release";
    case EventKind::kWorkflowRun:
      return "workflow_run";
    case EventKind::kOther:
      return "other";
  }
  return "other";
}

EventKind WebhookEvent::kind() const {
  return std::visit(
      [](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, PingEvent>) return EventKind::kPing;
        if constexpr (std::is_same_v<T, PushEvent>) return EventKind::kPush;
        if constexpr (std::is_same_v<T, PullRequestEvent>) return EventKind::kPullRequest;
        if constexpr (std::is_same_v<T, CreateEvent>) return EventKind::kCreate;
        if constexpr (std::is_same_v<T, ReleaseEvent>) return EventKind::kRelease;
        if constexpr (std::is_same_v<T, WorkflowRunEvent>) return EventKind::kWorkflowRun;
        return EventKind::kOther;
      },
      payload);
}

Result<WebhookEvent> parse_webhook_json(std::string_view event_name, const Json& body) {
  OPZ_TRY_STATUS(check_event_name(event_name));
  if (!body.is_object()) {
    return Error::validation(
        std::string("webhook payload must be a JSON object, got ") + body.type_name(), "");
  }
  WebhookEvent event;
  event.event_name = std::string(event_name);
  const EventKind kind = kind_of(event_name);
  PayloadReader r(body, std::string(event_name) + " event");
  const bool needs_repository = kind != EventKind::kPing && kind != EventKind::kOther;
  auto repository = read_repository(r);
  if (repository) {
    event.repository = std::move(repository).value();
  } else if (needs_repository) {
    return std::move(repository).error();
  }  // else: an event we only acknowledge; an odd repository object is not our business
  // "sender.login" and "action" are strings in every event that has them;
  // events we only acknowledge may carry other shapes without failing.
  auto sender = r.optional_string("sender.login");
  if (sender) {
    event.sender_login = std::move(sender).value();
  } else if (kind != EventKind::kOther) {
    return std::move(sender).error();
  }
  auto action = r.optional_string("action");
  if (action) {
    event.action = std::move(action).value();
  } else if (kind != EventKind::kOther) {
    return std::move(action).error();
  }
  if (needs_repository && !event.repository) {
    return Error::validation(
        std::string(event_name) + " event: missing required field 'repository'", "repository");
  }
  switch (kind) {
    case EventKind::kPing:
      OPZ_TRY_STATUS(assign(event, read_ping(r)));
      break;
    case EventKind::kPush:
      OPZ_TRY_STATUS(assign(event, read_push(r)));
      break;
    case EventKind::kPullRequest:
      OPZ_TRY_STATUS(assign(event, read_pull_request(r)));
      break;
    case EventKind::kCreate:
      OPZ_TRY_STATUS(assign(event, read_create(r)));
      break;
    case EventKind::kRelease:
      OPZ_TRY_STATUS(assign(event, read_release(r)));
      break;
    case EventKind::kWorkflowRun:
      OPZ_TRY_STATUS(assign(event, read_workflow_run(r)));
      break;
    case EventKind::kOther:
      event.payload = OtherEvent{};
      break;
  }
  return event;
}

Result<WebhookEvent> parse_webhook_event(std::string_view event_name, std::string_view raw_body) {
  OPZ_TRY_STATUS(check_event_name(event_name));
  if (raw_body.size() > kMaxWebhookBodyBytes) {
    return Error::too_large("webhook payload is " + std::to_string(raw_body.size()) +
                            " bytes, over GitHub's limit of 25 MB");
  }
  // Only the members the readers above use are built: a push's repository
  // alone has some ninety URL fields, a pull request several nested users.
  OPZ_TRY(Json body, parse_json_keeping(raw_body, read_member));
  return parse_webhook_json(event_name, body);
}

}  // namespace opz::github
