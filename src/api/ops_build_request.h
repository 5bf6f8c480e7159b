// What a queued build (seed 003's ops.run_queue row) becomes: the same typed
// AdmissionRequest POST /api/v1/executions builds (read_start_request), so a
// build is admitted, run and audited like any person's start. Used by the
// server's trigger::RunQueueRunner as its BuildRequestFn.
//
// The build:
//   - is requested by the row's requested_by user, with that user's CURRENT
//     role (governance checks it against the target environment);
//   - runs the project's pipeline: its newest flow template, else opzenix.yml
//     of its repository at the commit (the branch head when none is given);
//     a project with neither fails the build ("has no pipeline");
//   - targets the environment the project's branch rules map the branch to
//     (its own rules, else the global defaults); an unmapped branch fails
//     the build with the mapper's explanation; a non-deployable rule
//     (feature/*) builds CI only (metadata.ci_only), like a push would.
// Errors are kValidation with the reason (the runner records it on the row),
// or what the stores answer.
#pragma once

#include "api/api_context.h"
#include "core/result.h"
#include "store/run_queue_store.h"
#include "trigger/execution_submitter.h"

namespace opz::api {

Result<trigger::AdmissionRequest> queued_build_request(ApiContext& ctx,
                                                       const store::RunQueueRecord& row);

}  // namespace opz::api
