#include "governance/admission_json.h"

#include "core/time_format.h"

namespace opz::governance {

namespace {

Json time_or_null(const std::optional<TimePoint>& t) {
  return t ? Json(format_time(*t)) : Json(nullptr);
}

}  // namespace

Json explanation_json(const AdmissionDecision& d) {
  Json rules = Json::array();
  for (const RuleOutcome& r : d.rules) {
    rules.push_back({{"rule", r.rule},
                     {"result", std::string(to_string(r.result))},
                     {"reason", r.reason},
                     {"unblock_by", r.unblock_by},
                     {"ends_at", time_or_null(r.ends_at)}});
  }
  Json queue = nullptr;
  if (d.queue) {
    queue = {{"verdict", std::string(to_string(d.queue->verdict))},
             {"waits_for", d.queue->waits_for},
             {"position", d.queue->position},
             {"superseded_by", d.queue->superseded_by},
             {"supersedes", d.queue->supersedes}};
  }
  return {{"status", std::string(to_string(d.status))},
          {"blocked_reason", d.blocked_reason},
          {"wait_until", time_or_null(d.wait_until)},
          {"freeze_overridden", d.freeze_overridden},
          {"rules", std::move(rules)},
          {"queue", std::move(queue)}};
}

}  // namespace opz::governance
