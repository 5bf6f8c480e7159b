#include "store/server_lease_store.h"

#include "core/time_format.h"

namespace opz::store {

namespace {

ExecutionCommand command_from(const Row& r) {
  ExecutionCommand c;
  c.id = r["id"].as_int();
  c.execution_id = r["execution_id"].as_text();
  c.server_id = r["server_id"].as_text();
  c.kind = r["kind"].as_text();
  auto payload = parse_json(r["payload"].as_text());
  if (payload && payload->is_object()) c.payload = std::move(payload).value();
  c.actor = r["actor"].as_text();
  c.created_at = r["created_at"].as_text();
  c.done = !r["done_at"].is_null();
  c.ok = r["ok"].as_bool();
  c.error_code = r["error_code"].as_text();
  c.error_message = r["error_message"].as_text();
  return c;
}

constexpr const char* kCommandColumns =
    "id, execution_id, server_id, kind, payload, actor, created_at, done_at, ok, error_code, "
    "error_message";

}  // namespace

Result<LeaseRenewal> ServerLeaseStore::renew(const std::string& server_id,
                                             const std::string& hostname, int64_t pid,
                                             TimePoint now, std::chrono::milliseconds ttl) {
  const std::string at = format_time(now);
  const std::string until = format_time(now + ttl);
  return db_.write([&](SqlSession& s) -> Result<LeaseRenewal> {
    OPZ_TRY(Rows before, s.query("SELECT expires_at FROM server_leases WHERE server_id = $1",
                                 {server_id}));
    LeaseRenewal renewal;
    if (!before.empty()) {
      auto expired = parse_time(before[0]["expires_at"].as_text());
      renewal.lapsed = expired && *expired <= now;
    }
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO server_leases (server_id, hostname, pid, started_at, renewed_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (server_id) DO UPDATE SET "
        "hostname = excluded.hostname, pid = excluded.pid, renewed_at = excluded.renewed_at, "
        "expires_at = excluded.expires_at",
        {server_id, hostname, pid, at, until}));
    return renewal;
  });
}

Result<OwnerClaim> ServerLeaseStore::claim(const std::string& execution_id,
                                           const std::string& server_id, TimePoint now) {
  const std::string at = format_time(now);
  return db_.write([&](SqlSession& s) -> Result<OwnerClaim> {
    OwnerClaim c;
    OPZ_TRY(Rows before, s.query("SELECT server_id, generation FROM execution_owners "
                                 "WHERE execution_id = $1",
                                 {execution_id}));
    if (!before.empty()) c.previous_owner = before[0]["server_id"].as_text();
    // Same owner: generation kept. Another owner whose lease is gone or
    // expired: taken over, generation + 1. A live other owner: no change.
    OPZ_TRY(Rows after, s.query(
        "INSERT INTO execution_owners (execution_id, server_id, generation, claimed_at) "
        "VALUES ($1, $2, 1, $3) ON CONFLICT (execution_id) DO UPDATE SET "
        "generation = CASE WHEN execution_owners.server_id = excluded.server_id "
        "THEN execution_owners.generation ELSE execution_owners.generation + 1 END, "
        "server_id = excluded.server_id, claimed_at = excluded.claimed_at "
        "WHERE execution_owners.server_id = excluded.server_id OR NOT EXISTS ("
        "SELECT 1 FROM server_leases l WHERE l.server_id = execution_owners.server_id "
        "AND l.expires_at > $3) "
        "RETURNING generation",
        {execution_id, server_id, at}));
    if (!after.empty()) {
      c.claimed = true;
      c.generation = after[0]["generation"].as_int();
      c.owner = server_id;
    } else {
      c.owner = c.previous_owner;
      c.generation = before.empty() ? 0 : before[0]["generation"].as_int();
    }
    return c;
  });
}

Result<std::map<std::string, int64_t>> ServerLeaseStore::owned_by(const std::string& server_id) {
  return db_.read([&](SqlSession& s) -> Result<std::map<std::string, int64_t>> {
    OPZ_TRY(Rows rows, s.query("SELECT o.execution_id, o.generation FROM execution_owners o "
                               "JOIN executions e ON e.id = o.execution_id "
                               "WHERE o.server_id = $1 AND e.status IN ('idle', 'running', "
                               "'paused') ORDER BY o.execution_id",
                               {server_id}));
    std::map<std::string, int64_t> owned;
    for (const Row& r : rows) owned[r[0].as_text()] = r[1].as_int();
    return owned;
  });
}

