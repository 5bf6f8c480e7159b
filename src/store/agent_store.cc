#include "store/agent_store.h"

#include <algorithm>
#include <map>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

// last_seen_at is written at most this often per agent (authenticate()).
constexpr std::chrono::seconds kSeenResolution{2};

constexpr std::string_view kAgentColumns =
    "id, name, labels, concurrency, COALESCE(registered_by, '') AS registered_by, created_at, "
    "last_seen_at, status, version";

constexpr std::string_view kJobColumns =
    "id, execution_id, node_id, attempt, spec, runs_on, status, COALESCE(agent_id, '') AS agent_id, "
    "lease_generation, lease_expires_at, "  // NULL reads as ""
    "CASE WHEN cancel_requested THEN 1 ELSE 0 END AS cancel_requested, exit_code, result, "
    "created_at";

std::vector<std::string> labels_from(const SqlValue& v) {
  std::vector<std::string> out;
  Json j = Json::parse(v.as_text(), nullptr, false);
  if (!j.is_array()) return out;
  for (const Json& l : j)
    if (l.is_string()) out.push_back(l.get<std::string>());
  return out;
}

std::string labels_text(const std::vector<std::string>& labels) { return Json(labels).dump(); }

AgentRecord agent_from(const Row& r) {
  AgentRecord a;
  a.id = r["id"].as_text();
  a.name = r["name"].as_text();
  a.labels = labels_from(r["labels"]);
  a.concurrency = r["concurrency"].as_int();
  a.registered_by = r["registered_by"].as_text();
  a.created_at = r["created_at"].as_text();
  a.last_seen_at = r["last_seen_at"].as_text();
  a.status = r["status"].as_text();
  a.version = r["version"].as_text();
  return a;
}

AgentJobRecord job_from(const Row& r) {
  AgentJobRecord j;
  j.id = r["id"].as_text();
  j.execution_id = r["execution_id"].as_text();
  j.node_id = r["node_id"].as_text();
  j.attempt = r["attempt"].as_int();
  j.spec = Json::parse(r["spec"].as_text(), nullptr, false);
  j.runs_on = labels_from(r["runs_on"]);
  j.status = r["status"].as_text();
  j.agent_id = r["agent_id"].as_text();
  j.generation = r["lease_generation"].as_int();
  j.lease_expires_at = r["lease_expires_at"].as_text();
  j.cancel_requested = r["cancel_requested"].as_bool();
  if (!r["exit_code"].is_null()) j.exit_code = r["exit_code"].as_int();
  if (!r["result"].is_null()) j.result = Json::parse(r["result"].as_text(), nullptr, false);
  j.created_at = r["created_at"].as_text();
  return j;
}

bool has_all(const std::vector<std::string>& have, const std::vector<std::string>& want) {
  return std::all_of(want.begin(), want.end(), [&](const std::string& l) {
    return std::find(have.begin(), have.end(), l) != have.end();
  });
}

Result<AgentJobRecord> load_job(SqlSession& s, const std::string& id) {
  OPZ_TRY(Rows rows,
          s.query("SELECT " + std::string(kJobColumns) + " FROM agent_jobs WHERE id = $1", {id}));
  if (rows.empty()) return Error::not_found("no agent job with id " + id);
  return job_from(rows[0]);
}

// The job, when it is leased to `agent_id` under `generation`; kConflict
// (field "generation") otherwise.
Result<AgentJobRecord> leased_job(SqlSession& s, const std::string& agent_id,
                                  const std::string& job_id, int64_t generation) {
  OPZ_TRY(AgentJobRecord job, load_job(s, job_id));
  if (job.status != "leased" || job.agent_id != agent_id || job.generation != generation)
    return Error::conflict("stale lease: job " + job_id + " is not leased to this agent under "
                           "generation " + std::to_string(generation),
                           "generation");
  return job;
}

// Jobs leased to agents in `agent_ids` or with a lease that ran out, now lost.
Result<std::vector<LostJob>> lose_jobs(SqlSession& s, const std::string& where,
                                       const Params& params, const std::string& now) {
  OPZ_TRY(Rows rows, s.query("SELECT j.id, COALESCE(a.name, '') AS name FROM agent_jobs j "
                             "LEFT JOIN agents a ON a.id = j.agent_id WHERE j.status = 'leased' AND " +
                                 where,
                             params));
  std::vector<LostJob> lost;
  for (const Row& r : rows) {
    lost.push_back({r["id"].as_text(), r["name"].as_text()});
    OPZ_TRY_STATUS(s.exec("UPDATE agent_jobs SET status = 'lost', finished_at = $2 "
                          "WHERE id = $1 AND status = 'leased'",
                          {r["id"].as_text(), now}));
  }
  return lost;
}

