// The `batch` frame: a run of events sent as ONE frame to the clients that
// asked for it (GET /api/v1/events?batch=1; docs/realtime.md "Batches").
//
// Why: a pipeline's submit writes its execution and every node row in one
// transaction, ~1,000 `nodes` INSERT events of ~560 bytes that differ in a
// few columns; a 1,000-client fan-out pushed ~560 MB for them at once, and
// the events behind that burst waited seconds. The same rows as one frame,
// with what every row shares written once, are ~9x smaller (59 KB: the
// rows still carry their ids, and share one `at`: execution_store.cc).
//
// A run: events with consecutive ids (each the one before + 1) and the same
// topic, table, type, execution_id, project_id and user_id, every record a
// JSON object with the same members. Everything a stream filter looks at
// is the same for every event of a run, so a client takes all of it or none.
//
//   id: <to>
//   event: batch
//   data: {"from":F,"to":T,"at":A,"topic":..,"table":..,"type":..,
//          "execution_id":..,"project_id":..,"old":O,
//          "common":{member: value, ...},"columns":[member, ...],
//          "rows":[[value, ...], ...]}
//
// Event k (0-based, id F+k) is exactly the event a single frame would carry:
// id F+k, the topic, table, type, execution_id and project_id above, record =
// `common` plus columns[i] = rows[k][i], old = O when O is not an array (every
// event's is O) else O[k], at = A when A is a string else A[k]. The id line
// is T, so Last-Event-ID resumes after the whole run; `from` comes first and
// `at` second so that a lean client finds them at fixed places.
// Pure; no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "store/event_log_store.h"

namespace opz::realtime {

// True when `next` may follow `prev` in one run (ids, topic, table, type and
// the filter's ids; the records are checked by batch_frame).
bool continues_run(const store::EventLogRecord& prev, const store::EventLogRecord& next);

// The runs of `records` (in id order) with at least `min_events` events, as
// [begin, end) index ranges, in order.
std::vector<std::pair<size_t, size_t>> find_runs(
    std::span<const store::EventLogRecord* const> records, size_t min_events);

// The batch frame for `run` (at least two events, each continuing the one
// before); nullopt when the records do not fit one (not all objects with the
// same members), and the events then go out one frame each.
std::optional<std::string> batch_frame(std::span<const store::EventLogRecord* const> run);

// The reverse, as a client does it: the events a batch frame's data document
// stands for, in order, each as the data document its own frame would carry
// (sse_frame.h event_data). The format's contract in code, for the tests and
// the fuzz target; the server never needs it. kMalformed when `data` does
// not have a batch's shape.
Result<std::vector<Json>> batch_events(const Json& data);

}  // namespace opz::realtime
