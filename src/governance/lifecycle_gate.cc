#include "governance/lifecycle_gate.h"

#include "core/time_format.h"

namespace opz::governance {

namespace {

constexpr const char* kLifecycleRule = "lifecycle";

// "v1.2.3 (commit abc1234)" for a tag, "commit abc1234" otherwise: the
// version a deploy node names is only known when it runs.
std::string version_of(const ExecutionRequest& r) {
  std::string commit = "commit " + r.commit_sha.substr(0, 7);
  if (r.ref_kind == RefKind::kTag && !r.ref_name.empty()) return r.ref_name + " (" + commit + ")";
  return commit;
}

}  // namespace

std::optional<LifecycleGate> lifecycle_gate(const std::vector<LifecyclePhase>& phases,
                                            std::string_view environment) {
  for (size_t i = 1; i < phases.size(); ++i) {
    if (phases[i].environment != environment) continue;
    return LifecycleGate{phases[i - 1].environment, phases[i].soak, std::nullopt};
  }
  return std::nullopt;
}

RuleOutcome check_lifecycle(const ExecutionRequest& request, const std::string& environment,
                            const std::optional<LifecycleGate>& gate, TimePoint now) {
  if (!gate)
    return pass_rule(
        kLifecycleRule,
        environment + " is not gated by a lifecycle (no lifecycle, or its first phase)");
  if (request.trigger == TriggerKind::kRollback)
    return pass_rule(kLifecycleRule, "a rollback restores a version already deployed to " +
                                         environment + "; the lifecycle does not apply");
  const std::string what = version_of(request);
  const std::string order = gate->previous_environment + ", which comes before " + environment +
                            " in the project's lifecycle";
  if (!gate->previous_success_at)
    return {kLifecycleRule, RuleResult::kBlock, what + " has not succeeded in " + order,
            "a successful deployment of it to " + gate->previous_environment, std::nullopt};
  const TimePoint succeeded = *gate->previous_success_at;
  const std::string when = what + " succeeded in " + order + ", at " + format_time(succeeded);
  if (gate->soak.count() <= 0) return pass_rule(kLifecycleRule, when);
  const TimePoint ends = succeeded + gate->soak;
  const std::string soak = "soak time of " + std::to_string(gate->soak.count()) + " s";
  if (now >= ends)
    return pass_rule(kLifecycleRule, when + "; its " + soak + " ended at " + format_time(ends));
  return {kLifecycleRule, RuleResult::kWait,
          when + "; its " + soak + " runs until " + format_time(ends), "the soak time ending",
          ends};
}

}  // namespace opz::governance