// A new queued job; answers its id.
Result<std::string> insert_job(SqlSession& s, const NewAgentJob& j, const std::string& now) {
  const std::string id = new_uuid();
  // VALUES, not INSERT ... SELECT $1: PostgreSQL types a VALUES parameter by
  // its column, a bare one in a select list as text.
  OPZ_TRY_STATUS(s.exec("INSERT INTO agent_jobs (id, seq, execution_id, node_id, attempt, spec, "
                        "runs_on, status, created_at, runner_id) VALUES ($1, (SELECT "
                        "COALESCE(MAX(seq), 0) + 1 FROM agent_jobs), $2, $3, $4, $5, $6, "
                        "'queued', $7, $8)",
                        {id, j.execution_id, j.node_id, j.attempt, j.spec.dump(),
                         labels_text(j.runs_on), now, j.runner_id}));
  return id;
}

}  // namespace

Result<AgentStore::RegistrationToken> AgentStore::create_registration_token(
    const std::string& token_hash, const std::string& created_by, std::chrono::seconds ttl) {
  RegistrationToken t{new_uuid(), format_time(clock_.now() + ttl)};
  const std::string now = format_time(clock_.now());
  OPZ_TRY_STATUS(db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO agent_registration_tokens (id, token_hash, created_by, "
               "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
               {t.id, token_hash, text_or_null(created_by), now, t.expires_at}));
    return {};
  }));
  return t;
}

Result<AgentRecord> AgentStore::register_agent(const NewAgent& a) {
  const std::string id = new_uuid();
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<AgentRecord> {
    OPZ_TRY(Rows t, s.query("SELECT id FROM agent_registration_tokens WHERE token_hash = $1 "
                            "AND revoked_at IS NULL AND expires_at > $2",
                            {a.registration_token_hash, now}));
    if (t.empty()) return Error::unauthenticated("unknown, expired or revoked registration token");
    OPZ_TRY_STATUS(s.exec("INSERT INTO agents (id, name, labels, concurrency, token_hash, "
                          "registered_by, created_at, last_seen_at, status, version) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 'online', $8)",
                          {id, a.name, labels_text(a.labels), a.concurrency, a.token_hash,
                           t[0]["id"].as_text(), now, a.version}));
    OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kAgentColumns) +
                                   " FROM agents WHERE id = $1",
                               {id}));
    return agent_from(rows[0]);
  });
}

Result<AgentRecord> AgentStore::authenticate(const std::string& token_hash) {
  const std::string now = format_time(clock_.now());
  const std::string fresh_since = format_time(clock_.now() - kSeenResolution);
  // Most requests come from an agent seen a moment ago: a read answers them,
  // so 100 agents' polls, logs and heartbeats do not queue on the one writer
  // ahead of the engine's writes.
  OPZ_TRY(Rows seen, db_.read([&](SqlSession& s) {
    return s.query("SELECT " + std::string(kAgentColumns) +
                       ", CASE WHEN status = 'online' AND last_seen_at >= $2 THEN 1 ELSE 0 END "
                       "AS fresh FROM agents WHERE token_hash = $1",
                   {token_hash, fresh_since});
  }));
  if (seen.empty()) return Error::unauthenticated("unknown agent token");
  if (seen[0]["fresh"].as_bool()) return agent_from(seen[0]);
  return db_.write([&](SqlSession& s) -> Result<AgentRecord> {
    OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kAgentColumns) +
                                   " FROM agents WHERE token_hash = $1",
                               {token_hash}));
    if (rows.empty()) return Error::unauthenticated("unknown agent token");
    AgentRecord a = agent_from(rows[0]);
    if (a.status == "disabled") return Error::unauthenticated("agent " + a.name + " is disabled");
    OPZ_TRY_STATUS(s.exec("UPDATE agents SET last_seen_at = $2, status = 'online' WHERE id = $1",
                          {a.id, now}));
    a.last_seen_at = now;
    a.status = "online";
    return a;
  });
}

