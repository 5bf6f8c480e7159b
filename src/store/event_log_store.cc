#include "store/event_log_store.h"

#include "core/time_format.h"

namespace opz::store {

namespace {

// A log event's record is the execution_logs line, built here so the log
// text is stored once (the trigger writes record NULL for logs). The line's
// object is SQLite's json_object or PostgreSQL's json_build_object with the
// time as the store's ISO text, so both answer the same keys and values.
std::string read_after_sql(const SqlSession& s) {
  const bool pg = s.dialect() == "postgres";
  return std::string(
             "SELECT e.id, e.topic, e.table_name, e.type, e.execution_id, e.project_id, "
             "e.user_id, e.record_id, "
             "CASE WHEN e.topic = 'logs' THEN (SELECT ") +
         (pg ? "json_build_object" : "json_object") +
         "('id', l.id, 'execution_id', l.execution_id, 'node_id', l.node_id, "
         "'attempt', l.attempt, 'stream', l.stream, 'level', l.level, 'message', l.message, "
         "'created_at', " +
         (pg ? "opz_iso_time(l.created_at)" : "l.created_at") +
         ") FROM execution_logs l WHERE l.id = CAST(e.record_id AS INTEGER)) "
         "ELSE e.record END AS record, "
         "e.old, e.created_at "
         "FROM realtime_events e WHERE e.id > $1 ORDER BY e.id LIMIT $2";
}

// The highest event id ever drawn, as seen by this transaction, even once
// pruned. SQLite: sqlite_sequence (AUTOINCREMENT, transactional). PostgreSQL:
// the newest visible row (events commit in id order under the event lock, so
// no id below it can still appear); with every row pruned, the identity
// sequence's last value (sequences are not transactional: an id drawn by a
// transaction still open counts too).
std::string last_id_sql(const SqlSession& s) {
  if (s.dialect() == "postgres") {
    return "COALESCE((SELECT MAX(id) FROM realtime_events), "
           "pg_sequence_last_value(pg_get_serial_sequence('realtime_events', 'id')::regclass), "
           "0)";
  }
  return "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'realtime_events'), 0)";
}

std::string json_or_null(const SqlValue& v) { return v.is_null() ? "null" : v.as_text(); }

EventLogRecord record_of(const Row& r) {
  EventLogRecord e;
  e.id = r[0].as_int();
  e.topic = r[1].as_text();
  e.table_name = r[2].as_text();
  e.type = r[3].as_text();
  e.execution_id = r[4].as_optional_text();
  e.project_id = r[5].as_optional_text();
  e.user_id = r[6].as_optional_text();
  e.record_id = r[7].as_optional_text();
  e.record_json = json_or_null(r[8]);
  e.old_json = json_or_null(r[9]);
  e.created_at = r[10].as_text();
  return e;
}

}  // namespace

Result<std::vector<EventLogRecord>> EventLogStore::read_after(int64_t after_id, size_t limit) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<EventLogRecord>> {
    OPZ_TRY(Rows rows, s.query(read_after_sql(s), {after_id, static_cast<int64_t>(limit)}));
    std::vector<EventLogRecord> out;
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(record_of(r));
    return out;
  });
}

Result<int64_t> EventLogStore::last_id() {
  return db_.read([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("SELECT " + last_id_sql(s)));
    return rows[0][0].as_int();
  });
}

Result<int64_t> EventLogStore::oldest_id() {
  return db_.read([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("SELECT COALESCE((SELECT MIN(id) FROM realtime_events), " +
                               last_id_sql(s) + " + 1)"));
    return rows[0][0].as_int();
  });
}

Result<int64_t> EventLogStore::prune(TimePoint older_than, size_t batch) {
  const std::string cutoff = format_time(older_than);
  // Everything up to the newest id created before the cutoff goes, so what
  // is left is always a suffix of the log (even if the clock stepped back)
  // and oldest_id() stays the boundary of what a replay can serve.
  OPZ_TRY(int64_t boundary, db_.read([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("SELECT COALESCE(MAX(id), 0) FROM realtime_events "
                               "WHERE created_at < $1",
                               {cutoff}));
    return rows[0][0].as_int();
  }));
  int64_t total = 0;
  while (boundary > 0) {
    OPZ_TRY(int64_t n, db_.write([&](SqlSession& s) -> Result<int64_t> {
      return s.exec(
          "DELETE FROM realtime_events WHERE id IN (SELECT id FROM realtime_events "
          "WHERE id <= $1 ORDER BY id LIMIT $2)",
          {boundary, static_cast<int64_t>(batch)});
    }));
    total += n;
    if (n < static_cast<int64_t>(batch)) break;
  }
  return total;
}

}  // namespace opz::store
