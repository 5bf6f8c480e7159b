#include "trigger/delivery_processor.h"

#include <spdlog/spdlog.h>

#include "github/trigger_decision.h"
#include "store/triggered_execution.h"
#include "trigger/mapping_rules.h"

namespace opz::trigger {

namespace {

ProcessedDelivery outcome(std::string kind, std::string reason, std::string execution_id = {}) {
  return ProcessedDelivery{std::move(kind), std::move(reason), std::move(execution_id)};
}

std::string commit_url(const std::string& base, const std::string& execution_id) {
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b + "/executions/" + execution_id;
}

}  // namespace

Result<ProcessedDelivery> DeliveryProcessor::finish(const store::DeliveryRecord& delivery,
                                                    const ProcessedDelivery& result,
                                                    const std::string& trigger_key) {
  Status st = d_.deliveries.record_outcome(
      delivery.id, {result.outcome, result.reason, result.execution_id, trigger_key});
  if (!st.ok()) return st.error();
  d_.metrics.processed(result.outcome);
  return result;
}

Result<ProcessedDelivery> DeliveryProcessor::process(const std::string& delivery_id) {
  OPZ_TRY(store::DeliveryRecord delivery, d_.deliveries.find(delivery_id, true));
  if (delivery.outcome != "pending")
    return outcome(delivery.outcome, delivery.outcome_reason, delivery.execution_id);
  if (delivery.project_id.empty())
    return finish(delivery, outcome("failed", "the delivery's project no longer exists"));
  auto project = d_.projects.find_project(delivery.project_id);
  if (!project) {
    if (project.error().is_not_found())
      return finish(delivery, outcome("failed", "the delivery's project no longer exists"));
    return project.error();
  }
  std::optional<store::GithubIntegrationRecord> integration;
  if (auto found = d_.github.find_by_project(delivery.project_id)) {
    integration = std::move(found).value();
  } else if (!found.error().is_not_found()) {
    return found.error();
  }

  auto event = github::parse_webhook_event(delivery.event, delivery.body);
  if (!event) return finish(delivery, outcome("failed", event.error().to_string()));
  const github::TriggerDecision decision = github::should_trigger(*event);

  switch (event->kind()) {
    case github::EventKind::kPing: {
      const github::PingEvent& ping = *event->ping();
      return finish(
          delivery,
          outcome("processed", "ping from hook " + std::to_string(ping.hook_id) + ": " + ping.zen));
    }
    case github::EventKind::kWorkflowRun: {
      if (!decision.trigger) return finish(delivery, outcome("ignored", decision.reason));
      std::string continued;
      if (d_.workflow_runs && event->repository)
        continued =
            d_.workflow_runs->on_workflow_run(event->repository->full_name, *event->workflow_run());
      if (continued.empty())
        return finish(delivery, outcome("ignored", decision.reason +
                                                       "; no github_workflow node waits for it"));
      return finish(delivery, outcome("processed", decision.reason + "; " + continued));
    }
    case github::EventKind::kOther:
      return finish(delivery, outcome("ignored", decision.reason));
    default:
      break;
  }
  if (!decision.trigger) return finish(delivery, outcome("ignored", decision.reason));
  return start(delivery, *project, integration, *event, decision);
}

Result<ProcessedDelivery> DeliveryProcessor::start(
    const store::DeliveryRecord& delivery, const store::ProjectRecord& project,
    const std::optional<store::GithubIntegrationRecord>& integration,
    const github::WebhookEvent& event, const github::TriggerDecision& decision) {
  TriggerContext ctx;
  ctx.source = "github_webhook";
  ctx.delivery_id = delivery.id;
  ctx.delivery_guid = delivery.delivery_guid;
  ctx.replay_of = delivery.replay_of;
  ctx.project_id = project.id;
  ctx.git_url = project.git_url;
  if (integration) {
    ctx.integration_actor = integration->created_by;
    ctx.repository_owner = integration->repository_owner;
    ctx.repository_name = integration->repository_name;
  }

  // create and release events name a tag, not a commit: ask the repository.
  std::string tag_sha;
  if (decision.sha.empty() && (event.create() || event.release())) {
    const std::string tag = event.create() ? event.create()->ref : event.release()->tag_name;
    std::string url = project.git_url;
    if (url.empty() && event.repository) url = event.repository->clone_url;
    auto resolved = d_.resolve_tag ? d_.resolve_tag(url, tag)
                                   : Result<std::string>(Error::unavailable("no tag resolver"));
    if (resolved) {
      tag_sha = *resolved;
    } else if (const auto* rel = event.release(); rel && looks_like_sha(rel->target_commitish)) {
      tag_sha = rel->target_commitish;
    } else {
      return finish(delivery, outcome("failed", "cannot find the commit of tag '" + tag +
                                                    "': " + resolved.error().message));
    }
  }
  auto facts = facts_from_event(event, decision, tag_sha);
  if (!facts) return finish(delivery, outcome("failed", facts.error().message));
  OPZ_TRY(ProjectMapper mapper, load_mapper(d_.mappings, project.id));
  TriggerPlan plan = plan_trigger(*facts, mapper.mapper, ctx);
  if (plan.kind != PlanKind::kStart) return finish(delivery, outcome("ignored", plan.reason));

  if (plan.trigger_key.starts_with("tag:")) {
    OPZ_TRY(auto earlier, d_.deliveries.find_by_trigger_key(plan.trigger_key, delivery.id));
    if (earlier) {
      return finish(
          delivery,
          outcome("ignored", "tag already built: delivery " + earlier->id + " (" + earlier->event +
                                 ") started execution " + earlier->execution_id));
    }
  }

  // Created before a crash that kept us from recording it?
  OPZ_TRY(std::string execution_id,
          store::find_triggered_execution(d_.db, project.id, delivery.received_at, "delivery_id",
                                          delivery.id));
  const std::string environment = plan.execution.environment;
  const std::string sha = plan.execution.commit_sha;
  if (execution_id.empty()) {
    auto created = d_.submitter.submit(std::move(plan.execution));
    if (!created) {
      if (created.error().code == ErrorCode::kUnavailable) {
        spdlog::warn("webhook: delivery {} left pending: {}", delivery.id, created.error().message);
        return outcome("pending", created.error().message);
      }
      return finish(delivery, outcome("failed", "the execution could not be created: " +
                                                    created.error().message));
    }
    execution_id = created->id;
    d_.metrics.triggered(delivery.replay_of.empty() ? "webhook" : "replay");
  }

  const ProcessedDelivery result = outcome("processed", plan.reason, execution_id);
  const bool report_status = integration && !integration->token_sealed.empty();
  Status st = d_.db.write([&](store::SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(d_.deliveries.record_outcome_in(
        tx, delivery.id, {result.outcome, result.reason, execution_id, plan.trigger_key}));
    OPZ_TRY_STATUS(d_.audit.record_in(tx, {"webhook.triggered", "execution", execution_id, "",
                                           Json{{"delivery_id", delivery.id},
                                                {"event", delivery.event},
                                                {"ref", facts->ref},
                                                {"environment", environment},
                                                {"ci_only", plan.ci_only},
                                                {"replay_of", delivery.replay_of}},
                                           ""}));
    if (report_status) {
      store::CommitStatusRecord status;
      status.project_id = project.id;
      status.execution_id = execution_id;
      status.commit_sha = sha;
      status.state = "pending";
      status.context = "opzenix/" + environment;
      status.description = plan.ci_only ? "CI queued (no deploy)" : "Queued for " + environment;
      if (d_.public_url) status.target_url = commit_url(d_.public_url(), execution_id);
      OPZ_TRY_STATUS(d_.statuses.enqueue_in(tx, status));
    }
    return {};
  });
  if (!st.ok()) return st.error();
  d_.metrics.processed(result.outcome);
  spdlog::info("webhook: delivery {} ({}) started execution {}: {}", delivery.id, delivery.event,
               execution_id, plan.reason);
  return result;
}

}  // namespace opz::trigger
