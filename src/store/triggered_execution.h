// Finding the execution a trigger already created.
//
// The engine creates an execution in its own transaction; the trigger records
// its outcome (delivery outcome, polled ref) in the next one. A crash in
// between leaves the trigger to be done again at the next start, which must
// find the execution instead of creating a second one. Triggers tag their
// executions' metadata (delivery_id, trigger_key), and every such execution
// is newer than a time the trigger knows (the delivery's received_at, the
// last completed poll), so the search reads only the project's executions
// created since then. Thread-safe.
#pragma once

#include <string>

#include "core/result.h"
#include "store/database.h"

namespace opz::store {

// The id of the newest execution of `project_id` created at or after `since`
// (ISO time) whose metadata[key] is the string `value`; "" when none.
Result<std::string> find_triggered_execution(Database& db, const std::string& project_id,
                                             const std::string& since, const std::string& key,
                                             const std::string& value);

}  // namespace opz::store
