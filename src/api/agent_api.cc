// Remote agents (issue 14, docs/agents.md): registration tokens (admin), the
// agent list, disabling an agent, and the agent protocol: register, the
// long-poll for work, heartbeat, log batches and complete. Agents present
// `Authorization: Bearer <agent token>`; their routes are public routes that
// authenticate the agent themselves (agent tokens are not user tokens).
// The poll answers later (Response::deferred): a waiting agent holds no
// handler thread. Every report names the lease generation it holds; a stale
// one is answered 409 and changes nothing (agent::AgentService, the store).
#include <string>
#include <vector>

#include "agent/agent_service.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "core/time_format.h"

namespace opz::api {

namespace {

constexpr int64_t kDefaultPollWaitMs = 25000;

Result<agent::AgentService*> service(ApiContext& ctx) {
  if (!ctx.agents) return Error::unavailable("remote agents are not enabled on this server");
  return ctx.agents;
}

Result<store::AgentRecord> agent_of(agent::AgentService& agents, const http::Request& req) {
  std::string_view auth = req.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.substr(0, kBearer.size()) != kBearer)
    return Error::unauthenticated("Authorization: Bearer <agent token> is required");
  return agents.authenticate(std::string(auth.substr(kBearer.size())));
}

Result<std::vector<std::string>> string_list(const FieldReader& f, std::string_view key,
                                             size_t max_items, size_t max_len) {
  std::vector<std::string> out;
  const Json* v = f.get(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array() || v->size() > max_items)
    return Error::validation(f.path(key) + " must be a list of at most " +
                                 std::to_string(max_items) + " strings",
                             f.path(key));
  for (const Json& s : *v) {
    if (!s.is_string() || s.get<std::string>().empty() || s.get<std::string>().size() > max_len)
      return Error::validation(f.path(key) + " must hold non-empty strings of at most " +
                                   std::to_string(max_len) + " bytes",
                               f.path(key));
    out.push_back(s.get<std::string>());
  }
  return out;
}

Result<std::vector<std::string>> labels_field(const FieldReader& f) {
  OPZ_TRY(std::vector<std::string> labels, string_list(f, "labels", 64, 64));
  for (const std::string& l : labels)
    if (l.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
        std::string::npos)
      return Error::validation("labels: '" + l + "' must be letters, digits, '_', '.' or '-'",
                               "labels");
  return labels;
}

Result<int64_t> generation_field(const FieldReader& f) {
  OPZ_TRY(std::optional<int64_t> g, f.optional_int("generation", 1, INT64_MAX));
  if (!g) return Error::validation("generation is required", "generation");
  return *g;
}

Json running_json(const std::vector<store::RunningAgentJob>& jobs) {
  Json out = Json::array();
  for (const store::RunningAgentJob& j : jobs)
    out.push_back({{"id", j.id},
                   {"execution_id", j.execution_id},
                   {"node_id", j.node_id},
                   {"attempt", j.attempt}});
  return out;
}

Json agent_json(const store::AgentRecord& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"labels", a.labels},
          {"concurrency", a.concurrency},
          {"status", a.status},
          {"version", a.version},
          {"created_at", a.created_at},
          {"last_seen_at", a.last_seen_at},
          {"running_jobs", a.running_jobs},
          {"running", running_json(a.running)}};
}

Json job_json(const store::AgentJobRecord& j, std::chrono::milliseconds heartbeat) {
  Json out = j.spec;
  out["heartbeat_ms"] = heartbeat.count();
  out["id"] = j.id;
  out["generation"] = j.generation;
  out["execution_id"] = j.execution_id;
  out["node_id"] = j.node_id;
  out["attempt"] = j.attempt;
  out["lease_expires_at"] = j.lease_expires_at;
  return out;
}

Result<Reply> create_registration_token(ApiContext& ctx, const auth::Principal& who) {
  OPZ_TRY(agent::AgentService * agents, service(ctx));
  OPZ_TRY(agent::IssuedToken t, agents->create_registration_token(who.user_id));
  return Reply{201, {{"token", t.token}, {"expires_at", t.expires_at}}};
}

