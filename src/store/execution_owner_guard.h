// The ownership guard of an execution write (issue 14, docs/postgres.md
// "Several servers"): which owner row (server, generation) a writer believes
// it holds for each execution its batch touches.
//
// fenced_executions() runs INSIDE the write transaction, before the batch
// writes anything: it reads the owner rows of the guarded executions and
// answers those whose row no longer names the guard's server and generation
// (or has no owner row at all). On PostgreSQL the rows are read FOR SHARE, so
// a concurrent claim (ServerLeaseStore::claim updates the row) waits for the
// batch to commit, or the batch waits for the claim and, after the database's
// retry, sees the new generation; SQLite has one writer at a time anyway.
// Either way no claim commits between the check and the batch's writes.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct OwnerGuard {
  std::string server_id;
  int64_t generation = 0;
  bool operator==(const OwnerGuard&) const = default;
};

// execution id -> the owner the writer believes it is.
using OwnerGuards = std::map<std::string, OwnerGuard>;

// The guarded executions whose owner row no longer matches their guard.
Result<std::set<std::string>> fenced_executions(SqlSession& s, const OwnerGuards& guards);

}  // namespace opz::store
