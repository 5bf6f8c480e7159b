#include "trigger/store_governance_facts.h"

#include <spdlog/spdlog.h>

#include "core/time_format.h"
#include "governance/environment_protection.h"
#include "store/deployment_store.h"
#include "trigger/approval_records.h"
#include "trigger/governance_records.h"

namespace opz::trigger {

namespace {

governance::DeployHold to_deploy_hold(const store::DeploymentHoldRecord& r) {
  governance::DeployHold hold;
  hold.version_tag = r.version_tag;
  hold.reason = r.reason;
  hold.deployment_id = r.deployment_id;
  hold.created_by = r.created_by;
  hold.since = parse_time(r.created_at).value_or(TimePoint{});
  return hold;
}

std::vector<governance::LifecyclePhase> to_phases(
    const std::vector<store::LifecyclePhaseRecord>& records) {
  std::vector<governance::LifecyclePhase> phases;
  phases.reserve(records.size());
  for (const store::LifecyclePhaseRecord& r : records)
    phases.push_back({r.environment, std::chrono::seconds{r.soak_seconds}});
  return phases;
}

// When a successful deployment succeeded: completed_at (set by succeed()),
// else its last update.
Result<TimePoint> succeeded_at(const store::DeploymentRecord& d) {
  return parse_time(d.completed_at.empty() ? d.updated_at : d.completed_at);
}

}  // namespace

StoreGovernanceFacts::StoreGovernanceFacts(store::Database& db, const Clock& clock)
    : db_(db),
      environments_(db, clock),
      stops_(db, clock),
      windows_(db, clock),
      approvals_(db, clock) {}

Result<std::optional<governance::EnvironmentProtection>> StoreGovernanceFacts::environment(
    const std::string& project_id, const std::string& name) {
  using Found = std::optional<governance::EnvironmentProtection>;
  if (project_id.empty()) {
    // No project (an ad-hoc run): the installation's default environments.
    for (governance::EnvironmentProtection& p : governance::default_environments())
      if (p.name == name) return Found(std::move(p));
    return Found();
  }
  auto found = environments_.find(project_id, name);
  if (!found) {
    if (found.error().is_not_found()) return Found();
    return found.error();
  }
  return Found(to_protection(found->environment, found->lock));
}

Result<governance::EmergencyStop> StoreGovernanceFacts::emergency_stop() {
  OPZ_TRY(auto active, stops_.active());
  return to_emergency_stop(active);
}

Result<std::vector<governance::ZonedFreezeWindow>> StoreGovernanceFacts::freeze_windows(
    const std::string& project_id) {
  OPZ_TRY(auto records, windows_.for_project(project_id));
  CompiledFreezeWindows compiled = compile_freeze_windows(records);
  for (const std::string& id : compiled.skipped)
    spdlog::warn("governance: freeze window {} no longer compiles; it is ignored", id);
  return std::move(compiled.windows);
}

Result<std::optional<governance::Tally>> StoreGovernanceFacts::approval(
    const std::string& execution_id, TimePoint now) {
  store::ApprovalFilter filter;
  filter.execution_id = execution_id;
  store::PageRequest page;
  page.limit = 100;
  OPZ_TRY(auto list, approvals_.list(filter, page));
  // The newest environment request (approval nodes have their own gates).
  const store::ApprovalRecord* latest = nullptr;
  for (const store::ApprovalRecord& r : list.items)
    if (r.node_id.empty()) latest = &r;
  if (!latest) return std::optional<governance::Tally>();
  return std::optional(governance::tally(to_governance(*latest), votes_of(*latest), now));
}

Result<std::optional<governance::DeployHold>> StoreGovernanceFacts::deploy_hold(
    const std::string& project_id, const std::string& environment) {
  using Found = std::optional<governance::DeployHold>;
  if (project_id.empty()) return Found();
  OPZ_TRY(auto active, db_.read([&](store::SqlSession& s) {
    return store::load_active_hold(s, project_id, environment);
  }));
  if (!active) return Found();
  return Found(to_deploy_hold(*active));
}

Result<std::optional<governance::LifecycleGate>> StoreGovernanceFacts::lifecycle_gate(
    const governance::ExecutionRequest& request) {
  using Found = std::optional<governance::LifecycleGate>;
  if (request.project_id.empty()) return Found();
  // One snapshot: the phases and the previous phase's success agree.
  return db_.read([&](store::SqlSession& s) -> Result<Found> {
    OPZ_TRY(auto records, store::load_lifecycle(s, request.project_id));
    Found gate = governance::lifecycle_gate(to_phases(records), request.environment);
    if (!gate || request.commit_sha.empty()) return gate;  // no commit: never succeeded
    OPZ_TRY(auto success,
            store::load_latest_success(s, request.project_id, gate->previous_environment,
                                       request.commit_sha, ""));
    if (success) {
      OPZ_TRY(gate->previous_success_at, succeeded_at(*success));
    }
    return gate;
  });
}

Status StoreGovernanceFacts::request_approval(const governance::ApprovalRequest& request,
                                              const governance::EnvironmentProtection& protection) {
  auto created = approvals_.create(to_record(request, protection.reviewers));
  if (!created && created.error().code == ErrorCode::kConflict) return {};  // already open
  if (!created) return created.error();
  return {};
}

}  // namespace opz::trigger
