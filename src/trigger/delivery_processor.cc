#include "trigger/delivery_processor.h"

#include <spdlog/spdlog.h>

#include <map>

#include "github/trigger_decision.h"
#include "store/triggered_execution.h"
#include "trigger/integration_repository.h"
#include "trigger/mapping_rules.h"
#include "trigger/path_gate.h"

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

// `memo[key]`, loaded at first use; a failed load is not remembered.
template <typename Map, typename Load>
Result<typename Map::iterator> remembered(Map& memo, const std::string& key, Load load) {
  if (auto it = memo.find(key); it != memo.end()) return it;
  OPZ_TRY(auto value, load());
  return memo.emplace(key, std::move(value)).first;
}

// The URL a project checks out from (only configured URLs, never a payload's).
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

}  // namespace

struct DeliveryProcessor::Batch {
  // False for process(): each outcome is recorded at once.
  bool defer = false;
  size_t index = 0;  // of the delivery being decided
  // False while deciding from the receiver's snapshot of the row.
  bool read_back = true;
  struct Deferred {
    size_t index;
    std::string delivery_id;
    store::DeliveryOutcome outcome;
    bool read_back;
  };
  std::vector<Deferred> deferred;
  // Per project id, read at first use.
  std::map<std::string, store::ProjectRecord> projects;
  IntegrationMemo integrations;
  std::map<std::string, ProjectMapper> mappers;
};

Result<ProcessedDelivery> DeliveryProcessor::finish(const store::DeliveryRecord& delivery,
                                                    const ProcessedDelivery& result, Batch& batch) {
  store::DeliveryOutcome recorded{result.outcome, result.reason, result.execution_id, ""};
  if (batch.defer) {
    batch.deferred.push_back({batch.index, delivery.id, std::move(recorded), batch.read_back});
    return result;
  }
  Status st = d_.deliveries.record_outcome(delivery.id, recorded);
  if (!st.ok()) return st.error();
  d_.metrics.processed(result.outcome);
  return result;
}

Result<ProcessedDelivery> DeliveryProcessor::process(const std::string& delivery_id) {
  OPZ_TRY(store::DeliveryRecord delivery, d_.deliveries.find(delivery_id, true));
  Batch alone;
  return decide(delivery, nullptr, nullptr, alone);
}

std::vector<Result<ProcessedDelivery>> DeliveryProcessor::process_batch(
    const std::vector<std::string>& ids) {
  std::vector<QueuedDelivery> batch;
  batch.reserve(ids.size());
  for (const std::string& id : ids) batch.push_back({id, nullptr});
  return process_queued(batch);
}

Result<ProcessedDelivery> DeliveryProcessor::recorded(const std::string& delivery_id) {
  OPZ_TRY(store::DeliveryRecord now, d_.deliveries.find(delivery_id, false));
  return outcome(now.outcome, now.outcome_reason, now.execution_id);
}

std::vector<Result<ProcessedDelivery>> DeliveryProcessor::process_queued(
    const std::vector<QueuedDelivery>& queued) {
  std::vector<Result<ProcessedDelivery>> answers;
  answers.reserve(queued.size());
  // Only deliveries that did not arrive with their row are read (bodies too).
  std::vector<std::string> unread_ids;
  for (const QueuedDelivery& q : queued)
    if (!q.arrived) unread_ids.push_back(q.id);
  std::vector<store::DeliveryRecord> found;
  if (!unread_ids.empty()) {
    auto rows = d_.deliveries.find_many(unread_ids, true);
    if (!rows) {
      for (size_t i = 0; i < queued.size(); ++i) answers.emplace_back(rows.error());
      return answers;
    }
    found = std::move(rows).value();
  }
  std::map<std::string, const store::DeliveryRecord*> by_id;
  for (const store::DeliveryRecord& d : found) by_id[d.id] = &d;

  Batch batch;
  batch.defer = true;
  for (const QueuedDelivery& q : queued) {
    batch.index = answers.size();
    batch.read_back = q.arrived == nullptr;
    if (q.arrived) {
      answers.push_back(decide(q.arrived->record, &q.arrived->event, &q.arrived->targets, batch));
      continue;
    }
    auto it = by_id.find(q.id);
    if (it == by_id.end()) {
      answers.emplace_back(Error::not_found("no webhook delivery with id " + q.id));
      continue;
    }
    answers.push_back(decide(*it->second, nullptr, nullptr, batch));
  }
  if (batch.deferred.empty()) return answers;

  std::vector<std::pair<std::string, store::DeliveryOutcome>> outcomes;
  outcomes.reserve(batch.deferred.size());
  for (const auto& d : batch.deferred) outcomes.emplace_back(d.delivery_id, d.outcome);
  auto stored = d_.deliveries.record_outcomes(outcomes);
  for (size_t i = 0; i < batch.deferred.size(); ++i) {
    const Batch::Deferred& deferred = batch.deferred[i];
    Result<ProcessedDelivery>& answer = answers[deferred.index];
    if (!stored) {
      answer = stored.error();
    } else if (!(*stored)[i].ok()) {
      // Decided from the snapshot but recorded meanwhile (it was queued
      // twice): its recorded outcome, as a row read back would have said.
      const Error& e = (*stored)[i].error();
      answer = !deferred.read_back && e.is_conflict() ? recorded(deferred.delivery_id) : e;
    } else {
      d_.metrics.processed(answer->outcome);
    }
  }
  return answers;
}

