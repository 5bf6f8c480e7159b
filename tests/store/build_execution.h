// The execution row a queued build becomes, for the ops backend's store tests
// (run_queue_store_test.cc, ops_project_store_test.cc): what the engine would
// write for it, with the fields those tests vary.
#pragma once

#include <string>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/execution_store.h"

namespace opz::store {

inline ExecutionRecord build_execution(const std::string& project, const std::string& status,
                                       const std::string& created_at) {
  ExecutionRecord e;
  e.id = new_uuid();
  e.name = "build";
  e.project_id = project;
  e.pipeline = R"({"name":"p","nodes":[]})";
  e.status = status;
  e.environment = "Development";
  e.branch = "main";
  e.trigger_type = "manual";
  e.created_at = e.updated_at = created_at;
  return e;
}

}  // namespace opz::store
