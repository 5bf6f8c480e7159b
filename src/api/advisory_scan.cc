// The advisory scan (issue 13): POST /functions/v1/ops-advisory-scan and the
// scheduled run (api/scheduled_checks.h) both call run_advisory_scan().
//
// Per project: the settings in force (api/advisory_settings.h) say which
// windows to read; the facts (deployments, long-running executions, ops
// metric windows) go to the pure rules (telemetry/advisory_rules.h); what
// they find is recorded in ONE transaction with the notifications about it:
// each advisory opened is told as "advisory_opened", each resolved as
// "advisory_resolved", to every admin and operator and to the project's
// webhooks subscribed to that type (trigger::Notifier, the path approvals
// use). A project with no findings and no open advisory writes nothing.
#include <spdlog/spdlog.h>

#include "api/advisory_settings.h"
#include "api/scheduled_checks.h"
#include "core/time_format.h"
#include "store/notification_store.h"
#include "store/ops_metrics_store.h"
#include "trigger/notifier.h"

namespace opz::api {

namespace {

Result<telemetry::ProjectFacts> load_facts(ApiContext& ctx, const std::string& project_id,
                                           const telemetry::AdvisoryThresholds& t,
                                           TimePoint now) {
  using telemetry::RuleInput;
  telemetry::ProjectFacts facts;
  const telemetry::AdvisoryRule* deploys = enabled_rule(t, RuleInput::kDeploymentSuccessRate);
  const telemetry::AdvisoryRule* running = enabled_rule(t, RuleInput::kLongRunningExecutions);
  if (deploys || running) {
    store::AdvisoryStore advisories(ctx.db, ctx.clock);
    // A disabled rule's window reads nothing: the far past / the future.
    const std::string since = deploys ? format_time(now - deploys->window) : format_time(now);
    const std::string before =
        running ? format_time(now - running->window) : "0000-01-01T00:00:00.000Z";
    OPZ_TRY(store::ProjectRunFacts runs, advisories.run_facts(project_id, since, before));
    facts.deployments_finished = runs.deployments_finished;
    facts.deployments_succeeded = runs.deployments_succeeded;
    facts.executions_running_too_long = runs.executions_running_too_long;
  }
  store::OpsMetricsStore metrics(ctx.db, ctx.clock);
  const std::string until = format_time(now + std::chrono::milliseconds(1));
  for (std::chrono::seconds window : telemetry::metric_windows(t)) {
    OPZ_TRY(auto rows, metrics.window(project_id, format_time(now - window), until));
    for (const auto& w : rows) facts.metrics.push_back({w.metric, w.samples, w.sum, w.max, window});
  }
  return facts;
}

trigger::Notification advisory_notification(const store::AdvisoryRecord& a, bool opened,
                                            const std::vector<std::string>& targets) {
  trigger::Notification n;
  n.type = opened ? "advisory_opened" : "advisory_resolved";
  n.target_user_ids = targets;
  n.project_id = a.project_id;
  n.payload = Json{{"advisory_id", a.id},     {"project_id", a.project_id},
                   {"rule", a.rule},          {"severity", a.severity},
                   {"title", a.title},        {"message", a.message},
                   {"status", a.status},      {"observed", a.observed ? Json(*a.observed) : Json()},
                   {"threshold", a.threshold ? Json(*a.threshold) : Json()}};
  n.text = std::string("[Opzenix] ") + (opened ? "Advisory: " : "Resolved: ") + a.title + " (" +
           a.severity + ", project " + a.project_id + ")" + (opened ? " - " + a.message : "");
  return n;
}

// Every admin and operator: the people who can act on an advisory.
Result<std::vector<std::string>> advisory_targets(ApiContext& ctx, store::SqlSession& tx) {
  store::NotificationStore notifications(ctx.db, ctx.clock);
  OPZ_TRY(auto users, notifications.users_with_roles_in(tx));
  std::vector<std::string> out;
  for (const auto& [id, role] : users)
    if (role == "admin" || role == "operator") out.push_back(id);
  return out;
}

Result<int64_t> record_and_notify(ApiContext& ctx, const std::string& project_id,
                                  const std::vector<std::string>& evaluated,
                                  const std::vector<store::AdvisoryFindingRow>& rows) {
  return ctx.db.write([&](store::SqlSession& tx) -> Result<int64_t> {
    store::AdvisoryStore advisories(ctx.db, ctx.clock);
    OPZ_TRY(store::AdvisoryScanChanges changes,
            advisories.record_scan_in(tx, project_id, evaluated, rows));
    if (changes.opened.empty() && changes.resolved.empty()) return 0;
    OPZ_TRY(std::vector<std::string> targets, advisory_targets(ctx, tx));
    trigger::Notifier notifier(ctx.db, ctx.clock, nullptr, {});
    for (const auto& a : changes.opened)
      OPZ_TRY_STATUS(notifier.notify_in(tx, advisory_notification(a, true, targets)));
    for (const auto& a : changes.resolved)
      OPZ_TRY_STATUS(notifier.notify_in(tx, advisory_notification(a, false, targets)));
    return static_cast<int64_t>(changes.opened.size());
  });
}

}  // namespace

Result<int64_t> run_advisory_scan(ApiContext& ctx) {
  store::OpsMetricsStore metrics(ctx.db, ctx.clock);
  OPZ_TRY_STATUS(metrics.refresh_rollups(ctx.clock.now()));
  store::AdvisoryStore advisories(ctx.db, ctx.clock);
  OPZ_TRY(std::vector<std::string> projects, advisories.project_ids());
  OPZ_TRY(auto settings, advisories.rule_settings());
  OPZ_TRY(std::set<std::string> open, advisories.projects_with_open_advisories());
  const TimePoint now = ctx.clock.now();
  int64_t created = 0;
  for (const std::string& id : projects) {
    const telemetry::AdvisoryThresholds t = effective_thresholds(settings, id);
    OPZ_TRY(telemetry::ProjectFacts facts, load_facts(ctx, id, t, now));
    std::vector<store::AdvisoryFindingRow> rows;
    for (const telemetry::Finding& f : telemetry::evaluate_advisories(facts, t))
      rows.push_back({f.rule, f.severity, f.title, f.message, f.observed, f.threshold});
    if (rows.empty() && !open.count(id)) continue;  // nothing to open, nothing to resolve
    OPZ_TRY(int64_t n, record_and_notify(ctx, id, telemetry::advisory_rule_ids(t), rows));
    created += n;
  }
  return created;
}

}  // namespace opz::api