Result<DeliveryProcessor::IntegrationMemo::iterator> DeliveryProcessor::integration_of(
    const std::string& project_id, Batch& batch) {
  using MaybeIntegration = std::optional<store::GithubIntegrationRecord>;
  return remembered(batch.integrations, project_id, [&]() -> Result<MaybeIntegration> {
    auto found = d_.github.find_by_project(project_id);
    if (found) return MaybeIntegration(std::move(found).value());
    if (found.error().is_not_found()) return MaybeIntegration();
    return found.error();
  });
}

Result<ProcessedDelivery> DeliveryProcessor::decide(const store::DeliveryRecord& delivery,
                                                    const github::WebhookEvent* parsed,
                                                    const DeliveryTargets* targets, Batch& batch) {
  if (delivery.outcome != "pending")
    return outcome(delivery.outcome, delivery.outcome_reason, delivery.execution_id);
  const std::string gone = "the delivery's project no longer exists";
  if (delivery.project_id.empty()) return finish(delivery, outcome("failed", gone), batch);
  auto project = remembered(batch.projects, delivery.project_id,
                            [&] { return d_.projects.find_project(delivery.project_id); });
  if (!project) {
    if (project.error().is_not_found()) return finish(delivery, outcome("failed", gone), batch);
    return project.error();
  }
  OPZ_TRY(auto integration, integration_of(delivery.project_id, batch));

  Result<github::WebhookEvent> reparsed = Error::internal("not parsed");
  if (!parsed) {
    reparsed = github::parse_webhook_event(delivery.event, delivery.body);
    // A signed body that is not the event it claims is the sender's fault.
    if (!reparsed) return finish(delivery, outcome("rejected", reparsed.error().message), batch);
    parsed = &*reparsed;
  }
  const github::WebhookEvent* event = parsed;
  if (integration->second) {
    if (auto mismatch = repository_mismatch(*integration->second, *event))
      return finish(delivery, outcome("ignored", *mismatch), batch);
  }
  const github::TriggerDecision decision = github::should_trigger(*event);

  switch (event->kind()) {
    case github::EventKind::kPing: {
      const github::PingEvent& ping = *event->ping();
      return finish(
          delivery,
          outcome("processed", "ping from hook " + std::to_string(ping.hook_id) + ": " + ping.zen),
          batch);
    }
    case github::EventKind::kWorkflowRun: {
      if (!decision.trigger) return finish(delivery, outcome("ignored", decision.reason), batch);
      std::string continued;
      if (d_.workflow_runs && event->repository)
        continued =
            d_.workflow_runs->on_workflow_run(event->repository->full_name, *event->workflow_run());
      if (continued.empty())
        return finish(
            delivery,
            outcome("ignored", decision.reason + "; no github_workflow node waits for it"), batch);
      return finish(delivery, outcome("processed", decision.reason + "; " + continued), batch);
    }
    case github::EventKind::kOther:
      return finish(delivery, outcome("ignored", decision.reason), batch);
    default:
      break;
  }
  if (!decision.trigger) return finish(delivery, outcome("ignored", decision.reason), batch);
  // A by-repository delivery for several projects (arrived with its targets,
  // or read back with them from its stored headers).
  std::optional<DeliveryTargets> several;
  if (targets && !targets->project_ids.empty())
    several = *targets;
  else if (!targets)
    several = DeliveryTargets::from_headers(delivery.headers);
  if (several && several->fan_out()) return fan_out(delivery, *event, decision, *several, batch);
  return start(delivery, (*project)->second, integration->second, *event, decision, batch);
}

