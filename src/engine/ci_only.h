// CI-only runs: what the engine runs for a pull request or a push to a
// non-deployable branch (trigger/trigger_plan.h). An execution whose metadata
// holds "ci_only": true runs its pipeline WITHOUT the deploy and approval
// nodes and without every node that needs one of them, directly or not; what
// remains (build, test, scan, ...) runs as usual. Applied wherever the
// pipeline becomes known: at submit for a given pipeline, after checkout for
// one read from the repository. Pure; thread-safe.
#pragma once

#include "core/json.h"
#include "core/result.h"
#include "pipeline/model.h"

namespace opz::engine {

// True when `metadata` is an object with "ci_only": true.
bool is_ci_only(const Json& metadata);

// The pipeline without deploy/approval nodes and their dependents (order and
// everything else kept). kValidation when no node is left.
Result<pipeline::Pipeline> ci_only_pipeline(const pipeline::Pipeline& pipeline);

}  // namespace opz::engine
