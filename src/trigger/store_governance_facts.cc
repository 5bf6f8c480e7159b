#include "trigger/store_governance_facts.h"

#include <spdlog/spdlog.h>

#include "governance/environment_protection.h"
#include "trigger/approval_records.h"
#include "trigger/governance_records.h"

namespace opz::trigger {

StoreGovernanceFacts::StoreGovernanceFacts(store::Database& db, const Clock& clock)
    : environments_(db, clock), stops_(db, clock), windows_(db, clock), approvals_(db, clock) {}

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

Status StoreGovernanceFacts::request_approval(const governance::ApprovalRequest& request,
                                              const governance::EnvironmentProtection& protection) {
  auto created = approvals_.create(to_record(request, protection.reviewers));
  if (!created && created.error().code == ErrorCode::kConflict) return {};  // already open
  if (!created) return created.error();
  return {};
}

}  // namespace opz::trigger
