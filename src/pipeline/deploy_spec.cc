#include "pipeline/deploy_spec.h"

#include <utility>

#include "pipeline/deploy_reader.h"
#include "pipeline/diagnostics.h"
#include "core/json_optional.h"

namespace opz::pipeline {
namespace {

using std::chrono::minutes;

Json to_json(const HealthCheckSpec& hc) {
  Json http = nullptr;
  if (hc.http)
    http = {{"url", hc.http->url},
            {"expect_status", hc.http->expect_status},
            {"body_contains", hc.http->body_contains}};
  return {{"http", std::move(http)},
          {"command", hc.command},
          {"retries", hc.retries},
          {"interval_ms", hc.interval.count()},
          {"timeout_ms", hc.timeout.count()},
          {"success_threshold", hc.success_threshold}};
}

Json to_json(const std::optional<HookSpec>& hook) {
  if (!hook) return nullptr;
  return {{"run", hook->run},
          {"when", std::string(to_string(hook->when))},
          {"retry",
           {{"max_attempts", hook->max_attempts},
            {"initial_ms", hook->initial.count()},
            {"max_ms", hook->max.count()}}},
          {"deadline_ms", hook->deadline.count()}};
}

Json to_json(const AnalysisSpec& a) {
  return {{"health", a.health ? to_json(*a.health) : Json(nullptr)},
          {"command", a.command},
          {"url", a.url},
          {"metric", a.metric},
          {"aggregate", std::string(to_string(a.aggregate))},
          {"window_ms", a.window ? Json(a.window->count()) : Json(nullptr)},
          {"threshold", {{"max", value_or_null(a.max)}, {"min", value_or_null(a.min)}}},
          {"min_samples", a.min_samples},
          {"interval_ms", a.interval.count()},
          {"timeout_ms", a.timeout.count()},
          {"failure_limit", a.failure_limit}};
}

Json to_json(const CanaryStep& step) {
  switch (step.kind) {
    case CanaryStepKind::kSetWeight:
      return {{"set_weight", step.weight}};
    case CanaryStepKind::kPause:
      return {{"pause_ms", step.pause ? Json(step.pause->count()) : Json(nullptr)}};
    case CanaryStepKind::kAnalysis:
      return {{"analysis", step.analysis ? to_json(*step.analysis) : to_json(AnalysisSpec{})}};
  }
  return nullptr;
}

CanaryStep weight_step(int weight) { return {CanaryStepKind::kSetWeight, weight, {}, {}}; }
CanaryStep pause_step(Millis pause) { return {CanaryStepKind::kPause, 0, pause, {}}; }

}  // namespace

std::string_view to_string(DeployStrategy s) {
  switch (s) {
    case DeployStrategy::kRolling:
      return "rolling";
    case DeployStrategy::kBlueGreen:
      return "blue_green";
    case DeployStrategy::kCanary:
      return "canary";
  }
  return "rolling";
}

std::optional<DeployStrategy> deploy_strategy_from_string(std::string_view s) {
  for (DeployStrategy strategy :
       {DeployStrategy::kRolling, DeployStrategy::kBlueGreen, DeployStrategy::kCanary}) {
    if (to_string(strategy) == s) return strategy;
  }
  return std::nullopt;
}

std::string_view to_string(HookWhen w) {
  return w == HookWhen::kPostDeploy ? "post_deploy" : "pre_deploy";
}

std::string_view to_string(MetricAggregate a) {
  switch (a) {
    case MetricAggregate::kAvg:
      return "avg";
    case MetricAggregate::kMax:
      return "max";
    case MetricAggregate::kMin:
      return "min";
    case MetricAggregate::kSum:
      return "sum";
    case MetricAggregate::kCount:
      return "count";
  }
  return "avg";
}

std::optional<MetricAggregate> metric_aggregate_from_string(std::string_view s) {
  for (MetricAggregate a : {MetricAggregate::kAvg, MetricAggregate::kMax, MetricAggregate::kMin,
                            MetricAggregate::kSum, MetricAggregate::kCount})
    if (to_string(a) == s) return a;
  return std::nullopt;
}

std::optional<HookWhen> hook_when_from_string(std::string_view s) {
  if (s == "pre_deploy") return HookWhen::kPreDeploy;
  if (s == "post_deploy") return HookWhen::kPostDeploy;
  return std::nullopt;
}

std::vector<CanaryStep> default_canary_steps() {
  return {weight_step(10), pause_step(minutes{5}), weight_step(50), pause_step(minutes{5}),
          weight_step(100)};
}

bool auto_rollback_enabled(const DeploySpec& spec, std::string_view environment) {
  return spec.auto_rollback.value_or(environment == "Production");
}

Json to_json(const DeploySpec& spec) {
  Json steps = Json::array();
  for (const CanaryStep& step : spec.steps) steps.push_back(to_json(step));
  return {{"strategy", std::string(to_string(spec.strategy))},
          {"auto_rollback", value_or_null(spec.auto_rollback)},
          {"version", spec.version},
          {"health_check", spec.health_check ? to_json(*spec.health_check) : Json(nullptr)},
          {"hooks",
           {{"migrate", to_json(spec.hooks.migrate)},
            {"seed", to_json(spec.hooks.seed)},
            {"rollback", to_json(spec.hooks.rollback)}}},
          {"switch", spec.switch_command},
          {"cleanup", spec.cleanup_command},
          {"cleanup_delay_ms", spec.cleanup_delay.count()},
          {"traffic", spec.traffic_command},
          {"steps", std::move(steps)}};
}

Result<DeploySpec> deploy_spec_from_json(const Json& json, std::string_view path) {
  JsonSourceMap source;
  Diagnostics diag(source);
  DeploySpec spec = read_deploy_json(json, std::string(path), diag);
  if (!diag.ok()) return diag.errors().front();
  return spec;
}

}  // namespace opz::pipeline
