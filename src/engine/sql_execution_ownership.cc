#include "engine/sql_execution_ownership.h"

#include "core/time_format.h"

namespace opz::engine {

namespace {

// The error a command's owner answered, rebuilt from its stored code name.
Error error_from(const std::string& code_name, const std::string& message) {
  for (ErrorCode code :
       {ErrorCode::kMalformed, ErrorCode::kUnauthenticated, ErrorCode::kForbidden,
        ErrorCode::kNotFound, ErrorCode::kMethodNotAllowed, ErrorCode::kConflict,
        ErrorCode::kTooLarge, ErrorCode::kUnsupportedMedia, ErrorCode::kValidation,
        ErrorCode::kUnavailable, ErrorCode::kInternal}) {
    if (error_code_name(code) == code_name) return Error{code, message, ""};
  }
  return Error::internal(message);
}

// A LISTEN connection and its thread; destroying it joins the thread.
struct ListeningWatch final : CommandWatch {
  std::unique_ptr<store::Database::Listening> listening;
};

}  // namespace

Result<bool> SqlExecutionOwnership::renew() {
  OPZ_TRY(store::LeaseRenewal r, leases_.renew(identity_.server_id, identity_.hostname,
                                               identity_.pid, clock_.now(),
                                               identity_.lease_timeout));
  renewed_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    clock_.now().time_since_epoch()).count();
  return r.lapsed;
}

bool SqlExecutionOwnership::lease_fresh() const {
  const int64_t renewed = renewed_ns_.load();
  if (renewed == 0) return false;
  const auto age = clock_.now().time_since_epoch() - std::chrono::nanoseconds(renewed);
  return age < identity_.lease_timeout * 2 / 3;
}

Result<OwnershipClaim> SqlExecutionOwnership::claim(const std::string& execution_id) {
  OPZ_TRY(store::OwnerClaim c, leases_.claim(execution_id, identity_.server_id, clock_.now()));
  return OwnershipClaim{c.claimed, c.generation, c.owner};
}

Result<std::map<std::string, int64_t>> SqlExecutionOwnership::owned() {
  return leases_.owned_by(identity_.server_id);
}

Result<std::vector<std::string>> SqlExecutionOwnership::orphaned() {
  const TimePoint now = clock_.now();
  return leases_.orphaned(now, now - identity_.lease_timeout);
}

Result<std::optional<OwnerInfo>> SqlExecutionOwnership::owner_of(const std::string& execution_id) {
  OPZ_TRY(std::optional<store::ExecutionOwner> o, leases_.owner_of(execution_id, clock_.now()));
  if (!o) return std::optional<OwnerInfo>();
  return std::optional<OwnerInfo>(OwnerInfo{o->server_id, o->generation, o->alive});
}

Result<std::vector<ForwardedCommand>> SqlExecutionOwnership::pending_commands() {
  OPZ_TRY(std::vector<store::ExecutionCommand> rows, leases_.pending_commands(identity_.server_id));
  const TimePoint now = clock_.now();
  std::vector<ForwardedCommand> out;
  for (store::ExecutionCommand& c : rows) {
    auto created = parse_time(c.created_at);
    const bool expired = created && now - *created > kCommandAnswerTimeout;
    out.push_back({c.id, std::move(c.execution_id), std::move(c.kind), std::move(c.payload),
                   std::move(c.actor), expired});
  }
  return out;
}

Status SqlExecutionOwnership::complete_command(int64_t id, const Status& outcome) {
  return leases_.complete_command(id, outcome, clock_.now());
}

Result<int64_t> SqlExecutionOwnership::send_command(const std::string& owner,
                                                    const std::string& execution_id,
                                                    const std::string& kind, const Json& payload,
                                                    const std::string& actor) {
  return leases_.enqueue_command({execution_id, owner, kind, payload, actor}, clock_.now());
}

Result<std::optional<Status>> SqlExecutionOwnership::command_result(int64_t id) {
  OPZ_TRY(store::ExecutionCommand c, leases_.command(id));
  if (!c.done) return std::optional<Status>();
  if (c.ok) return std::optional<Status>(ok_status());
  return std::optional<Status>(Status(error_from(c.error_code, c.error_message)));
}

std::unique_ptr<CommandWatch> SqlExecutionOwnership::watch_commands(std::function<void()> wake) {
  if (!identity_.shared) return nullptr;
  auto listening = leases_.listen_commands(std::move(wake));
  if (!listening) return nullptr;  // SQLite: no notifications
  auto watch = std::make_unique<ListeningWatch>();
  watch->listening = std::move(listening);
  return watch;
}

Result<bool> SqlExecutionOwnership::try_lead(const std::string& name) {
  return leases_.try_lead(name, identity_.server_id, clock_.now(), identity_.lease_timeout);
}

}  // namespace opz::engine
