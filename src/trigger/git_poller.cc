#include "trigger/git_poller.h"

#include <spdlog/spdlog.h>

#include <set>

#include "core/time_format.h"
#include "store/triggered_execution.h"
#include "trigger/mapping_rules.h"
#include "trigger/trigger_plan.h"

namespace opz::trigger {

Status GitPoller::trigger_ref(const store::ProjectRecord& project, const std::string& polled_at,
                              const std::string& since, const RemoteRef& ref, PollReport& report) {
  OPZ_TRY(ProjectMapper mapper, load_mapper(d_.mappings, project.id));
  TriggerFacts facts;
  facts.event = "poll";
  facts.trigger_type = "poll";
  facts.ref = ref.ref;
  facts.sha = ref.sha;
  facts.actor = "git-poll";
  TriggerContext ctx;
  ctx.source = "git_poll";
  ctx.project_id = project.id;
  ctx.git_url = project.git_url;
  TriggerPlan plan = plan_trigger(facts, mapper.mapper, ctx);

  store::PollCommit commit;
  commit.project_id = project.id;
  commit.git_url = project.git_url;
  commit.polled_at = polled_at;
  commit.upserts[ref.ref] = ref.sha;
  if (plan.kind != PlanKind::kStart) {
    report.ignored.push_back(ref.ref + ": " + plan.reason);
    return d_.polls.commit_poll(commit);
  }
  OPZ_TRY(std::string execution_id, store::find_triggered_execution(
                                        d_.db, project.id, since, "trigger_key", plan.trigger_key));
  if (execution_id.empty()) {
    OPZ_TRY(store::ExecutionRecord created, d_.submitter.submit({std::move(plan.request), std::move(plan.execution)}));
    execution_id = created.id;
    d_.metrics.triggered("poll");
  }
  const std::string reason = plan.reason;
  commit.also = [&](store::SqlSession& tx) {
    return d_.audit.record_in(
        tx,
        {"poll.triggered", "execution", execution_id, "",
         Json{{"project_id", project.id}, {"ref", ref.ref}, {"sha", ref.sha}, {"reason", reason}},
         ""});
  };
  OPZ_TRY_STATUS(d_.polls.commit_poll(commit));
  report.executions.push_back(execution_id);
  spdlog::info("git poll: {} {} moved to {}: started execution {}", project.id, ref.ref,
               ref.sha.substr(0, 7), execution_id);
  return {};
}

Result<PollReport> GitPoller::poll_project(const store::ProjectRecord& project) {
  const std::string polled_at = format_time(d_.clock.now());
  auto remote = ls_remote(project.git_url, d_.git);
  if (!remote) {
    d_.metrics.poll("error");
    (void)d_.polls.record_error(project.id, remote.error().message);
    return remote.error();
  }
  OPZ_TRY(store::PolledRefs stored, d_.polls.load(project.id));
  PollReport report;
  store::PollCommit rest;
  rest.project_id = project.id;
  rest.git_url = project.git_url;
  rest.polled_at = polled_at;
  if (!stored.state || stored.state->git_url != project.git_url) {
    // First sight: remember, trigger nothing.
    rest.reset = true;
    for (const RemoteRef& r : *remote) rest.upserts[r.ref] = r.sha;
    OPZ_TRY_STATUS(d_.polls.commit_poll(rest));
    report.first_sight = true;
    d_.metrics.poll("first_sight");
    return report;
  }
  std::set<std::string> seen;
  Status first_error;
  for (const RemoteRef& r : *remote) {
    seen.insert(r.ref);
    auto it = stored.refs.find(r.ref);
    if (it != stored.refs.end() && it->second == r.sha) continue;
    Status st = trigger_ref(project, polled_at, stored.state->last_polled_at, r, report);
    if (!st.ok()) {
      // Left as it was: the next poll tries this ref again.
      spdlog::warn("git poll: {} {}: {}", project.id, r.ref, st.error().to_string());
      if (first_error.ok()) first_error = st;
    }
  }
  for (const auto& [ref, sha] : stored.refs)
    if (!seen.count(ref)) rest.deletes.push_back(ref);
  OPZ_TRY_STATUS(d_.polls.commit_poll(rest));
  d_.metrics.poll(first_error.ok() ? "ok" : "error");
  if (!first_error.ok()) return first_error.error();
  return report;
}

int GitPoller::poll_due() {
  auto projects = d_.projects.list_polled_projects();
  if (!projects) {
    spdlog::error("git poll: cannot list projects: {}", projects.error().to_string());
    return 0;
  }
  const TimePoint now = d_.clock.now();
  std::map<std::string, TimePoint> next;
  int polled = 0;
  for (const store::ProjectRecord& p : *projects) {
    auto it = next_due_.find(p.id);
    TimePoint due = it == next_due_.end() ? now : it->second;
    if (due <= now) {
      auto report = poll_project(p);
      if (!report) {
        spdlog::warn("git poll: project {} ({}): {}", p.id, p.git_url, report.error().to_string());
      }
      ++polled;
      due = d_.clock.now() + std::chrono::seconds(std::max<int64_t>(1, p.poll_interval_seconds));
    }
    next[p.id] = due;
  }
  next_due_ = std::move(next);
  return polled;
}

}  // namespace opz::trigger