Result<std::vector<AgentRecord>> AgentStore::list_agents() {
  return db_.read([&](SqlSession& s) -> Result<std::vector<AgentRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT " + std::string(kAgentColumns) +
                    ", (SELECT COUNT(*) FROM agent_jobs j WHERE j.agent_id = agents.id "
                    "AND j.status = 'leased') AS running FROM agents ORDER BY name, id"));
    std::vector<AgentRecord> out;
    std::map<std::string, size_t> by_id;
    for (const Row& r : rows) {
      out.push_back(agent_from(r));
      out.back().running_jobs = r["running"].as_int();
      by_id[out.back().id] = out.size() - 1;
    }
    OPZ_TRY(Rows jobs, s.query("SELECT agent_id, id, execution_id, node_id, attempt FROM agent_jobs "
                               "WHERE status = 'leased' ORDER BY seq"));
    for (const Row& j : jobs) {
      auto it = by_id.find(j["agent_id"].as_text());
      if (it == by_id.end()) continue;
      out[it->second].running.push_back({j["id"].as_text(), j["execution_id"].as_text(),
                                         j["node_id"].as_text(), j["attempt"].as_int()});
    }
    return out;
  });
}

Result<std::vector<LostJob>> AgentStore::disable_agent(const std::string& id) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<std::vector<LostJob>> {
    OPZ_TRY(int64_t n, s.exec("UPDATE agents SET status = 'disabled' WHERE id = $1", {id}));
    if (n == 0) return Error::not_found("no agent with id " + id);
    return lose_jobs(s, "j.agent_id = $1", {id}, now);
  });
}

Result<bool> AgentStore::has_online_match(const std::vector<std::string>& runs_on) {
  return db_.read([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(Rows rows, s.query("SELECT labels FROM agents WHERE status = 'online'"));
    for (const Row& r : rows)
      if (has_all(labels_from(r["labels"]), runs_on)) return true;
    return false;
  });
}

Result<std::string> AgentStore::enqueue(const NewAgentJob& j) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) { return insert_job(s, j, now); });
}

Result<AgentJobRecord> AgentStore::find_job(const std::string& id) {
  return db_.read([&](SqlSession& s) { return load_job(s, id); });
}

Result<std::optional<AgentJobRecord>> AgentStore::claim(const AgentRecord& agent,
                                                        std::chrono::milliseconds lease) {
  const std::string now = format_time(clock_.now());
  const std::string until = format_time(clock_.now() + lease);
  return db_.write([&](SqlSession& s) -> Result<std::optional<AgentJobRecord>> {
    OPZ_TRY(Rows busy, s.query("SELECT COUNT(*) AS n FROM agent_jobs WHERE agent_id = $1 "
                               "AND status = 'leased'",
                               {agent.id}));
    if (busy[0]["n"].as_int() >= agent.concurrency) return std::optional<AgentJobRecord>();
    // PostgreSQL: replicas claim side by side; a row another replica is
    // claiming is skipped, not waited for. SQLite has one writer.
    const std::string lock = s.dialect() == "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
    OPZ_TRY(Rows rows, s.query("SELECT id, runs_on FROM agent_jobs WHERE status = 'queued' "
                               "ORDER BY seq LIMIT 200" +
                               lock));
    for (const Row& r : rows) {
      if (!has_all(agent.labels, labels_from(r["runs_on"]))) continue;
      const std::string id = r["id"].as_text();
      OPZ_TRY_STATUS(s.exec("UPDATE agent_jobs SET status = 'leased', agent_id = $2, "
                            "lease_generation = lease_generation + 1, lease_expires_at = $3, "
                            "leased_at = $4 WHERE id = $1 AND status = 'queued'",
                            {id, agent.id, until, now}));
      OPZ_TRY(AgentJobRecord job, load_job(s, id));
      return std::optional<AgentJobRecord>(std::move(job));
    }
    return std::optional<AgentJobRecord>();
  });
}

Result<AgentJobRecord> AgentStore::heartbeat(const std::string& agent_id, const std::string& job_id,
                                             int64_t generation, std::chrono::milliseconds lease) {
  const std::string until = format_time(clock_.now() + lease);
  return db_.write([&](SqlSession& s) -> Result<AgentJobRecord> {
    OPZ_TRY(AgentJobRecord job, leased_job(s, agent_id, job_id, generation));
    OPZ_TRY_STATUS(
        s.exec("UPDATE agent_jobs SET lease_expires_at = $2 WHERE id = $1", {job_id, until}));
    job.lease_expires_at = until;
    return job;
  });
}