Result<Reply> register_agent(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(agent::AgentService * agents, service(ctx));
  OPZ_TRY(Json body, parse_json_body(req));
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(
      f.reject_unknown({"registration_token", "name", "labels", "concurrency", "version"}));
  OPZ_TRY(std::string token, f.required_string("registration_token", 200));
  OPZ_TRY(std::string name, f.required_string("name", 100));
  if (name.empty()) return Error::validation("name must not be empty", "name");
  OPZ_TRY_STATUS(check_printable(name, "name"));
  OPZ_TRY(std::vector<std::string> labels, labels_field(f));
  OPZ_TRY(std::optional<int64_t> concurrency, f.optional_int("concurrency", 1, 256));
  OPZ_TRY(std::optional<std::string> version, f.optional_string("version", 100));
  OPZ_TRY(agent::RegisteredAgent a, agents->register_agent(token, name, std::move(labels),
                                                           concurrency.value_or(1),
                                                           version.value_or("")));
  return Reply{201, {{"agent_id", a.agent_id}, {"token", a.token}}};
}

void poll(ApiContext& ctx, http::Request& req, ReplyLater reply) {
  auto run = [&]() -> Result<std::pair<store::AgentRecord, std::pair<std::vector<std::string>,
                                                                      int64_t>>> {
    OPZ_TRY(agent::AgentService * agents, service(ctx));
    OPZ_TRY(store::AgentRecord a, agent_of(*agents, req));
    OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kStrictJson, true));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    OPZ_TRY_STATUS(f.reject_unknown({"running", "wait_ms"}));
    OPZ_TRY(std::vector<std::string> running, string_list(f, "running", 1024, 64));
    OPZ_TRY(std::optional<int64_t> wait,
            f.optional_int("wait_ms", 0, ctx.agents->options().max_poll_wait.count()));
    return std::make_pair(std::move(a),
                          std::make_pair(std::move(running), wait.value_or(kDefaultPollWaitMs)));
  };
  auto parsed = run();
  if (!parsed) return reply(parsed.error());
  auto& [a, rest] = *parsed;
  ctx.agents->poll(a, rest.first, std::chrono::milliseconds(rest.second),
                   [reply, heartbeat = ctx.agents->heartbeat_interval()](
                       Result<agent::PollAnswer> answer) {
                     if (!answer) return reply(answer.error());
                     if (!answer->job && answer->stop.empty()) return reply(Reply{204, nullptr});
                     reply(Reply{200,
                                 {{"job", answer->job ? job_json(*answer->job, heartbeat) : Json(nullptr)},
                                  {"stop", answer->stop}}});
                   });
}

// The agent, the job id and the generation of a job report, with its body.
struct JobReport {
  agent::AgentService* agents;
  store::AgentRecord agent;
  std::string job_id;
  int64_t generation = 0;
  Json body;
};

Result<JobReport> job_report(ApiContext& ctx, http::Request& req,
                             std::initializer_list<std::string_view> allowed) {
  JobReport r;
  OPZ_TRY(r.agents, service(ctx));
  OPZ_TRY(r.agent, agent_of(*r.agents, req));
  r.job_id = req.param("id");
  OPZ_TRY_STATUS(check_id(r.job_id, "agent job"));
  OPZ_TRY(r.body, parse_json_body(req));
  FieldReader f(r.body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown(allowed));
  OPZ_TRY(r.generation, generation_field(f));
  return r;
}

Result<Reply> heartbeat(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(JobReport r, job_report(ctx, req, {"generation"}));
  OPZ_TRY(bool stop, r.agents->heartbeat(r.agent, r.job_id, r.generation));
  return Reply{200, {{"cancel", stop}}};
}

