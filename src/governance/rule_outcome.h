// RuleOutcome: what one admission rule decided about one request — pass,
// block, wait, needs_approval or skipped — with the reason in words, who can
// unblock it, and when a wait ends (nullopt: it resumes on an event).
// admit() (admission.h) collects one per rule; the rules that live in their
// own files (deploy_hold.h, lifecycle_gate.h) return one too.
// Plain values, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace opz::governance {

enum class RuleResult { kPass, kBlock, kWait, kNeedsApproval, kSkipped };

struct RuleOutcome {
  std::string rule;  // "environment_locked", ...
  RuleResult result = RuleResult::kPass;
  std::string reason;
  std::string unblock_by;  // "admin", "operator or admin", "user u1, role admin"; empty on pass
  std::optional<TimePoint> ends_at;
};

inline RuleOutcome pass_rule(std::string rule, std::string reason) {
  return {std::move(rule), RuleResult::kPass, std::move(reason), {}, std::nullopt};
}
inline RuleOutcome skip_rule(std::string rule, std::string reason) {
  return {std::move(rule), RuleResult::kSkipped, std::move(reason), {}, std::nullopt};
}

std::string_view to_string(RuleResult result);  // "pass", "block", "wait", ...

}  // namespace opz::governance
