// Trigger planning: from "something happened to a ref" (a webhook event or a
// moved ref seen by the git poller) to the execution to start — or the reason
// to start nothing. Pure: no clock, no I/O; the caller has loaded the project
// and its branch mapping rules.
//
// Rules (docs/webhooks.md):
//   - the ref is mapped with the project's BranchMapper; a ref no rule matches
//     starts nothing (the mapper's explanation is the reason);
//   - a pull request never deploys: its head commit runs CI only, in the
//     environment its head branch maps to, else "Development";
//   - a non-deployable rule (feature/*) runs CI only as well;
//   - CI only means the execution's metadata carries "ci_only": true, which
//     the engine honours by dropping deploy and approval nodes and everything
//     that needs them;
//   - the execution is named "Deploy <sha7>" ("CI <sha7> (PR #n)" for pull
//     requests), started by "github:<sender>" (else the integration's creator,
//     else "github"), and its pipeline is read from
//     the repository (opzenix.yml) at the commit;
//   - trigger keys: a tag is built once, whichever of its push, create or
//     release events comes first ("tag:<project>:<tag>"); a replay always
//     starts a new execution ("replay:<delivery>"); a polled ref change is
//     "poll:<project>:<ref>:<sha>"; anything else is keyed by its delivery.
// Thread-safe (pure functions).
#pragma once

#include <optional>
#include <string>

#include "core/json.h"
#include "core/result.h"
#include "engine/engine.h"
#include "github/trigger_decision.h"
#include "github/webhook_event.h"
#include "governance/branch_mapper.h"
#include "governance/execution_request.h"

namespace opz::trigger {

// Where a trigger comes from and what it may use.
struct TriggerContext {
  std::string source = "github_webhook";  // github_webhook | git_poll
  std::string delivery_id;                // webhook deliveries only
  std::string delivery_guid;
  std::string replay_of;  // the original delivery's id when this is a replay
  std::string project_id;
  std::string git_url;  // checkout source; empty: integration_clone_url
  // The integration's repository, from its configuration (never from a
  // payload: trigger/integration_repository.h); empty without an integration.
  std::string integration_clone_url;
  std::string integration_actor;  // the integration's created_by (fallback started_by)
  std::string repository_owner;   // empty when the project has no GitHub integration
  std::string repository_name;

  // The only URL a trigger ever fetches: the project's git_url, else the integration's.
  const std::string& checkout_url() const {
    return !git_url.empty() ? git_url : integration_clone_url;
  }
};

// The facts of one trigger, independent of how they arrived.
struct TriggerFacts {
  std::string event;              // push | pull_request | create | release | poll
  std::string trigger_type;       // push | pull_request | tag | release | poll
  std::string ref;                // full ref to map: refs/heads/x, refs/tags/v1
  std::string sha;                // the commit to build (40 hex)
  std::string actor;              // "github:<login>", or empty
  int64_t pull_request = 0;       // > 0 for pull requests
  Json details = Json::object();  // event-specific metadata (merged under metadata)
};

enum class PlanKind { kStart, kIgnore };

struct TriggerPlan {
  PlanKind kind = PlanKind::kIgnore;
  std::string reason;       // why (both kinds): the mapping explanation or the rule applied
  std::string trigger_key;  // kStart only
  bool ci_only = false;
  governance::MappingDecision mapping;
  // kStart only: what governance decides on (typed; trigger/admission_service.h)
  // and what the engine runs once admitted.
  governance::ExecutionRequest request;
  engine::NewExecution execution;
};

TriggerPlan plan_trigger(const TriggerFacts& facts, const governance::BranchMapper& mapper,
                         const TriggerContext& context);

// plan_trigger's reasons to start nothing that hold whatever the context (the
// project's checkout source, a replay): no commit to build, or a ref that no
// rule maps (pull requests run CI even then). nullopt: the rules would start
// it. plan_trigger answers these first, with these words.
std::optional<std::string> refused_by_rules(const TriggerFacts& facts,
                                            const governance::MappingDecision& mapping);

// The facts of a webhook event that should_trigger() accepted. `tag_sha` is
// the commit a tag points at, for create and release events (which do not
// name one; the caller resolves it). kValidation when an event needs a sha
// and none is known.
Result<TriggerFacts> facts_from_event(const github::WebhookEvent& event,
                                      const github::TriggerDecision& decision,
                                      const std::string& tag_sha = {});

// True for 40 lower- or upper-case hex digits.
bool looks_like_sha(std::string_view text);

}  // namespace opz::trigger