Status AgentStore::check_lease(const std::string& agent_id, const std::string& job_id,
                               int64_t generation) {
  return db_.read([&](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(leased_job(s, agent_id, job_id, generation));
    return {};
  });
}

Result<CompletedJob> AgentStore::complete(const std::string& agent_id, const std::string& job_id,
                                          int64_t generation, std::optional<int64_t> exit_code,
                                          bool success, const Json& result) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<CompletedJob> {
    OPZ_TRY(AgentJobRecord job, load_job(s, job_id));
    const bool ended_here = job.agent_id == agent_id && job.generation == generation;
    if (ended_here && (job.status == "succeeded" || job.status == "failed" ||
                       (job.status == "cancelled" && !job.result.is_null())))
      return CompletedJob{std::move(job), false};  // a retry of an acknowledged complete
    OPZ_TRY(job, leased_job(s, agent_id, job_id, generation));
    const std::string status =
        success ? "succeeded" : (job.cancel_requested ? "cancelled" : "failed");
    OPZ_TRY_STATUS(s.exec("UPDATE agent_jobs SET status = $2, exit_code = $3, result = $4, "
                          "finished_at = $5 WHERE id = $1",
                          {job_id, status, exit_code, result.dump(), now}));
    OPZ_TRY(job, load_job(s, job_id));
    return CompletedJob{std::move(job), true};
  });
}

Result<bool> AgentStore::cancel(const std::string& id, const std::string& runner_id) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(AgentJobRecord job, load_job(s, id));
    if (!runner_id.empty()) {
      OPZ_TRY(Rows owner, s.query("SELECT COALESCE(runner_id, '') AS r FROM agent_jobs "
                                  "WHERE id = $1", {id}));
      if (owner.empty() || owner[0]["r"].as_text() != runner_id)
        return Error::conflict("agent job " + id + " is followed by another server now",
                               "runner_id");
    }
    if (job.status == "queued") {
      OPZ_TRY_STATUS(s.exec(
          "UPDATE agent_jobs SET status = 'cancelled', finished_at = $2 WHERE id = $1", {id, now}));
      return true;
    }
    if (job.status != "leased") return Error::conflict("agent job " + id + " already ended");
    OPZ_TRY_STATUS(
        s.exec("UPDATE agent_jobs SET cancel_requested = TRUE WHERE id = $1", {id}));
    return false;
  });
}

Result<std::vector<std::string>> AgentStore::jobs_to_stop(const std::string& agent_id,
                                                          const std::vector<std::string>& running) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<std::string>> {
    std::vector<std::string> stop;
    for (const std::string& id : running) {
      OPZ_TRY(Rows rows, s.query("SELECT status, COALESCE(agent_id, '') AS agent_id, "
                                 "CASE WHEN cancel_requested THEN 1 ELSE 0 END AS cancel "
                                 "FROM agent_jobs WHERE id = $1",
                                 {id}));
      if (rows.empty() || rows[0]["status"].as_text() != "leased" ||
          rows[0]["agent_id"].as_text() != agent_id || rows[0]["cancel"].as_bool())
        stop.push_back(id);
    }
    return stop;
  });
}

Result<std::vector<LostJob>> AgentStore::expire(std::chrono::milliseconds timeout) {
  const std::string now = format_time(clock_.now());
  const std::string seen_before = format_time(clock_.now() - timeout);
  return db_.write([&](SqlSession& s) -> Result<std::vector<LostJob>> {
    OPZ_TRY_STATUS(s.exec("UPDATE agents SET status = 'lost' WHERE status = 'online' "
                          "AND last_seen_at < $1",
                          {seen_before}));
    return lose_jobs(s, "(a.status <> 'online' OR j.lease_expires_at < $1)", {now}, now);
  });
}

Result<int64_t> AgentStore::abandon_unfinished() {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    return s.exec("UPDATE agent_jobs SET status = 'lost', finished_at = $1 "
                  "WHERE status = 'leased' AND lease_expires_at < $1",
                  {now});
  });
}

