// JSON views of deployments, their history, probes, holds and a project's
// lifecycle as the API shows them (docs/api.md "Deployments"). Empty text
// columns are null. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "core/json.h"
#include "store/deployment_store.h"
#include "trigger/deployment_actions.h"

namespace opz::api {

// Every column; `version_tag` repeats `version` (the history's name for it).
Json to_json(const store::DeploymentRecord& d);
// One history row: deployment_id, version_tag, commit_sha, image_tag,
// is_current, marked_bad, status, strategy, deployed_by, started_at,
// completed_at, rollback_of, reason, execution_id, created_at (issue 9
// "Interfaces").
Json history_item_json(const store::DeploymentHistoryItem& item);
Json to_json(const store::DeploymentProbeRecord& p);
// With `active` (not released).
Json to_json(const store::DeploymentHoldRecord& h);
// {"project_id", "phases": [{"position", "environment", "soak_seconds"}]}.
Json lifecycle_json(const std::string& project_id,
                    const std::vector<store::LifecyclePhaseRecord>& phases);
// The 202 answer of a rollback or promotion: the new deployment (its `id`,
// `execution_id`, `status` pending, ...) with `execution_status`,
// `governance_status` and `governance` (the admission's explanation).
Json action_json(const trigger::DeploymentActionResult& r);

}  // namespace opz::api
