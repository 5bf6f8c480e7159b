// ServerLeaseStore: which server runs which execution when several servers
// share one database (migration 023, docs/postgres.md "Several servers").
//
// Leases. Every server process renews its row in server_leases every third of
// its lease timeout; a server whose expires_at has passed is dead to the
// others. renew() also says whether this server's own lease had lapsed before
// this renewal (its executions may have been taken over meanwhile).
//
// Ownership. claim() makes `server_id` the owner of an execution in ONE
// statement (an UPSERT with a WHERE, the same on SQLite and PostgreSQL): it
// succeeds when there is no owner row, when the owner is `server_id` already
// (generation unchanged), or when the owner's lease has expired or is gone
// (generation + 1: a takeover). Otherwise it answers claimed = false and
// changes nothing. Owner rows of finished executions stay (harmless: only
// unfinished executions are ever looked at); they go with the execution.
//
// orphaned() lists the unfinished executions that nobody live runs: not held
// by governance (governance_status 'waiting'/'pending_approval': the
// admission path releases those), and either owned by a server whose lease
// expired, or without an owner row, not 'paused' (a held execution just
// admitted waits for its release()) and created before `unowned_before` (a
// server that has just submitted one claims it a moment later).
//
// Commands. A cancel / force-fail / approval decision for an execution that
// another live server owns is queued for that server (enqueue_command); the
// owner runs its pending_commands() and records the answer
// (complete_command); the sender polls command(id) for it. On PostgreSQL
// the insert also sends NOTIFY kCommandsChannel (payload: the owner's server
// id) in the same transaction, and listen_commands() calls back on every
// such notification, so the owner runs a command at once instead of at its
// next poll.
//
// Leader. try_lead() takes or renews the named leader row when it is free,
// expired or already ours; true when `server_id` leads until now + ttl.
//
// Every call is one transaction; times are explicit (tests pass a
// ManualClock's). Thread-safe (the Database is).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct LeaseRenewal {
  bool lapsed = false;  // the lease existed and had expired before this renewal
};

struct OwnerClaim {
  bool claimed = false;
  int64_t generation = 0;      // the owner row's generation after the call
  std::string previous_owner;  // "" when there was no owner row
  std::string owner;           // the owner after the call (the other one when not claimed)
};

struct ExecutionOwner {
  std::string server_id;
  int64_t generation = 0;
  bool alive = false;  // the owner's lease has not expired
};

struct ExecutionCommand {
  int64_t id = 0;
  std::string execution_id;
  std::string server_id;
  std::string kind;  // cancel | force_fail | approval
  Json payload = Json::object();
  std::string actor;
  std::string created_at;
  bool done = false;
  bool ok = false;
  std::string error_code;  // error_code_name() of the failure
  std::string error_message;
};

struct NewExecutionCommand {
  std::string execution_id;
  std::string server_id;  // the owner it is for
  std::string kind;
  Json payload = Json::object();
  std::string actor;
};

// The channel commands are announced on (PostgreSQL only).
inline constexpr const char* kCommandsChannel = "opz_commands";

class ServerLeaseStore {
 public:
  explicit ServerLeaseStore(Database& db) : db_(db) {}

  Result<LeaseRenewal> renew(const std::string& server_id, const std::string& hostname,
                             int64_t pid, TimePoint now, std::chrono::milliseconds ttl);
  Result<OwnerClaim> claim(const std::string& execution_id, const std::string& server_id,
                           TimePoint now);
  // The unfinished executions `server_id` owns -> their owner generation.
  Result<std::map<std::string, int64_t>> owned_by(const std::string& server_id);
  Result<std::vector<std::string>> orphaned(TimePoint now, TimePoint unowned_before);
  // nullopt: no owner row.
  Result<std::optional<ExecutionOwner>> owner_of(const std::string& execution_id, TimePoint now);

  Result<int64_t> enqueue_command(const NewExecutionCommand& command, TimePoint now);
  // Calls `on_command` (on a thread of the database's) whenever a command is
  // queued for any server, and once when the listener (re)connects;
  // nullptr where the database has no notifications (SQLite). Destroying
  // the handle stops the calls.
  std::unique_ptr<Database::Listening> listen_commands(std::function<void()> on_command);
  // Not yet done, oldest first.
  Result<std::vector<ExecutionCommand>> pending_commands(const std::string& server_id);
  Status complete_command(int64_t id, const Status& outcome, TimePoint now);
  Result<ExecutionCommand> command(int64_t id);

  Result<bool> try_lead(const std::string& name, const std::string& server_id, TimePoint now,
                        std::chrono::milliseconds ttl);

 private:
  Database& db_;
};

}  // namespace opz::store
