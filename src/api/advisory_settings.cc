#include "api/advisory_settings.h"

namespace opz::api {

namespace {

telemetry::RuleOverride override_of(const store::AdvisoryRuleSettingRow& row) {
  return {row.threshold, row.window_seconds, row.severity, row.enabled};
}

std::string_view input_name(telemetry::RuleInput input) {
  switch (input) {
    case telemetry::RuleInput::kDeploymentSuccessRate: return "deployments";
    case telemetry::RuleInput::kLongRunningExecutions: return "executions";
    case telemetry::RuleInput::kMetric: break;
  }
  return "metric";
}

}  // namespace

telemetry::AdvisoryThresholds effective_thresholds(
    const std::vector<store::AdvisoryRuleSettingRow>& rows, const std::string& project_id) {
  telemetry::AdvisoryThresholds t;
  t.rules.clear();
  for (const telemetry::AdvisoryRule& base : telemetry::advisory_rule_catalog()) {
    std::optional<telemetry::RuleOverride> global, project;
    for (const store::AdvisoryRuleSettingRow& row : rows) {
      if (row.rule != base.rule) continue;
      if (row.project_id.empty()) global = override_of(row);
      else if (!project_id.empty() && row.project_id == project_id) project = override_of(row);
    }
    t.rules.push_back(telemetry::effective_rule(base, global ? &*global : nullptr,
                                                project ? &*project : nullptr));
  }
  return t;
}

Json advisory_rule_json(const telemetry::AdvisoryRule& r) {
  const bool metric = r.input == telemetry::RuleInput::kMetric;
  return Json{{"rule", r.rule},
              {"threshold", r.threshold},
              {"window_seconds", r.window.count()},
              {"severity", r.severity},
              {"enabled", r.enabled},
              {"source", telemetry::to_string(r.source)},
              {"input", input_name(r.input)},
              {"metric", metric ? Json(r.metric) : Json(nullptr)},
              {"aggregate", metric ? Json(telemetry::to_string(r.aggregate)) : Json(nullptr)},
              {"comparison", telemetry::to_string(r.comparison)},
              {"unit", r.unit},
              {"title", telemetry::rule_title(r)}};
}

}  // namespace opz::api
