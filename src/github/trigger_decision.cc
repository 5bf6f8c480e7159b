#include "github/trigger_decision.h"

#include "core/git_ref_name.h"

namespace opz::github {
namespace {

std::string short_sha(const std::string& sha) { return sha.substr(0, 7); }

TriggerDecision ignore(std::string reason) {
  TriggerDecision d;
  d.reason = std::move(reason);
  return d;
}

TriggerDecision run(TriggerMode mode, std::string reason, std::string ref, std::string sha) {
  TriggerDecision d;
  d.trigger = true;
  d.mode = mode;
  d.reason = std::move(reason);
  d.ref = std::move(ref);
  d.sha = std::move(sha);
  return d;
}

TriggerDecision decide_push(const PushEvent& e) {
  if (e.deleted || e.after == kZeroSha) {
    return ignore("push deletes " + e.ref + "; nothing to build");
  }
  // A push names a fully qualified ref; "main" alone is not one.
  if (!e.ref.starts_with("refs/heads/") && !e.ref.starts_with("refs/tags/")) {
    return ignore("push to '" + printable(e.ref) +
                  "' is neither a branch (refs/heads/...) nor a tag (refs/tags/...); nothing to "
                  "build");
  }
  if (Status valid = check_ref_format(e.ref); !valid.ok()) {
    return ignore("push ignored: " + valid.error().message);
  }
  std::string reason = "push to " + std::string(ref_type_name(e.ref_type)) + " '" +
                       e.short_ref + "' at " + short_sha(e.after);
  if (e.forced) reason += " (forced)";
  return run(TriggerMode::kPipeline, std::move(reason), e.ref, e.after);
}

TriggerDecision decide_pull_request(const PullRequestEvent& e) {
  const std::string label = "pull_request #" + std::to_string(e.number);
  for (const auto& [branch, field] :
       {std::pair{&e.head_ref, "pull_request.head.ref"}, {&e.base_ref, "pull_request.base.ref"}}) {
    if (Status valid = check_branch_name(*branch, field); !valid.ok())
      return ignore(label + " ignored: " + field + ": " + valid.error().message);
  }
  if (e.action == "opened" || e.action == "synchronize" || e.action == "reopened") {
    return run(TriggerMode::kCiOnly,
               label + " " + e.action + " (" + e.head_ref + " -> " + e.base_ref + " at " +
                   short_sha(e.head_sha) + "): CI only, pull requests never deploy",
               "refs/pull/" + std::to_string(e.number) + "/head", e.head_sha);
  }
  return ignore(label + " action '" + e.action +
                "' is not handled (only opened, synchronize, reopened)");
}

TriggerDecision decide_create(const CreateEvent& e) {
  if (e.ref_type != RefType::kTag) {
    return ignore("create of branch '" + e.ref +
                  "' is not handled (only tags; the push event covers branches)");
  }
  if (Status valid = check_tag_name(e.ref); !valid.ok())
    return ignore("create ignored: " + valid.error().message);
  return run(TriggerMode::kPipeline, "tag '" + e.ref + "' created", "refs/tags/" + e.ref, "");
}

TriggerDecision decide_release(const ReleaseEvent& e) {
  if (e.action != "published") {
    return ignore("release action '" + e.action + "' is not handled (only published)");
  }
  if (Status valid = check_tag_name(e.tag_name, "release.tag_name"); !valid.ok())
    return ignore("release ignored: " + valid.error().message);
  std::string reason = "release '" + e.tag_name + "' published";
  if (e.prerelease) reason += " (prerelease)";
  return run(TriggerMode::kPipeline, std::move(reason), "refs/tags/" + e.tag_name, "");
}

TriggerDecision decide_workflow_run(const WorkflowRunEvent& e) {
  if (e.action != "completed") {
    return ignore("workflow_run action '" + e.action + "' is not handled (only completed)");
  }
  std::string what = e.name.empty() ? e.path : e.name;
  std::string reason = "workflow run " + std::to_string(e.id);
  if (!what.empty()) reason += " '" + what + "'";
  reason += " completed: " + (e.conclusion.empty() ? std::string("no conclusion") : e.conclusion);
  return run(TriggerMode::kWorkflowFinished, std::move(reason),
             e.head_branch.empty() ? std::string() : "refs/heads/" + e.head_branch, e.head_sha);
}

}  // namespace

std::string_view trigger_mode_name(TriggerMode mode) {
  switch (mode) {
    case TriggerMode::kNone:
      return "none";
    case TriggerMode::kPipeline:
      return "pipeline";
    case TriggerMode::kCiOnly:
      return "ci_only";
    case TriggerMode::kWorkflowFinished:
      return "workflow_finished";
  }
  return "none";
}

TriggerDecision should_trigger(const WebhookEvent& event) {
  switch (event.kind()) {
    case EventKind::kPush:
      return decide_push(*event.push());
    case EventKind::kPullRequest:
      return decide_pull_request(*event.pull_request());
    case EventKind::kCreate:
      return decide_create(*event.create());
    case EventKind::kRelease:
      return decide_release(*event.release());
    case EventKind::kWorkflowRun:
      return decide_workflow_run(*event.workflow_run());
    case EventKind::kPing:
      return ignore("ping: webhook is reachable; nothing to run");
    case EventKind::kOther:
      break;
  }
  return ignore("event '" + event.event_name + "' is not handled");
}

}  // namespace opz::github