Result<AgentStore::Adoption> AgentStore::adopt(const std::string& execution_id,
                                               const std::string& node_id, int64_t attempt,
                                               const std::string& runner_id) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<Adoption> {
    Adoption out;
    OPZ_TRY(Rows highest, s.query("SELECT COALESCE(MAX(attempt), 0) AS n FROM agent_jobs "
                                  "WHERE execution_id = $1 AND node_id = $2",
                                  {execution_id, node_id}));
    out.highest_attempt = highest[0]["n"].as_int();
    // Twice at most: when the job changed between the read and the
    // conditional UPDATE (its agent completed it, or it expired), read again.
    for (int round = 0; round < 2 && !out.job; ++round) {
      OPZ_TRY(Rows rows,
              s.query("SELECT " + std::string(kJobColumns) +
                          ", CASE WHEN lease_expires_at >= $4 THEN 1 ELSE 0 END AS lease_holds "
                          "FROM agent_jobs WHERE execution_id = $1 AND node_id = $2 AND "
                          "attempt = $3 ORDER BY seq DESC LIMIT 1",
                          {execution_id, node_id, attempt, now}));
      if (rows.empty()) break;
      AgentJobRecord job = job_from(rows[0]);
      bool live_lease = false;
      if (job.status == "leased" && rows[0]["lease_holds"].as_bool()) {
        OPZ_TRY(Rows agent, s.query("SELECT status FROM agents WHERE id = $1", {job.agent_id}));
        live_lease = !agent.empty() && agent[0]["status"].as_text() == "online";
      }
      const bool ended_with_outcome =
          job.status == "succeeded" || job.status == "failed" || job.status == "cancelled";
      if (job.status != "queued" && !live_lease && !ended_with_outcome) break;
      // Conditional: an expiry, a completion or a new lease committed since
      // the read wins (and is read again).
      OPZ_TRY(int64_t changed,
              s.exec("UPDATE agent_jobs SET runner_id = $2 WHERE id = $1 AND status = $3 AND "
                     "lease_generation = $4 AND (status <> 'leased' OR lease_expires_at >= $5)",
                     {job.id, runner_id, job.status, job.generation, now}));
      if (changed == 1) out.job = std::move(job);
    }
    if (out.job) {
      OPZ_TRY(Rows earlier,
              s.query("SELECT result FROM agent_jobs WHERE execution_id = $1 AND node_id = $2 AND "
                      "attempt = $3 AND status = 'succeeded' AND result IS NOT NULL AND "
                      "seq < (SELECT seq FROM agent_jobs WHERE id = $4) ORDER BY seq",
                      {execution_id, node_id, attempt, out.job->id}));
      for (const Row& r : earlier) {
        auto result = parse_json(r["result"].as_text());
        if (result) out.earlier_results.push_back(std::move(result).value());
      }
    }
    return out;
  });
}

Result<bool> AgentStore::has_live_job(const std::string& execution_id,
                                      const std::string& node_id) {
  const std::string now = format_time(clock_.now());
  return db_.read([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(Rows rows, s.query("SELECT id FROM agent_jobs WHERE execution_id = $1 "
                               "AND node_id = $2 AND (status = 'queued' OR (status = 'leased' "
                               "AND lease_expires_at >= $3)) LIMIT 1",
                               {execution_id, node_id, now}));
    return !rows.empty();
  });
}

Result<std::vector<EndedJob>> AgentStore::ended_jobs(const std::vector<std::string>& ids) {
  constexpr size_t kChunk = 500;
  return db_.read([&](SqlSession& s) -> Result<std::vector<EndedJob>> {
    std::vector<EndedJob> out;
    for (size_t from = 0; from < ids.size(); from += kChunk) {
      Params params;
      std::string list;
      for (size_t i = from; i < std::min(ids.size(), from + kChunk); ++i) {
        params.emplace_back(ids[i]);
        list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
      }
      OPZ_TRY(Rows rows, s.query("SELECT j.id, j.status, j.result, COALESCE(a.name, '') AS name "
                                 "FROM agent_jobs j LEFT JOIN agents a ON a.id = j.agent_id "
                                 "WHERE j.status NOT IN ('queued', 'leased') AND j.id IN (" +
                                     list + ")",
                                 params));
      for (const Row& r : rows) {
        EndedJob e{r["id"].as_text(), r["status"].as_text(), Json(nullptr), r["name"].as_text()};
        if (!r["result"].is_null()) e.result = Json::parse(r["result"].as_text(), nullptr, false);
        out.push_back(std::move(e));
      }
    }
    return out;
  });
}

}  // namespace opz::store
