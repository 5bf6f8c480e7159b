// SqlExecutionOwnership: ExecutionOwnership over the database's
// server_leases / execution_owners / execution_commands tables
// (store::ServerLeaseStore), for `opzenix serve`. Times come from `clock`;
// an unowned execution counts as orphaned once it is a lease timeout old
// (its submitter claims it at once; see ServerLeaseStore::orphaned).
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/clock.h"
#include "engine/execution_ownership.h"
#include "store/server_lease_store.h"

namespace opz::engine {

struct ServerIdentity {
  std::string server_id;  // stable per data directory (<data_dir>/server-id)
  std::string hostname;
  int64_t pid = 0;
  std::chrono::milliseconds lease_timeout{30000};
  // False when no other server can share the database (SQLite lives in this
  // server's data dir, whose server id it also holds): claims are still
  // recorded, but no lease is renewed and no orphans or forwarded commands
  // are looked for (ExecutionOwnership::shared).
  bool shared = true;
  // With PostgreSQL's notifications (watch_commands), how often queued
  // commands are still looked for, in case one notification was lost.
  std::chrono::milliseconds command_poll_fallback{5000};
};

class SqlExecutionOwnership final : public ExecutionOwnership {
 public:
  SqlExecutionOwnership(store::Database& db, const Clock& clock, ServerIdentity identity)
      : leases_(db), clock_(clock), identity_(std::move(identity)) {}

  bool shared() const override { return identity_.shared; }
  std::string server_id() const override { return identity_.server_id; }
  std::chrono::milliseconds lease_timeout() const override { return identity_.lease_timeout; }
  Result<bool> renew() override;
  bool lease_fresh() const override;
  Result<OwnershipClaim> claim(const std::string& execution_id) override;
  Result<std::map<std::string, int64_t>> owned() override;
  Result<std::vector<std::string>> orphaned() override;
  Result<std::optional<OwnerInfo>> owner_of(const std::string& execution_id) override;
  Result<std::vector<ForwardedCommand>> pending_commands() override;
  Status complete_command(int64_t id, const Status& outcome) override;
  Result<int64_t> send_command(const std::string& owner, const std::string& execution_id,
                               const std::string& kind, const Json& payload,
                               const std::string& actor) override;
  Result<std::optional<Status>> command_result(int64_t id) override;
  // LISTENs on store::kCommandsChannel while shared and on PostgreSQL.
  std::unique_ptr<CommandWatch> watch_commands(std::function<void()> wake) override;
  std::chrono::milliseconds command_poll_fallback() const override {
    return identity_.command_poll_fallback;
  }

  // Whether this server holds the named cluster-wide role (try_lead).
  Result<bool> try_lead(const std::string& name);

 private:
  store::ServerLeaseStore leases_;
  const Clock& clock_;
  ServerIdentity identity_;
  // clock_ time of the last successful renew() (ns since epoch; 0: none).
  std::atomic<int64_t> renewed_ns_{0};
};

}  // namespace opz::engine