Result<Reply> logs(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(JobReport r, job_report(ctx, req, {"generation", "lines"}));
  const Json* lines = r.body.contains("lines") ? &r.body["lines"] : nullptr;
  if (!lines) return Error::validation("lines is required", "lines");
  OPZ_TRY(std::vector<runner::LogLine> parsed, agent::log_lines_from_json(*lines));
  const size_t count = parsed.size();
  OPZ_TRY_STATUS(r.agents->logs(r.agent, r.job_id, r.generation, std::move(parsed)));
  return Reply{202, {{"accepted", count}}};
}

Result<Reply> complete(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(JobReport r, job_report(ctx, req,
                                  {"generation", "exit_code", "signal", "timed_out", "cancelled",
                                   "duration_ms", "log_bytes", "log_truncated", "outputs",
                                   "error"}));
  OPZ_TRY(agent::JobResult result, agent::JobResult::from_json(r.body));
  OPZ_TRY(bool first_time, r.agents->complete(r.agent, r.job_id, r.generation, result));
  return Reply{200, {{"acknowledged", true}, {"first_time", first_time}}};
}

Result<Reply> list_agents(ApiContext& ctx) {
  OPZ_TRY(agent::AgentService * agents, service(ctx));
  OPZ_TRY(std::vector<store::AgentRecord> all, agents->list());
  Json items = Json::array();
  for (const store::AgentRecord& a : all) items.push_back(agent_json(a));
  return Reply{200, list_body(std::move(items), std::nullopt)};
}

Result<Reply> disable_agent(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(agent::AgentService * agents, service(ctx));
  const std::string& id = req.param("id");
  OPZ_TRY_STATUS(check_id(id, "agent"));
  OPZ_TRY_STATUS(agents->disable(id));
  return Reply{200, {{"id", id}, {"status", "disabled"}}};
}

}  // namespace

// Policy (auth/policy.cc): every signed-in user lists agents (agents.read);
// registration tokens and disabling need the admin-only agents.manage. The
// agent protocol routes authenticate with the agent's own token instead.
Status register_agent_routes(http::Router& router, ApiContext& ctx) {
  constexpr uint64_t kLogBody = 8ull << 20;
  OPZ_TRY_STATUS(add_endpoint(
      router, ctx, "POST", "/api/v1/agents/registration-tokens", "agents.manage",
      [&ctx](http::Request&, const auth::Principal& who) {
        return create_registration_token(ctx, who);
      }));
  OPZ_TRY_STATUS(add_endpoint(router, ctx, "GET", "/api/v1/agents", "agents.read",
                              [&ctx](http::Request&, const auth::Principal&) {
                                return list_agents(ctx);
                              }));
  OPZ_TRY_STATUS(add_endpoint(router, ctx, "DELETE", "/api/v1/agents/{id}", "agents.manage",
                              [&ctx](http::Request& req, const auth::Principal&) {
                                return disable_agent(ctx, req);
                              }));
  OPZ_TRY_STATUS(add_public(router, "POST", "/api/v1/agents/register",
                            [&ctx](http::Request& req) { return register_agent(ctx, req); }));
  OPZ_TRY_STATUS(add_public_later(
      router, "POST", "/api/v1/agents/poll",
      [&ctx](http::Request& req, ReplyLater reply) { poll(ctx, req, std::move(reply)); }));
  OPZ_TRY_STATUS(add_public(router, "POST", "/api/v1/agents/jobs/{id}/heartbeat",
                            [&ctx](http::Request& req) { return heartbeat(ctx, req); }));
  OPZ_TRY_STATUS(add_public(
      router, "POST", "/api/v1/agents/jobs/{id}/logs",
      [&ctx](http::Request& req) { return logs(ctx, req); }, EndpointOptions{kLogBody, false}));
  OPZ_TRY_STATUS(add_public(router, "POST", "/api/v1/agents/jobs/{id}/complete",
                            [&ctx](http::Request& req) { return complete(ctx, req); }));
  return {};
}

}  // namespace opz::api
