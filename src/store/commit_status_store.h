// CommitStatusStore: the outbox of commit statuses to report to GitHub
// (commit_status_reports). A report is queued in the same transaction as
// whatever causes it (or on its own), then delivered by a background sender
// that retries with backoff and never blocks a pipeline.
//
// Contract: a queued report is due when delivered_at IS NULL and
// next_attempt_at <= now. mark_failed() counts the attempt and either
// schedules the next one or, with next_attempt_at empty, gives up (the row
// keeps last_error and is never due again). due() answers oldest first; a
// report for which superseded() is true (a newer report of the same execution
// and context exists) must not be sent any more, so a retried "pending" never
// overwrites a later "success" on GitHub. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct CommitStatusRecord {
  std::string id;
  std::string project_id;
  std::string execution_id;
  std::string commit_sha;
  std::string state;  // error | failure | pending | success
  std::string target_url;
  std::string description;
  std::string context = "opzenix";
  int attempts = 0;
  std::string next_attempt_at;
  std::string last_error;
  std::string delivered_at;
  std::string created_at;
};

class CommitStatusStore {
 public:
  CommitStatusStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Queues `r` (id, created_at and next_attempt_at = now assigned when empty).
  Result<CommitStatusRecord> enqueue(const CommitStatusRecord& r);
  Result<CommitStatusRecord> enqueue_in(SqlSession& tx, const CommitStatusRecord& r);
  // Reports due at `now`, oldest first, at most `limit`.
  Result<std::vector<CommitStatusRecord>> due(const std::string& now, int limit = 50);
  Status mark_delivered(const std::string& id);
  // `next_attempt_at` empty: give up.
  Status mark_failed(const std::string& id, int attempts, const std::string& next_attempt_at,
                     const std::string& error);
  Result<bool> superseded(const CommitStatusRecord& r);
  Result<std::vector<CommitStatusRecord>> for_execution(const std::string& execution_id);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
