#include "store/commit_status_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kCommitStatusColumns =
    "id, project_id, execution_id, commit_sha, state, target_url, description, context, "
    "attempts, next_attempt_at, last_error, delivered_at, created_at";

CommitStatusRecord commit_status_from_row(const Row& r) {
  CommitStatusRecord c;
  c.id = r["id"].as_text();
  c.project_id = r["project_id"].as_text();
  c.execution_id = r["execution_id"].as_text();
  c.commit_sha = r["commit_sha"].as_text();
  c.state = r["state"].as_text();
  c.target_url = r["target_url"].as_text();
  c.description = r["description"].as_text();
  c.context = r["context"].as_text();
  c.attempts = static_cast<int>(r["attempts"].as_int());
  c.next_attempt_at = r["next_attempt_at"].as_text();
  c.last_error = r["last_error"].as_text();
  c.delivered_at = r["delivered_at"].as_text();
  c.created_at = r["created_at"].as_text();
  return c;
}

Result<std::vector<CommitStatusRecord>> rows_to_records(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<CommitStatusRecord> out;
  for (const Row& r : *rows) out.push_back(commit_status_from_row(r));
  return out;
}

}  // namespace

Result<CommitStatusRecord> CommitStatusStore::enqueue(const CommitStatusRecord& r) {
  return db_.write([&](SqlSession& s) { return enqueue_in(s, r); });
}

Result<CommitStatusRecord> CommitStatusStore::enqueue_in(SqlSession& tx,
                                                         const CommitStatusRecord& in) {
  CommitStatusRecord r = in;
  const std::string now = format_time(clock_.now());
  if (r.id.empty()) r.id = new_uuid();
  if (r.created_at.empty()) r.created_at = now;
  if (r.next_attempt_at.empty()) r.next_attempt_at = now;
  if (r.context.empty()) r.context = "opzenix";
  OPZ_TRY_STATUS(
      tx.exec("INSERT INTO commit_status_reports (id, project_id, execution_id, commit_sha, state, "
              "target_url, description, context, attempts, next_attempt_at, created_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10)",
              {r.id, text_or_null(r.project_id), text_or_null(r.execution_id), r.commit_sha,
               r.state, text_or_null(r.target_url), text_or_null(r.description), r.context,
               r.next_attempt_at, r.created_at}));
  return r;
}

Result<std::vector<CommitStatusRecord>> CommitStatusStore::due(const std::string& now, int limit) {
  return db_.read([&](SqlSession& s) {
    return rows_to_records(s.query(std::string("SELECT ") + kCommitStatusColumns +
                                       " FROM commit_status_reports WHERE delivered_at IS NULL "
                                       "AND next_attempt_at IS NOT NULL AND next_attempt_at <= $1 "
                                       "ORDER BY created_at, id LIMIT $2",
                                   {now, limit}));
  });
}

Status CommitStatusStore::mark_delivered(const std::string& id) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(
        s.exec("UPDATE commit_status_reports SET delivered_at = $2, attempts = "
               "attempts + 1, next_attempt_at = NULL, last_error = NULL WHERE id = $1",
               {id, now}));
    return {};
  });
}

Status CommitStatusStore::mark_failed(const std::string& id, int attempts,
                                      const std::string& next_attempt_at,
                                      const std::string& error) {
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(
        s.exec("UPDATE commit_status_reports SET attempts = $2, next_attempt_at = $3, "
               "last_error = $4 WHERE id = $1",
               {id, attempts, text_or_null(next_attempt_at), error.substr(0, 1000)}));
    return {};
  });
}

Result<bool> CommitStatusStore::superseded(const CommitStatusRecord& r) {
  return db_.read([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(Rows rows, s.query("SELECT 1 FROM commit_status_reports WHERE execution_id = $1 AND "
                               "context = $2 AND (created_at > $3 OR (created_at = $3 AND "
                               "id > $4)) LIMIT 1",
                               {r.execution_id, r.context, r.created_at, r.id}));
    return !rows.empty();
  });
}

Result<std::vector<CommitStatusRecord>> CommitStatusStore::for_execution(
    const std::string& execution_id) {
  return db_.read([&](SqlSession& s) {
    return rows_to_records(s.query(std::string("SELECT ") + kCommitStatusColumns +
                                       " FROM commit_status_reports WHERE execution_id = $1 "
                                       "ORDER BY created_at, id",
                                   {execution_id}));
  });
}

}  // namespace opz::store
