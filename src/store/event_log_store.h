// EventLogStore: reads (and prunes) the persisted event log, realtime_events
// (migration 012), which triggers fill in the same transaction as every change
// a realtime client may watch. The only code that knows its SQL.
//
// Ordering contract: ids rise monotonically and, because the SQLite store has
// ONE writer connection, commit in id order. So a read that sees id N sees
// every id < N that will ever exist: reading read_after(last seen id) again
// and again yields every event exactly once, in order, with no gap. On
// PostgreSQL the same holds across connections and servers because every
// event-writing transaction takes one advisory lock before drawing its id
// (docs/postgres.md, "Event triggers and the advisory lock").
//
// Logs are compact in the table (record NULL, record_id = execution_logs.id);
// read_after joins execution_logs and answers the line's record, so log text
// is stored once. A log line deleted since (its execution was deleted) reads
// as record "null".
//
// Thread-safe (each call is one Database transaction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct EventLogRecord {
  int64_t id = 0;
  std::string topic;       // "executions", "nodes", "logs", ...
  std::string table_name;  // "execution_nodes", ...
  std::string type;        // "INSERT" | "UPDATE" | "DELETE"
  std::optional<std::string> execution_id;
  std::optional<std::string> project_id;
  std::optional<std::string> user_id;  // audit: the actor; notifications: the target
  std::optional<std::string> record_id;
  std::string record_json = "null";  // one JSON object (spacing differs by dialect)
  std::string old_json = "null";     // UPDATE: the changed watched columns' old values
  std::string created_at;            // "2026-12-05T10:00:00.000Z"
};

class EventLogStore {
 public:
  explicit EventLogStore(Database& db) : db_(db) {}

  // Events with id > after_id, in id order, at most `limit`.
  Result<std::vector<EventLogRecord>> read_after(int64_t after_id, size_t limit);
  // The highest id ever given (0 when none), even when pruned since: an id a
  // client holds above it is from another database (a restore).
  Result<int64_t> last_id();
  // The smallest id still retained; last_id() + 1 when the log is empty.
  // A client that saw id >= oldest_id() - 1 can be replayed without a gap.
  Result<int64_t> oldest_id();
  // Deletes events created before `older_than`, `batch` rows per write
  // transaction (so the one writer is never held long); answers how many.
  Result<int64_t> prune(TimePoint older_than, size_t batch = 5000);

 private:
  Database& db_;
};

}  // namespace opz::store