TriggerContext DeliveryProcessor::context_for(
    const store::DeliveryRecord& delivery, const store::ProjectRecord& project,
    const std::optional<store::GithubIntegrationRecord>& integration) const {
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
    ctx.integration_clone_url = integration_clone_url(*integration);
  }
  return ctx;
}

Result<std::string> DeliveryProcessor::tag_commit(const github::WebhookEvent& event,
                                                  const github::TriggerDecision& decision,
                                                  const TriggerContext& ctx) const {
  // create and release events name a tag, not a commit: ask the repository.
  if (!decision.sha.empty() || !(event.create() || event.release())) return std::string();
  const std::string tag = event.create() ? event.create()->ref : event.release()->tag_name;
  // Only configured URLs are fetched, never the payload's clone_url.
  const std::string url = ctx.checkout_url();
  auto resolved = url.empty()      ? Result<std::string>(Error::unavailable(
                                         "the project has no git_url and no GitHub integration"))
                  : d_.resolve_tag ? d_.resolve_tag(url, tag)
                                   : Result<std::string>(Error::unavailable("no tag resolver"));
  if (resolved) return resolved;
  if (const auto* rel = event.release(); rel && looks_like_sha(rel->target_commitish))
    return rel->target_commitish;
  return Error::unavailable("cannot find the commit of tag '" + tag +
                            "': " + resolved.error().message);
}

