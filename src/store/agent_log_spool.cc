// AgentStore's log spool (agent_store.h, migration 026): batches an agent
// posted to a server whose runner does not follow the job, waiting for the
// runner that does.
#include <algorithm>

#include "core/time_format.h"
#include "store/agent_store.h"

namespace opz::store {

Status AgentStore::spool_logs(const std::string& agent_id, const std::string& job_id,
                              int64_t generation, const Json& lines) {
  if (!lines.is_array()) return Error::validation("log lines must be a list", "lines");
  const std::string now = format_time(clock_.now());
  const std::string text = lines.dump();
  return db_.write([&](SqlSession& s) -> Status {
    // FOR UPDATE: a complete() or an expiry of the job on another server
    // waits for this transaction (or this one reads their outcome), so an
    // accepted batch always commits before the job's end does.
    const std::string lock = s.dialect() == "postgres" ? " FOR UPDATE" : "";
    OPZ_TRY(Rows rows, s.query("SELECT status, COALESCE(agent_id, '') AS agent_id, "
                               "lease_generation FROM agent_jobs WHERE id = $1" +
                                   lock,
                               {job_id}));
    if (rows.empty()) return Error::not_found("no agent job with id " + job_id);
    if (rows[0]["status"].as_text() != "leased" || rows[0]["agent_id"].as_text() != agent_id ||
        rows[0]["lease_generation"].as_int() != generation)
      return Error::conflict("stale lease: job " + job_id +
                                 " is not leased to this agent under "
                                 "generation " +
                                 std::to_string(generation),
                             "generation");
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO agent_job_log_spool (job_id, lines, created_at) "
               "VALUES ($1, $2, $3)",
               {job_id, text, now}));
    return {};
  });
}

Result<std::vector<std::string>> AgentStore::spooled_log_jobs(const std::string& runner_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<std::string>> {
    OPZ_TRY(Rows rows, s.query("SELECT DISTINCT s.job_id FROM agent_job_log_spool s "
                               "JOIN agent_jobs j ON j.id = s.job_id WHERE j.runner_id = $1",
                               {runner_id}));
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(r["job_id"].as_text());
    return out;
  });
}

Result<bool> AgentStore::has_spooled_logs(const std::string& job_id) {
  return db_.read([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(Rows rows, s.query("SELECT EXISTS (SELECT 1 FROM agent_job_log_spool "
                               "WHERE job_id = $1) AS spooled",
                               {job_id}));
    return !rows.empty() && rows[0]["spooled"].as_bool();
  });
}

Result<std::vector<SpooledLogs>> AgentStore::take_spooled_logs(const std::string& runner_id,
                                                               const std::string& job_id) {
  return db_.write([&](SqlSession& s) -> Result<std::vector<SpooledLogs>> {
    std::vector<SpooledLogs> out;
    OPZ_TRY(Rows owner, s.query("SELECT runner_id FROM agent_jobs WHERE id = $1", {job_id}));
    if (owner.empty() || owner[0]["runner_id"].as_text() != runner_id) return out;
    OPZ_TRY(Rows rows, s.query("DELETE FROM agent_job_log_spool WHERE job_id = $1 "
                               "RETURNING seq, lines",
                               {job_id}));
    out.reserve(rows.size());
    for (const Row& r : rows)
      out.push_back({r["seq"].as_int(), Json::parse(r["lines"].as_text(), nullptr, false)});
    // RETURNING promises no order.
    std::sort(out.begin(), out.end(),
              [](const SpooledLogs& a, const SpooledLogs& b) { return a.seq < b.seq; });
    return out;
  });
}

Result<int64_t> AgentStore::purge_spooled_logs(std::chrono::milliseconds retention) {
  const std::string ended_before = format_time(clock_.now() - retention);
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    // Driven by the spool (small), not by agent_jobs (every job ever run).
    return s.exec(
        "DELETE FROM agent_job_log_spool WHERE job_id IN (SELECT s.job_id FROM "
        "agent_job_log_spool s JOIN agent_jobs j ON j.id = s.job_id WHERE "
        "j.status NOT IN ('queued', 'leased') AND j.finished_at < $1)",
        {ended_before});
  });
}

}  // namespace opz::store
