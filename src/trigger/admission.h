// Admission: what the API needs of the one admission path (issue 8) when it
// changes something an execution may be waiting for. The implementation is
// trigger::AdmissionService (admission_service.h), which runs
// governance::admit() for held executions and releases, fails or keeps them.
//
// Handlers call it AFTER their own transaction committed; it never throws
// and never blocks on the engine: re-evaluation happens on the service's own
// thread (the call only wakes it). Thread-safe.
#pragma once

#include <string>

namespace opz::trigger {

class Admission {
 public:
  virtual ~Admission() = default;
  // One execution's facts changed (a vote was cast, its approval decided).
  virtual void reevaluate(const std::string& execution_id) = 0;
  // Facts many executions share changed (a lock, a freeze window, the
  // emergency stop, an environment's rules).
  virtual void reevaluate_all() = 0;
};

}  // namespace opz::trigger