Result<std::vector<std::string>> ServerLeaseStore::orphaned(TimePoint now,
                                                            TimePoint unowned_before) {
  const std::string at = format_time(now);
  const std::string before = format_time(unowned_before);
  return db_.read([&](SqlSession& s) -> Result<std::vector<std::string>> {
    OPZ_TRY(Rows rows, s.query(
        "SELECT e.id FROM executions e "
        "LEFT JOIN execution_owners o ON o.execution_id = e.id "
        "LEFT JOIN server_leases l ON l.server_id = o.server_id "
        "WHERE e.status IN ('idle', 'running', 'paused') "
        "AND (e.governance_status IS NULL OR e.governance_status NOT IN ('waiting', "
        "'pending_approval')) "
        "AND ((o.execution_id IS NOT NULL AND (l.server_id IS NULL OR l.expires_at <= $1)) "
        "OR (o.execution_id IS NULL AND e.status <> 'paused' AND e.created_at < $2)) "
        "ORDER BY e.created_at, e.id",
        {at, before}));
    std::vector<std::string> ids;
    for (const Row& r : rows) ids.push_back(r[0].as_text());
    return ids;
  });
}

Result<std::optional<ExecutionOwner>> ServerLeaseStore::owner_of(const std::string& execution_id,
                                                                 TimePoint now) {
  const std::string at = format_time(now);
  return db_.read([&](SqlSession& s) -> Result<std::optional<ExecutionOwner>> {
    OPZ_TRY(Rows rows, s.query(
        "SELECT o.server_id, o.generation, "
        "CASE WHEN l.expires_at > $2 THEN 1 ELSE 0 END AS alive "
        "FROM execution_owners o LEFT JOIN server_leases l ON l.server_id = o.server_id "
        "WHERE o.execution_id = $1",
        {execution_id, at}));
    if (rows.empty()) return std::optional<ExecutionOwner>();
    return std::optional<ExecutionOwner>(ExecutionOwner{
        rows[0]["server_id"].as_text(), rows[0]["generation"].as_int(),
        rows[0]["alive"].as_bool()});
  });
}

Result<int64_t> ServerLeaseStore::enqueue_command(const NewExecutionCommand& c, TimePoint now) {
  if (c.kind != "cancel" && c.kind != "force_fail" && c.kind != "approval")
    return Error::validation("unknown command kind '" + c.kind + "'", "kind");
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query(
        "INSERT INTO execution_commands (execution_id, server_id, kind, payload, actor, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {c.execution_id, c.server_id, c.kind, c.payload.dump(), c.actor, format_time(now)}));
    if (s.dialect() == "postgres") {
      // Delivered when this transaction commits, never before.
      OPZ_TRY(Rows sent, s.query(std::string("SELECT pg_notify('") + kCommandsChannel +
                                     "', $1) AS sent",
                                 {c.server_id}));
      (void)sent;
    }
    return rows[0][0].as_int();
  });
}

std::unique_ptr<Database::Listening> ServerLeaseStore::listen_commands(
    std::function<void()> on_command) {
  return db_.listen(kCommandsChannel, std::move(on_command));
}

Result<std::vector<ExecutionCommand>> ServerLeaseStore::pending_commands(
    const std::string& server_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ExecutionCommand>> {
    OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kCommandColumns +
                                   " FROM execution_commands WHERE server_id = $1 AND "
                                   "done_at IS NULL ORDER BY id",
                               {server_id}));
    std::vector<ExecutionCommand> out;
    for (const Row& r : rows) out.push_back(command_from(r));
    return out;
  });
}

Status ServerLeaseStore::complete_command(int64_t id, const Status& outcome, TimePoint now) {
  const bool ok = outcome.ok();
  SqlValue code = ok ? SqlValue() : SqlValue(std::string(error_code_name(outcome.error().code)));
  SqlValue message = ok ? SqlValue() : SqlValue(outcome.error().message);
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(int64_t n, s.exec("UPDATE execution_commands SET done_at = $2, ok = $3, "
                              "error_code = $4, error_message = $5 "
                              "WHERE id = $1 AND done_at IS NULL",
                              {id, format_time(now), std::string(ok ? "1" : "0"), code, message}));
    if (n == 0) return Error::conflict("command " + std::to_string(id) + " is done or unknown");
    return {};
  });
}

Result<ExecutionCommand> ServerLeaseStore::command(int64_t id) {
  return db_.read([&](SqlSession& s) -> Result<ExecutionCommand> {
    OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kCommandColumns +
                                   " FROM execution_commands WHERE id = $1",
                               {id}));
    if (rows.empty()) return Error::not_found("no command " + std::to_string(id));
    return command_from(rows[0]);
  });
}

Result<bool> ServerLeaseStore::try_lead(const std::string& name, const std::string& server_id,
                                        TimePoint now, std::chrono::milliseconds ttl) {
  return db_.write([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(Rows rows, s.query(
        "INSERT INTO cluster_leader (name, server_id, expires_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET server_id = excluded.server_id, "
        "expires_at = excluded.expires_at "
        "WHERE cluster_leader.server_id = excluded.server_id OR cluster_leader.expires_at <= $4 "
        "RETURNING server_id",
        {name, server_id, format_time(now + ttl), format_time(now)}));
    return !rows.empty();
  });
}

}  // namespace opz::store
