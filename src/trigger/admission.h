// Admission: what the API needs of the one admission path (issue 8),
// implemented by trigger::AdmissionService (admission_service.h).
//
// submit() and rerun() are the only ways the API starts executions: each
// builds a typed governance::ExecutionRequest and passes it through
// governance::admit(). reevaluate()/reevaluate_all() are called by handlers
// that changed something an execution may wait for, AFTER their own
// transaction committed; they never block on the engine (the service's own
// thread re-evaluates; the call only wakes it). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "auth/role.h"
#include "core/json.h"
#include "core/result.h"
#include "engine/engine.h"
#include "store/execution_store.h"
#include "trigger/execution_submitter.h"

namespace opz::trigger {

class Admission {
 public:
  virtual ~Admission() = default;
  // The one submit path (see ExecutionSubmitter::submit).
  virtual Result<store::ExecutionRecord> submit(AdmissionRequest request) = 0;
  // A rerun of a finished execution, admitted like a new start by `actor`.
  virtual Result<store::ExecutionRecord> rerun(const std::string& execution_id,
                                               const engine::RerunRequest& rerun,
                                               const std::string& actor,
                                               std::optional<auth::Role> role) = 0;
  // {"status", "rules": [{"rule","result","reason",...}], ...} for one execution.
  virtual Result<Json> explain(const std::string& execution_id) = 0;
  // The role an environment requires of people acting on its executions
  // (start, cancel, rerun, fail); kNotFound when the project has no such
  // environment.
  virtual Result<auth::Role> required_role(const std::string& project_id,
                                           const std::string& environment) = 0;
  // One execution's facts changed (a vote was cast, its approval decided).
  virtual void reevaluate(const std::string& execution_id) = 0;
  // Facts many executions share changed (a lock, a freeze window, the
  // emergency stop, an environment's rules).
  virtual void reevaluate_all() = 0;
};

}  // namespace opz::trigger
