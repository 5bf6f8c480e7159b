#include "trigger/intake_outcome.h"

#include "trigger/trigger_plan.h"

namespace opz::trigger {

// The order is DeliveryProcessor::decide's, then start()'s.
std::optional<std::string> ignored_at_intake(const github::WebhookEvent& event,
                                             const github::TriggerDecision& decision,
                                             const std::vector<std::string>& path_filters,
                                             const governance::BranchMapper& mapper) {
  switch (event.kind()) {
    case github::EventKind::kPing:
    case github::EventKind::kWorkflowRun:
      return std::nullopt;
    case github::EventKind::kOther:
      return decision.reason;
    default:
      break;
  }
  if (!decision.trigger) return decision.reason;
  if (decision.sha.empty() && (event.create() || event.release())) return std::nullopt;
  // PathGate (trigger/path_gate.h) filters branch pushes only; their
  // changed files may have to come from the git mirror.
  if (const github::PushEvent* push = event.push();
      !path_filters.empty() && push && push->ref_type == RefType::kBranch)
    return std::nullopt;
  auto facts = facts_from_event(event, decision);
  if (!facts) return std::nullopt;  // recorded `failed` by the worker
  return refused_by_rules(*facts, mapper.resolve(facts->ref));
}

}  // namespace opz::trigger
