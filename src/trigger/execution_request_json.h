// governance::ExecutionRequest as JSON: kept with a held execution
// (metadata.governance_request) so admission can be re-run for it later —
// after a vote, when a window ends, after a restart. Pure; thread-safe.
#pragma once

#include "core/json.h"
#include "core/result.h"
#include "governance/execution_request.h"

namespace opz::trigger {

Json to_json(const governance::ExecutionRequest& request);
// kValidation naming the field for a document to_json() did not write.
Result<governance::ExecutionRequest> execution_request_from_json(const Json& json);

}  // namespace opz::trigger