Result<ProcessedDelivery> DeliveryProcessor::start(
    const store::DeliveryRecord& delivery, const store::ProjectRecord& project,
    const std::optional<store::GithubIntegrationRecord>& integration,
    const github::WebhookEvent& event, const github::TriggerDecision& decision, Batch& batch) {
  const TriggerContext ctx = context_for(delivery, project, integration);
  auto tag_sha = tag_commit(event, decision, ctx);
  if (!tag_sha) return finish(delivery, outcome("failed", tag_sha.error().message), batch);
  auto facts = facts_from_event(event, decision, *tag_sha);
  if (!facts) return finish(delivery, outcome("failed", facts.error().message), batch);
  PathGate gate(event, d_.mirror_paths);
  const PathVerdict paths = gate.check(
      integration ? integration->path_filters : std::vector<std::string>{}, ctx.checkout_url());
  if (!paths.start) return finish(delivery, outcome("ignored", paths.note), batch);
  OPZ_TRY(auto mapper, remembered(batch.mappers, project.id,
                                  [&] { return load_mapper(d_.mappings, project.id); }));
  TriggerPlan plan = plan_trigger(*facts, mapper->second.mapper, ctx);
  if (plan.kind != PlanKind::kStart)
    return finish(delivery, outcome("ignored", plan.reason), batch);
  if (!paths.note.empty()) plan.reason += "; " + paths.note;
  if (!batch.read_back) {
    // The receiver's snapshot: before starting anything, make sure nobody
    // has (a delivery can be queued twice).
    OPZ_TRY(ProcessedDelivery now, recorded(delivery.id));
    if (now.outcome != "pending") return now;
  }

  if (plan.trigger_key.starts_with("tag:")) {
    OPZ_TRY(auto earlier, d_.deliveries.find_by_trigger_key(plan.trigger_key, delivery.id));
    if (earlier) {
      return finish(
          delivery,
          outcome("ignored", "tag already built: delivery " + earlier->id + " (" + earlier->event +
                                 ") started execution " + earlier->execution_id),
          batch);
    }
  }

  // Created before a crash that kept us from recording it?
  OPZ_TRY(std::string execution_id,
          store::find_triggered_execution(d_.db, project.id, delivery.received_at, "delivery_id",
                                          delivery.id));
  const std::string environment = plan.execution.environment;
  const std::string sha = plan.execution.commit_sha;
  if (execution_id.empty()) {
    auto created = d_.submitter.submit({std::move(plan.request), std::move(plan.execution)});
    if (!created) {
      if (created.error().code == ErrorCode::kUnavailable) {
        spdlog::warn("webhook: delivery {} left pending: {}", delivery.id, created.error().message);
        return outcome("pending", created.error().message);
      }
      return finish(
          delivery,
          outcome("failed", "the execution could not be created: " + created.error().message),
          batch);
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

Result<ProcessedDelivery> DeliveryProcessor::fan_out(const store::DeliveryRecord& delivery,
                                                     const github::WebhookEvent& event,
                                                     const github::TriggerDecision& decision,
                                                     const DeliveryTargets& targets, Batch& batch) {
  struct Start {
    const store::ProjectRecord* project;
    const store::GithubIntegrationRecord* integration;
    TriggerPlan plan;
    std::string ref;
    std::string environment;
    std::string commit_sha;
    std::string execution_id;
  };
  std::vector<Start> starts;
  std::vector<std::string> left_out = targets.skipped;
  PathGate gate(event, d_.mirror_paths);
  // Every target's integration in one read (they follow the event's
  // repository); a target not among them is looked up alone below.
  if (event.repository) {
    OPZ_TRY(auto following,
            d_.github.find_all_by_repository(event.repository->owner, event.repository->name));
    for (store::GithubIntegrationRecord& i : following) {
      const std::string project_id = i.project_id;
      batch.integrations.try_emplace(project_id, std::move(i));
    }
  }
  for (const std::string& project_id : targets.project_ids) {
    auto leave = [&](const std::string& why) {
      left_out.push_back("project " + project_id + ": " + why);
    };
    auto project = remembered(batch.projects, project_id,
                              [&] { return d_.projects.find_project(project_id); });
    if (!project) {
      if (!project.error().is_not_found()) return project.error();
      leave("the project no longer exists");
      continue;
    }
    OPZ_TRY(auto integration, integration_of(project_id, batch));
    if (!integration->second) {
      leave("the project no longer has a GitHub integration");
      continue;
    }
    if (auto mismatch = repository_mismatch(*integration->second, event)) {
      leave(*mismatch);
      continue;
    }
    const TriggerContext ctx = context_for(delivery, (*project)->second, integration->second);
    auto tag_sha = tag_commit(event, decision, ctx);
    if (!tag_sha) {
      leave(tag_sha.error().message);
      continue;
    }
    auto facts = facts_from_event(event, decision, *tag_sha);
    if (!facts) {
      leave(facts.error().message);
      continue;
    }
    const PathVerdict paths = gate.check(integration->second->path_filters, ctx.checkout_url());
    if (!paths.start) {
      leave(paths.note);
      continue;
    }
    OPZ_TRY(auto mapper, remembered(batch.mappers, project_id,
                                    [&] { return load_mapper(d_.mappings, project_id); }));
    TriggerPlan plan = plan_trigger(*facts, mapper->second.mapper, ctx);
    if (plan.kind != PlanKind::kStart) {
      leave(plan.reason);
      continue;
    }
    if (plan.trigger_key.starts_with("tag:")) {
      OPZ_TRY(auto earlier, d_.deliveries.find_by_trigger_key(plan.trigger_key, delivery.id));
      if (earlier) {
        leave("tag already built: delivery " + earlier->id + " started execution " +
              earlier->execution_id);
        continue;
      }
    }
    if (!paths.note.empty()) plan.reason += "; " + paths.note;
    std::string environment = plan.execution.environment;
    std::string sha = plan.execution.commit_sha;
    starts.push_back({&(*project)->second, &*integration->second, std::move(plan), facts->ref,
                      std::move(environment), std::move(sha), ""});
  }
  const size_t following = targets.project_ids.size() + targets.skipped.size();
  if (starts.empty())
    return finish(delivery,
                  outcome("ignored", "no project of the " + std::to_string(following) +
                                         " following the repository starts: " + joined(left_out)),
                  batch);
  if (!batch.read_back) {
    // The receiver's snapshot: make sure nobody has acted on it meanwhile.
    OPZ_TRY(ProcessedDelivery now, recorded(delivery.id));
    if (now.outcome != "pending") return now;
  }

  // Create the executions, all through one batch admission. One read back
  // after a crash may find some created already (by metadata.delivery_id);
  // an arrived delivery cannot have any.
  std::vector<AdmissionRequest> requests;
  std::vector<Start*> submitted;
  for (Start& s : starts) {
    if (batch.read_back) {
      OPZ_TRY(s.execution_id,
              store::find_triggered_execution(d_.db, s.project->id, delivery.received_at,
                                              "delivery_id", delivery.id));
    }
    if (!s.execution_id.empty()) continue;
    requests.push_back({std::move(s.plan.request), std::move(s.plan.execution)});
    submitted.push_back(&s);
  }
  std::vector<Result<store::ExecutionRecord>> made;
  if (!requests.empty()) made = d_.submitter.submit_many(std::move(requests));
  std::map<const Start*, std::string> why_not;
  for (size_t i = 0; i < submitted.size(); ++i) {
    Start& s = *submitted[i];
    if (made[i]) {
      s.execution_id = made[i]->id;
      d_.metrics.triggered(delivery.replay_of.empty() ? "webhook" : "replay");
      continue;
    }
    if (made[i].error().code == ErrorCode::kUnavailable) {
      // Left pending; the retry reads it back and finds what was created.
      spdlog::warn("webhook: delivery {} left pending: {}", delivery.id, made[i].error().message);
      return outcome("pending", made[i].error().message);
    }
    why_not[&s] = made[i].error().message;
  }
  std::vector<std::string> started;
  std::vector<Start*> created;
  for (Start& s : starts) {
    if (auto no = why_not.find(&s); no != why_not.end()) {
      left_out.push_back("project " + s.project->id +
                         ": the execution could not be created: " + no->second);
      continue;
    }
    started.push_back("project " + s.project->id + ": started execution " + s.execution_id + " (" +
                      s.plan.reason + ")");
    created.push_back(&s);
  }
  const std::string reason = "started " + std::to_string(created.size()) + " of the " +
                             std::to_string(following) +
                             " projects following the repository: " + joined(started) +
                             (left_out.empty() ? "" : "; ") + joined(left_out);
  if (created.empty()) return finish(delivery, outcome("failed", reason), batch);

  const ProcessedDelivery result = outcome("processed", reason, created.front()->execution_id);
  const std::string base_url = d_.public_url ? d_.public_url() : "";
  Status st = d_.db.write([&](store::SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(d_.deliveries.record_outcome_in(
        tx, delivery.id,
        {result.outcome, result.reason, result.execution_id, created.front()->plan.trigger_key}));
    for (const Start* s : created) {
      OPZ_TRY_STATUS(d_.audit.record_in(tx, {"webhook.triggered", "execution", s->execution_id, "",
                                             Json{{"delivery_id", delivery.id},
                                                  {"event", delivery.event},
                                                  {"ref", s->ref},
                                                  {"project_id", s->project->id},
                                                  {"environment", s->environment},
                                                  {"ci_only", s->plan.ci_only},
                                                  {"replay_of", delivery.replay_of}},
                                             ""}));
      if (s->integration->token_sealed.empty()) continue;
      store::CommitStatusRecord status;
      status.project_id = s->project->id;
      status.execution_id = s->execution_id;
      status.commit_sha = s->commit_sha;
      status.state = "pending";
      status.context = "opzenix/" + s->environment;
      status.description =
          s->plan.ci_only ? "CI queued (no deploy)" : "Queued for " + s->environment;
      if (!base_url.empty()) status.target_url = commit_url(base_url, s->execution_id);
      OPZ_TRY_STATUS(d_.statuses.enqueue_in(tx, status));
    }
    return {};
  });
  if (!st.ok()) return st.error();
  d_.metrics.processed(result.outcome);
  spdlog::info("webhook: delivery {} ({}) started {} executions for the projects following {}",
               delivery.id, delivery.event, created.size(),
               event.repository ? event.repository->full_name : "?");
  return result;
}

}  // namespace opz::trigger
