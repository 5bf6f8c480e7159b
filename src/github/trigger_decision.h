// Trigger decision: whether a parsed webhook event should start anything, and
// why. The rules (one place, so the webhook route and the audit log agree):
//   push           runs, unless it deletes its ref (deleted=true or after is
//                  40 zeros) or the ref is neither a branch nor a tag
//   pull_request   opened / synchronize / reopened run CI only (a pull request
//                  never deploys); every other action is ignored
//   create         only tags run (branch creation is covered by the push)
//   release        only action "published" runs
//   workflow_run   only action "completed" counts: it reports the result of a
//                  workflow Opzenix may have dispatched, it starts nothing new
//   ping           acknowledged, nothing runs
//   anything else  ignored: "event X is not handled"
// Whether a run may deploy, and where, is then up to the branch mapping
// (governance/branch_mapper.h) for the decision's `ref`.
//
// Note: creating a tag makes GitHub send both a push (refs/tags/...) and a
// create event, and publishing a release for it a third one; each decides to
// trigger on its own. Collapsing them (same repository and tag) is the
// caller's job. Pure; thread-safe.
#pragma once

#include <string>

#include "github/webhook_event.h"

namespace opz::github {

enum class TriggerMode {
  kNone,              // nothing to run
  kPipeline,          // run the pipeline; deploy steps subject to branch mapping
  kCiOnly,            // run CI for a pull request; never deploy
  kWorkflowFinished,  // a GitHub Actions run finished; update what waits on it
};

std::string_view trigger_mode_name(TriggerMode mode);  // "none", "pipeline", ...

struct TriggerDecision {
  bool trigger = false;
  TriggerMode mode = TriggerMode::kNone;
  // Sentence for the delivery log / audit: "push to branch 'main' at 6113728"
  // or "push deletes refs/heads/old; nothing to build".
  std::string reason;
  std::string ref;  // full ref to build/map ("refs/heads/main", "refs/tags/v1"); may be empty
  std::string sha;  // commit to build; empty when the event does not name one (create, release)
};

TriggerDecision should_trigger(const WebhookEvent& event);

}  // namespace opz::github
