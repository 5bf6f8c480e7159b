// GitPollStore: what the git poller remembers per project — the last sha seen
// for every ref (git_poll_refs) and whether the repository was scanned yet,
// from which URL, and when the last poll completed (git_poll_state).
//
// Contract: a project without state, or whose state names another git_url, is
// at "first sight". commit_poll() writes one completed poll in ONE
// transaction: the refs that moved or appeared (upsert), the refs that
// disappeared (delete), the state row (last_polled_at = `polled_at`, error
// cleared), and optionally an audit-style hook the caller runs in the same
// transaction (so "ref X is now at sha Y" and the record of what it
// triggered commit together). Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct GitPollState {
  std::string project_id;
  std::string git_url;
  std::string first_scanned_at;
  std::string last_polled_at;
  std::string last_error;
};

struct PolledRefs {
  std::optional<GitPollState> state;        // nullopt: never scanned
  std::map<std::string, std::string> refs;  // ref -> last sha
};

struct PollCommit {
  std::string project_id;
  std::string git_url;
  std::string polled_at;                       // ISO time the poll started
  std::map<std::string, std::string> upserts;  // ref -> sha
  std::vector<std::string> deletes;
  bool reset = false;  // first sight: drop every stored ref first
  // Runs inside the transaction after the refs are written (may be empty).
  std::function<Status(SqlSession&)> also;
};

class GitPollStore {
 public:
  GitPollStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<PolledRefs> load(const std::string& project_id);
  Status commit_poll(const PollCommit& commit);
  // Records a failed poll (state must exist; nothing else changes).
  Status record_error(const std::string& project_id, const std::string& error);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
