// ExecutionOwnership: which server runs an execution when several servers
// share one database (issue 14; docs/postgres.md "Several servers").
//
// The engine claims an execution before it starts or resumes it, and runs
// only what it claimed. Every lease_timeout()/3 the scheduler renews this
// server's lease, drops every run in memory that another server now owns
// (self-fencing: processes killed, nothing written), takes over orphans
// (executions whose owner's lease lapsed) and runs the commands other servers
// queued for it. A command for an execution another live server owns is sent
// to that server (send_command) and its answer awaited on the caller's thread
// (command_result), never on the engine thread. Where the database can
// announce a queued command (PostgreSQL's NOTIFY: watch_commands), the owner
// runs it at once and polls only as a fallback.
//
// Implementations: SqlExecutionOwnership (server_leases & co. through
// store::ServerLeaseStore) and SoleOwnership below (one process owns
// everything: `opzenix run`, engine tests). Thread-safe: the engine thread
// calls everything but send_command/command_result, which the callers'
// threads use.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace opz::engine {

// How long a server waits for the owner's answer to a forwarded command; a
// command older than this is answered "expired" by the owner, not run.
constexpr std::chrono::seconds kCommandAnswerTimeout{10};

struct OwnershipClaim {
  bool claimed = false;
  int64_t generation = 0;
  std::string owner;  // who owns it now (the other server when not claimed)
};

struct OwnerInfo {
  std::string server_id;
  int64_t generation = 0;
  bool alive = false;
};

// A command another server queued for this one.
struct ForwardedCommand {
  int64_t id = 0;
  std::string execution_id;
  std::string kind;  // cancel | force_fail | approval
  Json payload = Json::object();
  std::string actor;
  bool expired = false;  // older than the sender waits: answered, not run
};

// What watch_commands() answers: the calls stop when it is destroyed.
class CommandWatch {
 public:
  virtual ~CommandWatch() = default;
};

class ExecutionOwnership {
 public:
  virtual ~ExecutionOwnership() = default;

  // False when this process is the only one (no leases, no periodic check).
  virtual bool shared() const = 0;
  virtual std::string server_id() const = 0;
  virtual std::chrono::milliseconds lease_timeout() const = 0;
  // Renews this server's lease; true when it had lapsed before (another
  // server may have taken executions over meanwhile).
  virtual Result<bool> renew() = 0;
  // True while the last successful renew() leaves more than a third of the
  // lease. The scheduler checks it before each commit and, when false,
  // renews and drops what it lost first: a server that could not renew for a
  // while does not write over executions another server has taken over.
  virtual bool lease_fresh() const = 0;
  virtual Result<OwnershipClaim> claim(const std::string& execution_id) = 0;
  // This server's unfinished executions and their owner generations.
  virtual Result<std::map<std::string, int64_t>> owned() = 0;
  // Unfinished executions nobody live runs (store::ServerLeaseStore::orphaned).
  virtual Result<std::vector<std::string>> orphaned() = 0;
  virtual Result<std::optional<OwnerInfo>> owner_of(const std::string& execution_id) = 0;
  virtual Result<std::vector<ForwardedCommand>> pending_commands() = 0;
  virtual Status complete_command(int64_t id, const Status& outcome) = 0;
  // Queues a command for `owner`; answers its id.
  virtual Result<int64_t> send_command(const std::string& owner, const std::string& execution_id,
                                       const std::string& kind, const Json& payload,
                                       const std::string& actor) = 0;
  // nullopt while the owner has not answered.
  virtual Result<std::optional<Status>> command_result(int64_t id) = 0;
  // Calls `wake` (on another thread) whenever a command may have been queued
  // for this server, until the answered watch is destroyed (its destructor
  // waits for a call under way); nullptr when the backend cannot tell (the
  // scheduler then looks every 200 ms).
  virtual std::unique_ptr<CommandWatch> watch_commands(std::function<void()> wake) {
    (void)wake;
    return nullptr;
  }
  // While watched, commands are also looked for this often: a fallback for
  // a notification lost while the listener reconnected.
  virtual std::chrono::milliseconds command_poll_fallback() const {
    return std::chrono::seconds(5);
  }
};

// One process owns every execution: claims always succeed, nothing is ever
// orphaned or owned elsewhere, and no command is ever forwarded.
class SoleOwnership final : public ExecutionOwnership {
 public:
  bool shared() const override { return false; }
  std::string server_id() const override { return "local"; }
  std::chrono::milliseconds lease_timeout() const override { return std::chrono::hours(1); }
  Result<bool> renew() override { return false; }
  bool lease_fresh() const override { return true; }
  Result<OwnershipClaim> claim(const std::string&) override {
    return OwnershipClaim{true, 1, "local"};
  }
  Result<std::map<std::string, int64_t>> owned() override {
    return std::map<std::string, int64_t>{};
  }
  Result<std::vector<std::string>> orphaned() override { return std::vector<std::string>{}; }
  Result<std::optional<OwnerInfo>> owner_of(const std::string&) override {
    return std::optional<OwnerInfo>();
  }
  Result<std::vector<ForwardedCommand>> pending_commands() override {
    return std::vector<ForwardedCommand>{};
  }
  Status complete_command(int64_t, const Status&) override { return {}; }
  Result<int64_t> send_command(const std::string&, const std::string&, const std::string&,
                               const Json&, const std::string&) override {
    return Error::internal("sole ownership never forwards a command");
  }
  Result<std::optional<Status>> command_result(int64_t) override {
    return Error::internal("sole ownership never forwards a command");
  }
};

}  // namespace opz::engine
